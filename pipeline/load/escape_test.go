package load

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"root", "root"},
		{"jos\xe9", `jos\351`},
		{"a\\b\xff", `a\\b\377`},
		{`a\b`, `a\b`}, // valid UTF-8 is stored as it is
		{"\xc3\xa9t\xc3", "\u00e9t\\303"},
		{"\x00\x80", "\x00\\200"},
		{"日本\xf0\x9f", `日本\360\237`},
	}
	for _, tt := range tests {
		got := Escape([]byte(tt.in))
		if string(got) != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !utf8.Valid(got) {
			t.Errorf("Escape(%q) = %q is not valid UTF-8", tt.in, got)
		}
		if !utf8.ValidString(tt.in) && !bytes.Equal(Unescape(string(got)), []byte(tt.in)) {
			t.Errorf("Unescape(%q) = %q, want %q", got, Unescape(string(got)), tt.in)
		}
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"jos\xe9", `a\\b`, "\\\xff\\", `\377`, "ok"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got := Escape(b)
		if !utf8.Valid(got) {
			t.Fatalf("Escape(%q) = %q is not valid UTF-8", b, got)
		}
		if utf8.Valid(b) {
			if !bytes.Equal(got, b) {
				t.Fatalf("Escape changed valid %q to %q", b, got)
			}
			return
		}
		if back := Unescape(string(got)); !bytes.Equal(back, b) {
			t.Fatalf("Unescape(Escape(%q)) = %q", b, back)
		}
	})
}

// TestDictEscapedOnce: the same raw string, and its escaped form read back
// from the database, share one id; the escaped rows are counted.
func TestDictEscapedOnce(t *testing.T) {
	d := NewDict()
	d.Put(7, `jos\351`) // as a database written earlier holds it
	var b Batch
	b.Add(d, &Row{User: []byte("jos\xe9"), HasUser: true})
	b.Add(d, &Row{User: []byte("jos\xe9"), HasUser: true})
	b.Add(d, &Row{User: []byte("bob"), HasUser: true})
	if b.user[0] != 7 || b.user[1] != 7 {
		t.Errorf("ids %v, want 7 for the raw string", b.user[:2])
	}
	if b.Escaped != 2 {
		t.Errorf("Escaped = %d, want 2", b.Escaped)
	}
	if b.Strings.Len() != 1 {
		t.Errorf("%d new strings, want only bob", b.Strings.Len())
	}
}

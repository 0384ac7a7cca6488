package input

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

func gz(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeFile(t testing.TB, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func readSource(t testing.TB, s *Source) string {
	t.Helper()
	rc, err := s.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("%s: %v", s.Path, err)
	}
	return string(b)
}

func names(srcs []*Source) []string {
	var out []string
	for _, s := range srcs {
		out = append(out, filepath.Base(s.Path))
	}
	return out
}

// rotatedDir makes a folder of logrotate's making: auth.log and its
// rotations up to .10, some compressed (auth.log.1 too, by content only),
// with a file and a folder that are not logs.
func rotatedDir(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "auth.log"), []byte("live\n"))
	writeFile(t, filepath.Join(dir, "auth.log.1"), gz(t, []byte("one\n")))
	writeFile(t, filepath.Join(dir, "auth.log.2.gz"), gz(t, []byte("two\n")))
	writeFile(t, filepath.Join(dir, "auth.log.9"), []byte("nine\n"))
	writeFile(t, filepath.Join(dir, "auth.log.10"), []byte("ten\n"))
	writeFile(t, filepath.Join(dir, "notes.txt"), []byte("not a log\n"))
	if err := os.Mkdir(filepath.Join(dir, "auth.log.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestExpandDirectory(t *testing.T) {
	dir := rotatedDir(t)
	srcs, errs := Expand([]string{dir}, nil, time.Now())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := []struct {
		name       string
		compressed bool
		text       string
	}{
		{"auth.log.10", false, "ten\n"},
		{"auth.log.9", false, "nine\n"},
		{"auth.log.2.gz", true, "two\n"},
		{"auth.log.1", true, "one\n"},
		{"auth.log", false, "live\n"},
	}
	if len(srcs) != len(want) {
		t.Fatalf("sources %v, want %d", names(srcs), len(want))
	}
	for i, w := range want {
		s := srcs[i]
		if filepath.Base(s.Path) != w.name || s.Compressed != w.compressed {
			t.Errorf("source %d: %s compressed=%v, want %s compressed=%v", i, s.Path, s.Compressed, w.name, w.compressed)
			continue
		}
		if s.Name != s.Path || filepath.Dir(s.Path) != dir {
			t.Errorf("source %d: name %q, path %q", i, s.Name, s.Path)
		}
		st, err := os.Stat(s.Path)
		if err != nil {
			t.Fatal(err)
		}
		if s.Size != st.Size() || !s.ModTime.Equal(st.ModTime()) {
			t.Errorf("%s: size %d, mtime %s; the file has %d, %s", w.name, s.Size, s.ModTime, st.Size(), st.ModTime())
		}
		if got := readSource(t, s); got != w.text {
			t.Errorf("%s reads %q, want %q", w.name, got, w.text)
		}
	}
}

func TestExpandDirectoryNames(t *testing.T) {
	t.Run("secure and sshd logs", func(t *testing.T) {
		dir := t.TempDir()
		for _, n := range []string{"messages", "secure", "secure-20240101", "sshd.log", "sshd.log.1.gz", "kern.log"} {
			writeFile(t, filepath.Join(dir, n), []byte(n+"\n"))
		}
		srcs, errs := Expand([]string{dir}, nil, time.Now())
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		want := []string{"secure-20240101", "secure", "sshd.log.1.gz", "sshd.log"}
		if got := names(srcs); !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("only log names, the others named on warn", func(t *testing.T) {
		tests := []struct {
			files, want, passed []string
		}{
			{[]string{"notes.txt", "passwd", "auth.log"}, []string{"auth.log"}, []string{"notes.txt", "passwd"}},
			// no log names at all: nothing is read (it used to read every file)
			{[]string{"b.txt", "a.log", "a.log.1", "passwd"}, nil, []string{"a.log", "a.log.1", "b.txt", "passwd"}},
			{[]string{"auth.log.bak", "auth.log~", "secure.txt", "sshd_config", "auth.log.1.gz", "auth.log-20240101.gz", "sshd"},
				[]string{"auth.log-20240101.gz", "auth.log.1.gz", "sshd"}, []string{"auth.log.bak", "auth.log~", "secure.txt", "sshd_config"}},
		}
		for _, tt := range tests {
			dir := t.TempDir()
			for _, n := range tt.files {
				writeFile(t, filepath.Join(dir, n), []byte("Mar  1 10:00:00 pi sshd[1]: "+n+"\n"))
			}
			if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			var warn bytes.Buffer
			srcs, errs := ExpandWarn([]string{dir}, nil, time.Now(), &warn)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if got := names(srcs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%v: read %v, want %v", tt.files, got, tt.want)
			}
			w := warn.String()
			for _, n := range tt.passed {
				if !strings.Contains(w, strconv.Quote(filepath.Join(dir, n))) {
					t.Errorf("%v: the warning does not name %s:\n%s", tt.files, n, w)
				}
			}
			for _, n := range tt.want {
				if strings.Contains(w, strconv.Quote(filepath.Join(dir, n))) {
					t.Errorf("%v: the warning names %s, which was read:\n%s", tt.files, n, w)
				}
			}
			if strings.Contains(w, "sub") {
				t.Errorf("the warning names a folder:\n%s", w)
			}
		}
	})
	t.Run("empty folder", func(t *testing.T) {
		srcs, errs := Expand([]string{t.TempDir()}, nil, time.Now())
		if len(srcs) != 0 || len(errs) != 0 {
			t.Errorf("got %v, %v; want nothing", names(srcs), errs)
		}
	})
}

func TestExpandGlob(t *testing.T) {
	dir := rotatedDir(t)
	srcs, errs := Expand([]string{filepath.Join(dir, "auth.log*")}, nil, time.Now())
	// auth.log.d is a folder: matched by the glob, and an error of its own
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), filepath.Join(dir, "auth.log.d")) {
		t.Errorf("errors %v, want one naming the folder auth.log.d", errs)
	}
	want := []string{"auth.log.10", "auth.log.9", "auth.log.2.gz", "auth.log.1", "auth.log"}
	if got := names(srcs); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}

	srcs, errs = Expand([]string{filepath.Join(dir, "*.txt"), filepath.Join(dir, "nothing*")}, nil, time.Now())
	if got := names(srcs); !reflect.DeepEqual(got, []string{"notes.txt"}) {
		t.Errorf("got %v, want [notes.txt]", got)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "nothing*") {
		t.Errorf("errors %v, want one naming the pattern that matches nothing", errs)
	}
}

func TestExpandErrorsAreOneArgumentsOnly(t *testing.T) {
	dir := rotatedDir(t)
	missing := filepath.Join(dir, "no-such-file")
	srcs, errs := Expand([]string{missing, filepath.Join(dir, "auth.log"), filepath.Join(dir, "[")}, nil, time.Now())
	if got := names(srcs); !reflect.DeepEqual(got, []string{"auth.log"}) {
		t.Errorf("got %v, want [auth.log]", got)
	}
	if len(errs) != 2 {
		t.Fatalf("errors %v, want 2", errs)
	}
	if !errors.Is(errs[0], fs.ErrNotExist) || !strings.Contains(errs[0].Error(), missing) {
		t.Errorf("error %v, want one that the file does not exist, naming it", errs[0])
	}
}

func TestExpandDuplicates(t *testing.T) {
	dir := rotatedDir(t)
	live := filepath.Join(dir, "auth.log")
	srcs, errs := Expand([]string{live, dir, live}, nil, time.Now())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := []string{"auth.log.10", "auth.log.9", "auth.log.2.gz", "auth.log.1", "auth.log"}
	if got := names(srcs); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestExpandSetsKeepFirstAppearance(t *testing.T) {
	dir := t.TempDir()
	p := func(n string) string { return writeFile(t, filepath.Join(dir, n), []byte(n+"\n")) }
	args := []string{p("secure"), p("auth.log.1"), p("auth.log"), p("secure.1")}
	srcs, errs := Expand(args, nil, time.Now())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := []string{"secure.1", "secure", "auth.log.1", "auth.log"}
	if got := names(srcs); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestSortRotated(t *testing.T) {
	tests := []struct {
		in, want []string
	}{
		{[]string{"auth.log", "auth.log.1", "auth.log.2.gz"}, []string{"auth.log.2.gz", "auth.log.1", "auth.log"}},
		{[]string{"auth.log.1", "auth.log.10", "auth.log.11.gz", "auth.log.2", "auth.log.9", "auth.log"},
			[]string{"auth.log.11.gz", "auth.log.10", "auth.log.9", "auth.log.2", "auth.log.1", "auth.log"}},
		{[]string{"auth.log", "auth.log-20240108", "auth.log-20240101.gz", "auth.log-20231231.gz"},
			[]string{"auth.log-20231231.gz", "auth.log-20240101.gz", "auth.log-20240108", "auth.log"}},
		{[]string{"secure", "secure-2024010823", "secure-2024010900.gz", "secure-2024010822"},
			[]string{"secure-2024010822", "secure-2024010823", "secure-2024010900.gz", "secure"}},
		{[]string{"/var/log/auth.log", "/old/auth.log.1", "/var/log/auth.log.1", "/old/auth.log.2.gz"},
			[]string{"/var/log/auth.log.1", "/var/log/auth.log", "/old/auth.log.2.gz", "/old/auth.log.1"}},
		{[]string{"x.gz", "b", "a"}, []string{"x.gz", "b", "a"}},
		{nil, []string{}},
	}
	for _, tt := range tests {
		in := append([]string(nil), tt.in...)
		got := SortRotated(in)
		if !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("SortRotated(%v) = %v, want %v", tt.in, got, tt.want)
		}
		if !reflect.DeepEqual(in, tt.in) {
			t.Errorf("SortRotated changed its argument to %v", in)
		}
	}
}

func TestCompressionByMagicBytes(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name       string
		data       []byte
		compressed bool
		text       string
	}{
		{"auth.log.1", gz(t, []byte("zipped\n")), true, "zipped\n"},
		{"x.gz", []byte("plain\n"), false, "plain\n"},
		{"empty.gz", nil, false, ""},
		{"one-byte.gz", []byte{0x1f}, false, "\x1f"},
		{"reversed", []byte{0x8b, 0x1f, 'a'}, false, "\x8b\x1fa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, filepath.Join(dir, tt.name), tt.data)
			srcs, errs := Expand([]string{p}, nil, time.Now())
			if len(errs) > 0 || len(srcs) != 1 {
				t.Fatal(srcs, errs)
			}
			if srcs[0].Compressed != tt.compressed {
				t.Errorf("Compressed = %v, want %v", srcs[0].Compressed, tt.compressed)
			}
			if got := readSource(t, srcs[0]); got != tt.text {
				t.Errorf("reads %q, want %q", got, tt.text)
			}
		})
	}

	t.Run("gzip magic, then garbage", func(t *testing.T) {
		p := writeFile(t, filepath.Join(dir, "bad"), []byte{0x1f, 0x8b})
		srcs, errs := Expand([]string{p}, nil, time.Now())
		if len(errs) > 0 || len(srcs) != 1 || !srcs[0].Compressed {
			t.Fatal(srcs, errs)
		}
		if rc, err := srcs[0].Open(); err == nil {
			rc.Close()
			t.Error("Open of a two-byte gzip file: no error")
		}
		if _, _, _, err := srcs[0].Fingerprint(); err == nil {
			t.Error("Fingerprint of a two-byte gzip file: no error")
		}
	})
}

func TestStdin(t *testing.T) {
	file := writeFile(t, filepath.Join(t.TempDir(), "auth.log"), []byte("file\n"))
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	srcs, errs := Expand([]string{"-", file}, strings.NewReader("a\nb\n"), now)
	if len(errs) > 0 || len(srcs) != 2 {
		t.Fatal(names(srcs), errs)
	}
	if srcs[0].Path != file {
		t.Errorf("first source %s, want the file (standard input comes last)", srcs[0].Path)
	}
	in := srcs[1]
	if in.Name != "-" || !in.ModTime.Equal(now) || in.Size != 4 || in.Compressed {
		t.Errorf("stdin source: %+v", in)
	}
	if filepath.Dir(in.Path) != tmp {
		t.Errorf("spooled to %s, not in $TMPDIR %s", in.Path, tmp)
	}
	if got := readSource(t, in); got != "a\nb\n" {
		t.Errorf("reads %q", got)
	}
	if got := readSource(t, in); got != "a\nb\n" {
		t.Errorf("reads %q the second time", got)
	}
	in.Close()
	in.Close()
	if _, err := os.Stat(in.Path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("spool file after Close: %v", err)
	}

	s, err := Stdin(bytes.NewReader(gz(t, []byte("zipped\n"))), now)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Compressed || readSource(t, s) != "zipped\n" {
		t.Errorf("gzip on standard input: compressed=%v", s.Compressed)
	}
	s.Close()

	boom := errors.New("boom")
	if s, err := Stdin(io.MultiReader(strings.NewReader("part"), iotest.ErrReader(boom)), now); !errors.Is(err, boom) {
		t.Errorf("Stdin with a read error = %+v, %v; want %v", s, err, boom)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("left behind in $TMPDIR: %v", ents)
	}
}

func fp(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:32]
}

func TestFingerprint(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("a", 5000)
	tests := []struct {
		name  string
		data  string
		ok    bool
		first string
	}{
		{"two lines", "first line\nsecond\n", true, "first line\n"},
		{"same first line", "first line\nsomething else\n", true, "first line\n"},
		{"other first line", "other line\nsecond\n", true, "other line\n"},
		{"CRLF", "first line\r\nsecond\r\n", true, "first line\r\n"},
		{"one line", "first line\n", true, "first line\n"},
		{"empty line first", "\nsecond\n", true, "\n"},
		{"empty", "", false, ""},
		{"first line unfinished", "first li", false, "first li"},
		{"4096 bytes with the newline", strings.Repeat("b", 4095) + "\nnext\n", true, strings.Repeat("b", 4095) + "\n"},
		{"longer than 4096", long + "\nnext\n", true, long[:4096]},
		{"longer than 4096, other end", long + "zzz\n", true, long[:4096]},
		{"longer than 4096, unfinished", long, true, long[:4096]},
	}
	fps := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain := writeFile(t, filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")), []byte(tt.data))
			zipped := writeFile(t, plain+".1", gz(t, []byte(tt.data)))
			srcs, errs := Expand([]string{zipped, plain}, nil, time.Now())
			if len(errs) > 0 || len(srcs) != 2 || !srcs[0].Compressed || srcs[1].Compressed {
				t.Fatal(srcs, errs)
			}
			for _, s := range srcs {
				got, first, ok, err := s.Fingerprint()
				if err != nil {
					t.Fatalf("%s: %v", s.Path, err)
				}
				wantOK := tt.ok || (s.Compressed && tt.data != "")
				if ok != wantOK {
					t.Errorf("%s: ok = %v, want %v", s.Path, ok, wantOK)
				}
				if string(first) != tt.first {
					t.Errorf("%s: first line %.40q (%d bytes), want %.40q (%d bytes)", s.Path, first, len(first), tt.first, len(tt.first))
				}
				switch {
				case !ok && got != "":
					t.Errorf("%s: fingerprint %q without ok", s.Path, got)
				case ok && got != fp(tt.first):
					t.Errorf("%s: fingerprint %s, want sha256 of %.40q: %s", s.Path, got, tt.first, fp(tt.first))
				}
			}
			fps[tt.name], _, _, _ = srcs[1].Fingerprint()
		})
	}
	if fps["two lines"] != fps["same first line"] || fps["two lines"] == fps["other first line"] {
		t.Errorf("fingerprints %v: want them equal for equal first lines only", fps)
	}
	if fps["longer than 4096"] != fps["longer than 4096, other end"] {
		t.Errorf("first lines that agree in their first 4096 bytes have fingerprints %s and %s", fps["longer than 4096"], fps["longer than 4096, other end"])
	}
}

func TestGzipSizeHint(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte("Jan  1 00:00:00 h sshd[1]: m\n"), 1000)
	srcs, errs := Expand([]string{
		writeFile(t, filepath.Join(dir, "a.1"), gz(t, data)),
		writeFile(t, filepath.Join(dir, "b"), data),
		writeFile(t, filepath.Join(dir, "c"), []byte{0x1f, 0x8b, 8, 0}),
	}, nil, time.Now())
	if len(errs) > 0 || len(srcs) != 3 {
		t.Fatal(names(srcs), errs)
	}
	if n, ok := srcs[0].GzipSizeHint(); !ok || n != uint32(len(data)) {
		t.Errorf("gzip: %d, %v; want %d, true", n, ok, len(data))
	}
	if n, ok := srcs[1].GzipSizeHint(); ok {
		t.Errorf("plain file: %d, %v; want no hint", n, ok)
	}
	if n, ok := srcs[2].GzipSizeHint(); ok {
		t.Errorf("four-byte gzip file: %d, %v; want no hint", n, ok)
	}
}

func TestUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, filepath.Join(dir, "auth.log"), []byte("line\n"))
	srcs, errs := Expand([]string{p}, nil, time.Now())
	if len(errs) > 0 || len(srcs) != 1 {
		t.Fatal(srcs, errs)
	}

	// a file that is gone by the time it is read
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if _, err := srcs[0].Open(); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("Open of a removed file: %v, want an error naming %s", err, p)
	}
	if _, _, _, err := srcs[0].Fingerprint(); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("Fingerprint of a removed file: %v, want an error naming %s", err, p)
	}

	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode")
	}
	p = writeFile(t, filepath.Join(dir, "auth.log.1"), []byte("line\n"))
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	other := writeFile(t, filepath.Join(dir, "other"), []byte("line\n"))
	for _, args := range [][]string{{p, other}, {dir, other}} {
		srcs, errs := Expand(args, nil, time.Now())
		if len(errs) != 1 || !errors.Is(errs[0], fs.ErrPermission) || !strings.Contains(errs[0].Error(), p) {
			t.Errorf("Expand(%v): errors %v, want one naming %s", args, errs, p)
		}
		if got := names(srcs); !reflect.DeepEqual(got, []string{"other"}) {
			t.Errorf("Expand(%v) = %v, want [other]", args, got)
		}
	}
}

// readLines reads lr to its end, recording each line or error and the
// offset and line number after it.
type step struct {
	line   string
	err    error
	offset int64
	num    int64
}

func readAll(lr *LineReader) ([]step, error) {
	var out []step
	for i := 0; i < 1e6; i++ {
		line, err := lr.Next()
		if err != nil && err != ErrLineTooLong {
			return out, err
		}
		out = append(out, step{string(line), err, lr.Offset(), lr.Line()})
	}
	return out, errors.New("no end")
}

var readers = []struct {
	name string
	wrap func(io.Reader) io.Reader
}{
	{"whole", func(r io.Reader) io.Reader { return r }},
	{"one byte at a time", iotest.OneByteReader},
	{"half", iotest.HalfReader},
	{"EOF with data", iotest.DataErrReader},
}

func TestLineReader(t *testing.T) {
	data := "a\nbb\r\n\nccc\r\nx\ry\ndd"
	complete := []step{
		{"a", nil, 2, 1},
		{"bb", nil, 6, 2},
		{"", nil, 7, 3},
		{"ccc", nil, 12, 4},
		{"x\ry", nil, 16, 5},
	}
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			for _, final := range []bool{false, true} {
				lr := NewLineReader(rd.wrap(strings.NewReader(data)), 0, 0, 64<<10, final)
				got, err := readAll(lr)
				if err != io.EOF {
					t.Fatalf("final=%v: ended with %v, want io.EOF", final, err)
				}
				want := complete
				if final {
					want = append(want[:len(want):len(want)], step{"dd", nil, 18, 6})
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("final=%v:\n got %+v\nwant %+v", final, got, want)
				}
				if _, err := lr.Next(); err != io.EOF {
					t.Errorf("final=%v: after the end: %v, want io.EOF again", final, err)
				}
				if w := want[len(want)-1]; lr.Offset() != w.offset || lr.Line() != w.num {
					t.Errorf("final=%v: ends at offset %d line %d, want %d, %d", final, lr.Offset(), lr.Line(), w.offset, w.num)
				}
			}
		})
	}
}

// testLog returns lines of many lengths, some empty, some with CRLF.
func testLog() (string, []string) {
	var b strings.Builder
	var lines []string
	for i := 0; i < 300; i++ {
		l := strings.Repeat(string(rune('a'+i%26)), (i*37)%200)
		lines = append(lines, l)
		b.WriteString(l)
		if i%7 == 0 {
			b.WriteString("\r")
		}
		b.WriteString("\n")
	}
	return b.String(), lines
}

// TestLineReaderResume stops after every line in turn and goes on with a
// new reader at the offset and line number the first one reported: the
// rest must come out exactly as in one pass.
func TestLineReaderResume(t *testing.T) {
	data, lines := testLog()
	full, err := readAll(NewLineReader(strings.NewReader(data), 0, 0, 1<<10, false))
	if err != io.EOF {
		t.Fatal(err)
	}
	if len(full) != len(lines) {
		t.Fatalf("%d lines, want %d", len(full), len(lines))
	}
	for i, s := range full {
		if s.line != lines[i] || s.num != int64(i+1) {
			t.Fatalf("line %d: %+v, want %q", i+1, s, lines[i])
		}
		if data[s.offset-1] != '\n' {
			t.Fatalf("line %d: offset %d is not after a newline", i+1, s.offset)
		}
	}
	if full[len(full)-1].offset != int64(len(data)) {
		t.Fatalf("last offset %d, want %d", full[len(full)-1].offset, len(data))
	}
	for k := 0; k < len(full); k++ {
		var off, num int64
		if k > 0 {
			off, num = full[k-1].offset, full[k-1].num
		}
		rest, err := readAll(NewLineReader(iotest.HalfReader(strings.NewReader(data[off:])), off, num, 1<<10, false))
		if err != io.EOF {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rest, full[k:]) {
			t.Fatalf("resumed after line %d at offset %d: lines differ", k, off)
		}
	}
}

// TestLineReaderGrowingFile reads a log whose last line is still being
// written, then goes on from the reported offset once it is finished.
func TestLineReaderGrowingFile(t *testing.T) {
	before := "Jan  1 00:00:00 h sshd[1]: one\nJan  1 00:00:01 h sshd[1]: tw"
	after := before + "o\nJan  1 00:00:02 h sshd[1]: three\n"
	lr := NewLineReader(strings.NewReader(before), 0, 0, 64<<10, false)
	got, err := readAll(lr)
	if err != io.EOF || len(got) != 1 || got[0].line != "Jan  1 00:00:00 h sshd[1]: one" {
		t.Fatalf("first pass: %+v, %v", got, err)
	}
	off, num := lr.Offset(), lr.Line()
	if off != 31 || num != 1 {
		t.Fatalf("first pass stops at %d, line %d; want 31, 1", off, num)
	}
	got, err = readAll(NewLineReader(strings.NewReader(after[off:]), off, num, 64<<10, false))
	want := []step{
		{"Jan  1 00:00:01 h sshd[1]: two", nil, 62, 2},
		{"Jan  1 00:00:02 h sshd[1]: three", nil, int64(len(after)), 3},
	}
	if err != io.EOF || !reflect.DeepEqual(got, want) {
		t.Errorf("second pass: %+v, %v; want %+v", got, err, want)
	}
}

// TestLineReaderTooLong: lines longer than the buffer are skipped with
// ErrLineTooLong, counted as lines, and reading goes on after them.
func TestLineReaderTooLong(t *testing.T) {
	big := strings.Repeat("x", 2<<20+123)
	data := "short\n" + big + "\nafter\n" + big + "\n" + big + "\nend\n" + big
	n := int64(len(big))
	want := []step{
		{"short", nil, 6, 1},
		{"", ErrLineTooLong, 7 + n, 2},
		{"after", nil, 13 + n, 3},
		{"", ErrLineTooLong, 14 + 2*n, 4},
		{"", ErrLineTooLong, 15 + 3*n, 5},
		{"end", nil, 19 + 3*n, 6},
	}
	for _, rd := range readers {
		if rd.name == "one byte at a time" {
			continue // slow for megabytes; TestLineReaderMaxLength reads bytes singly
		}
		t.Run(rd.name, func(t *testing.T) {
			for _, final := range []bool{false, true} {
				lr := NewLineReader(rd.wrap(strings.NewReader(data)), 0, 0, 64<<10, final)
				got, err := readAll(lr)
				if err != io.EOF {
					t.Fatalf("final=%v: ended with %v", final, err)
				}
				w := want
				if final {
					w = append(w[:len(w):len(w)], step{"", ErrLineTooLong, int64(len(data)), 7})
				}
				if !reflect.DeepEqual(got, w) {
					t.Errorf("final=%v:\n got %+v\nwant %+v", final, got, w)
				}
			}
		})
	}
}

// TestLineReaderMaxLength: the limit is the line's length, whatever the
// reads that bring it in. A line of max bytes is read; one of max+1 bytes
// is ErrLineTooLong. With whole reads, a line over the limit that fits in
// the reader's buffer (1 MiB) together with its newline is handed out as a
// line: ingest's MaxLine is 64 KiB, so lines of 64 KiB to 1 MiB get
// through.
func TestLineReaderMaxLength(t *testing.T) {
	for _, max := range []int{16, 64 << 10} {
		ok := strings.Repeat("o", max)
		long := strings.Repeat("L", max+1)
		longer := strings.Repeat("M", max*3/2)
		data := ok + "\n" + long + "\n" + longer + "\nnext\n"
		m := int64(max)
		want := []step{
			{ok, nil, m + 1, 1},
			{"", ErrLineTooLong, 2*m + 3, 2},
			{"", ErrLineTooLong, 2*m + 3 + m*3/2 + 1, 3},
			{"next", nil, 2*m + 3 + m*3/2 + 6, 4},
		}
		for _, rd := range readers {
			t.Run(fmt.Sprintf("max %d/%s", max, rd.name), func(t *testing.T) {
				got, err := readAll(NewLineReader(rd.wrap(strings.NewReader(data)), 0, 0, max, true))
				if err != io.EOF {
					t.Fatalf("ended with %v", err)
				}
				if len(got) != len(want) {
					t.Fatalf("%d steps, want %d: lengths %v", len(got), len(want), stepLens(got))
				}
				for i := range want {
					if got[i].line != want[i].line || got[i].err != want[i].err || got[i].offset != want[i].offset || got[i].num != want[i].num {
						t.Errorf("step %d: %d-byte line, %v, offset %d, line %d; want %d bytes, %v, offset %d, line %d",
							i, len(got[i].line), got[i].err, got[i].offset, got[i].num, len(want[i].line), want[i].err, want[i].offset, want[i].num)
					}
				}
			})
		}
	}
}

func stepLens(ss []step) []string {
	var out []string
	for _, s := range ss {
		out = append(out, fmt.Sprintf("%d/%v", len(s.line), s.err))
	}
	return out
}

// TestLineReaderTooLongUnfinished: an over-long last line that is still
// being written (not final) is not handed out, so Offset must stay at the
// end of the line before it. Reading on from Offset once the line is
// finished must then report that line as too long, not hand out its tail
// as a line of its own.
func TestLineReaderTooLongUnfinished(t *testing.T) {
	big := strings.Repeat("x", 2<<20)
	before := "ok\n" + big
	lr := NewLineReader(strings.NewReader(before), 0, 0, 64<<10, false)
	got, err := readAll(lr)
	if err != io.EOF || len(got) != 1 || got[0].line != "ok" {
		t.Fatalf("first pass: %v, %v", stepLens(got), err)
	}
	if lr.Offset() != 3 || lr.Line() != 1 {
		t.Errorf("first pass ends at offset %d, line %d; want 3, 1 (the end of the last line handed out)", lr.Offset(), lr.Line())
	}
	after := before + "tail\nnext\n"
	off, num := lr.Offset(), lr.Line()
	got, err = readAll(NewLineReader(strings.NewReader(after[off:]), off, num, 64<<10, false))
	want := []step{
		{"", ErrLineTooLong, int64(len(before)) + 5, 2},
		{"next", nil, int64(len(after)), 3},
	}
	if err != io.EOF || !reflect.DeepEqual(got, want) {
		t.Errorf("second pass from offset %d: %+v, %v; want %+v", off, shorten(got), err, want)
	}
}

func shorten(ss []step) []step {
	out := append([]step(nil), ss...)
	for i := range out {
		if len(out[i].line) > 40 {
			out[i].line = out[i].line[:40] + "…"
		}
	}
	return out
}

func TestLineReaderStartsAtOffset(t *testing.T) {
	lr := NewLineReader(strings.NewReader("x\nyy\n"), 100, 7, 64<<10, false)
	got, err := readAll(lr)
	want := []step{{"x", nil, 102, 8}, {"yy", nil, 105, 9}}
	if err != io.EOF || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, %v; want %+v", got, err, want)
	}
}

func TestLineReaderReadError(t *testing.T) {
	boom := errors.New("boom")
	lr := NewLineReader(io.MultiReader(strings.NewReader("a\nb\npart"), iotest.ErrReader(boom)), 0, 0, 64<<10, false)
	got, err := readAll(lr)
	if !errors.Is(err, boom) {
		t.Fatalf("ended with %v, want %v", err, boom)
	}
	if want := []step{{"a", nil, 2, 1}, {"b", nil, 4, 2}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, err := lr.Next(); !errors.Is(err, boom) {
		t.Errorf("after the error: %v, want %v again", err, boom)
	}
	if lr.Offset() != 4 || lr.Line() != 2 {
		t.Errorf("offset %d line %d, want 4, 2", lr.Offset(), lr.Line())
	}
}

// TestTruncatedGzip reads gzip files cut short, as a compressed source is
// read: final, since it cannot grow. The lines before the cut come out
// whole, then an error; the line the cut falls in is not handed out as if
// it were complete (its address or user name would be wrong).
func TestTruncatedGzip(t *testing.T) {
	var b strings.Builder
	var lines []string
	seed := uint32(7)
	for i := 0; i < 3000; i++ {
		seed = seed*1664525 + 1013904223
		l := fmt.Sprintf("Jan %2d 00:00:%02d h sshd[%d]: Failed password for user%d from 192.0.2.%d port %d ssh2",
			1+i%28, i%60, seed%99999, seed%7919, seed%250, 1024+seed%60000)
		lines = append(lines, l)
		b.WriteString(l + "\n")
	}
	whole := gz(t, []byte(b.String()))
	dir := t.TempDir()
	for _, frac := range []int{10, 35, 50, 80, 99} {
		t.Run(fmt.Sprintf("cut at %d%%", frac), func(t *testing.T) {
			p := writeFile(t, filepath.Join(dir, fmt.Sprintf("auth.log.%d.gz", frac)), whole[:len(whole)*frac/100])
			srcs, errs := Expand([]string{p}, nil, time.Now())
			if len(errs) > 0 || len(srcs) != 1 || !srcs[0].Compressed {
				t.Fatal(srcs, errs)
			}
			rc, err := srcs[0].Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			lr := NewLineReader(rc, 0, 0, 64<<10, true)
			got, err := readAll(lr)
			if err == nil || err == io.EOF {
				t.Fatalf("ended with %v after %d lines, want a read error", err, len(got))
			}
			if len(got) == 0 {
				t.Fatalf("no lines before the cut")
			}
			var off int64
			for i, s := range got {
				if s.line != lines[i] || s.err != nil {
					t.Fatalf("line %d of %d: %q, %v; want %q", i+1, len(got), s.line, s.err, lines[i])
				}
				off += int64(len(lines[i]) + 1)
			}
			if lr.Offset() != off {
				t.Errorf("offset %d, want %d: the end of line %d", lr.Offset(), off, len(got))
			}
		})
	}
}

// TestLineReaderTail: after every line, Tail is the TailBytes bytes before
// Offset (all of them near the start), over-long lines skipped, buffer
// moves, a final line without newline, and a reader that begins at an
// offset with SetBefore.
func TestLineReaderTail(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 3000; i++ {
		switch {
		case i%700 == 5:
			b.WriteString(strings.Repeat("L", 9000+i) + "\n") // longer than the limit and than a tail
		case i%97 == 0:
			b.WriteString(strings.Repeat("m", 1500) + "\n")
		default:
			fmt.Fprintf(&b, "line %d of the log\n", i)
		}
	}
	b.WriteString("last line, no newline")
	data := b.String()
	for _, bufSize := range []int{1 << 20, 3000, 1025} {
		for _, start := range []int64{0, 100, 5000, 40000} {
			off := start
			for off > 0 && data[off-1] != '\n' {
				off--
			}
			old := lineBufferBytes
			lineBufferBytes = bufSize
			lr := NewLineReader(iotest.OneByteReader(strings.NewReader(data[off:])), off, 0, 2048, true)
			lineBufferBytes = old
			lr.SetBefore([]byte(data[max(off-TailBytes, 0):off]))
			for n := 0; ; n++ {
				_, err := lr.Next()
				if err == io.EOF {
					break
				}
				if err != nil && err != ErrLineTooLong {
					t.Fatal(err)
				}
				o := lr.Offset()
				if want := data[max(o-TailBytes, 0):o]; string(lr.Tail()) != want {
					t.Fatalf("buffer %d, from %d, line %d (offset %d): tail of %d bytes ends %q, want %d ending %q",
						bufSize, off, n, o, len(lr.Tail()), tailEnd(lr.Tail()), len(want), tailEnd([]byte(want)))
				}
			}
			if lr.Offset() != int64(len(data)) {
				t.Fatalf("ended at %d, want %d", lr.Offset(), len(data))
			}
		}
	}
}

func tailEnd(b []byte) []byte { return b[max(len(b)-20, 0):] }

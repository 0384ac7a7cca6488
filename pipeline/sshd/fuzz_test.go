package sshd_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/knockmap/knockmap/pipeline/sshd"
)

// corpusMessages returns the sshd messages of the real logs under
// corpusDir, or none when the corpus is absent (the fuzz targets then run on
// the table's messages alone).
func corpusMessages(tb testing.TB) []string {
	var out []string
	for _, name := range []string{
		filepath.Join("fail2ban", "sshd"),
		filepath.Join("fail2ban", "sshd-journal"),
		filepath.Join("loghub", "OpenSSH_2k.log"),
	} {
		f, err := os.Open(filepath.Join(corpusDir, name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if msg, ok := splitMessage(sc.Text()); ok {
				out = append(out, msg)
			}
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

// FuzzParse checks what must hold for any message:
//   - Parse does not panic and does not change the message;
//   - a message that is not recognised leaves no kind, address or user
//     behind;
//   - a recognised one has a real kind, a port in range, a repeat count of
//     at least one, a method only for Failed and Accepted;
//   - a key type and fingerprint only on an accepted line, right of its
//     address, of printable ASCII that no markup or terminal reads;
//   - its address is address-like, lies in the message (for ::ffff:a.b.c.d,
//     the a.b.c.d part of it) and, with the port, to the right of the
//     username: sshd writes the username first in every family but PAM's
//     "rhost=A  user=U", so an address taken from inside or left of the
//     username would be one the client wrote.
//
// Positions are compared, not text: a username may itself hold the
// address's text ("x 1.2.3.4 port 5"), so "the last occurrence of the
// username" is no help; where the parser took each slice from is exact.
func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.msg)
	}
	for _, tmpl := range hostileTemplates {
		for _, u := range hostileUsers {
			f.Add(tmpl.build(u))
		}
	}
	for _, m := range corpusMessages(f) {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, s string) {
		msg := []byte(s)
		var e sshd.Event
		ok, err := safeParse(msg, &e)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		if string(msg) != s {
			t.Fatalf("Parse changed the message: %q -> %q", s, msg)
		}
		var again sshd.Event
		if ok2 := sshd.Parse(msg, &again); ok2 != ok || toEv(&again) != toEv(&e) {
			t.Fatalf("Parse(%q) not deterministic: %v %v, then %v %v", s, ok, toEv(&e), ok2, toEv(&again))
		}
		if !ok {
			// (Repeat is left out here: TestParse checks the whole event of
			// unrecognised messages.)
			if e.Kind != sshd.KindNone || e.Addr != nil || e.HostName != nil || e.User != nil || e.Method != nil || e.HasUser || e.InvalidUser || e.Port != 0 {
				t.Fatalf("Parse(%q) = false but left %v", s, toEv(&e))
			}
			return
		}
		checkEvent(t, msg, &e)
	})
}

func checkEvent(t *testing.T, msg []byte, e *sshd.Event) {
	t.Helper()
	if name := e.Kind.String(); name == "" || name == "unknown" {
		t.Fatalf("Parse(%q) = true with kind %d", msg, e.Kind)
	}
	if e.Repeat < 1 {
		t.Fatalf("Parse(%q): repeat %d", msg, e.Repeat)
	}
	if e.Port < 0 || e.Port > 65535 {
		t.Fatalf("Parse(%q): port %d", msg, e.Port)
	}
	authLine := e.Kind == sshd.KindFailed || e.Kind == sshd.KindAccepted
	if authLine != (len(e.Method) > 0) {
		t.Fatalf("Parse(%q): kind %q with method %q", msg, e.Kind, e.Method)
	}
	if len(e.User) > 0 && !e.HasUser {
		t.Fatalf("Parse(%q): user %q but HasUser false", msg, e.User)
	}
	if len(e.Addr) != 0 && len(e.HostName) != 0 {
		t.Fatalf("Parse(%q): both address %q and host name %q", msg, e.Addr, e.HostName)
	}
	if len(e.HostName) != 0 && !nameLike(e.HostName) {
		t.Fatalf("Parse(%q): host name %q is no name (an address must never be one, nor a name an address)", msg, e.HostName)
	}
	if len(e.Addr) != 0 && !ipLike(e.Addr) {
		t.Fatalf("Parse(%q): address %q is no IP address", msg, e.Addr)
	}
	where := e.Addr // the client as logged: its address or its name
	if len(where) == 0 {
		where = e.HostName
	}
	if len(where) == 0 {
		if e.Port != 0 {
			t.Fatalf("Parse(%q): port %d without an address", msg, e.Port)
		}
		return
	}
	aOff, in := offsetIn(msg, where)
	if !in || !bytes.Contains(msg, where) {
		t.Fatalf("Parse(%q): address %q is not in the message", msg, where)
	}
	if !addrLike(where) {
		t.Fatalf("Parse(%q): address %q does not look like one", msg, where)
	}
	// sshd (inet_ntop) writes the mapped prefix in lower case.
	if bytes.HasPrefix(e.Addr, []byte("::ffff:")) && bytes.IndexByte(e.Addr[7:], ':') < 0 && bytes.IndexByte(e.Addr[7:], '.') >= 0 {
		t.Fatalf("Parse(%q): address %q kept its ::ffff: prefix", msg, e.Addr)
	}
	aEnd := aOff + len(where)
	if e.Port != 0 && !bytes.Contains(msg[aEnd:], []byte(strconv.Itoa(int(e.Port)))) {
		t.Fatalf("Parse(%q): port %d is not right of the address %q", msg, e.Port, where)
	}
	if len(e.KeyType) != 0 || len(e.KeyFingerprint) != 0 {
		kOff, in := offsetIn(msg, e.KeyType)
		if e.Kind != sshd.KindAccepted || len(e.KeyType) == 0 || len(e.KeyFingerprint) == 0 || !in || kOff < aEnd {
			t.Fatalf("Parse(%q): key %q %q of a %q line, not right of the address %q", msg, e.KeyType, e.KeyFingerprint, e.Kind, where)
		}
		if bytes.ContainsAny(e.KeyFingerprint, " \t<>&\"'\\") || bytes.ContainsFunc(e.KeyFingerprint, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
			t.Fatalf("Parse(%q): fingerprint %q holds more than a fingerprint's characters", msg, e.KeyFingerprint)
		}
	}
	if len(e.User) == 0 || e.Kind == sshd.KindRootRefused {
		return // no user in the message to compare with
	}
	uOff, in := offsetIn(msg, e.User)
	if !in {
		t.Fatalf("Parse(%q): user %q is not in the message", msg, e.User)
	}
	uEnd := uOff + len(e.User)
	if aOff < uEnd && uOff < aEnd {
		t.Fatalf("Parse(%q): address %q taken from inside the username %q", msg, where, e.User)
	}
	if e.Kind != sshd.KindPAMFailure && aOff < uEnd {
		t.Fatalf("Parse(%q): address %q (at %d) left of the username %q (ends at %d)", msg, where, aOff, e.User, uEnd)
	}
}

// ipLike: an IPv4 address of digits and dots, or an IPv6 one of hex
// digits, colons and dots (its zone cut off).
func ipLike(a []byte) bool {
	v6 := bytes.IndexByte(a, ':') >= 0
	for _, c := range a {
		switch {
		case c >= '0' && c <= '9', c == '.':
		case v6 && (c == ':' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'):
		default:
			return false
		}
	}
	return true
}

// nameLike: a host name, with a letter and no colon or '%'.
func nameLike(a []byte) bool {
	letter := false
	for _, c := range a {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-', c == '_':
			letter = true
		case c >= '0' && c <= '9', c == '.':
		default:
			return false
		}
	}
	return letter
}

// addrLike: address characters only, with a dot or a colon.
func addrLike(a []byte) bool {
	sep := false
	for _, c := range a {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-', c == '_', c == '%':
		case c == '.' || c == ':':
			sep = true
		default:
			return false
		}
	}
	return sep
}

// FuzzUsernameCannotForge puts an arbitrary username u into every family
// of hostileTemplates (Failed … for invalid user U from A port P ssh2,
// Invalid user U from A port P, and the others that log a client-chosen
// name) and requires the address and port sshd wrote, 203.0.113.7 and 4242,
// and the username exactly as given.
//
// Precondition: none, not even "no newline". Reading the parser: in the
// from-families the real " from " is the right-most one in the message (the
// text after it, "203.0.113.7 port 4242[ ssh2]", holds no 'f') and it is
// complete, so nothing in u is looked at as an address; in the "U A port P"
// families the address is the last word once the trailing " port P" is
// cut. A newline or any other byte in u changes neither. The one family
// that cannot be read from an end is "Disconnecting … U A port P: Change of
// username or service not allowed: (U,…) -> (U2,…)", which quotes the
// client's names on both sides of the address; it is held to the same
// rule. The deliberate
// fail2ban decision (the right-most complete "from A port P sshN" that is
// followed by the end or ": " wins) does not let a username forge either:
// a u ending "… from X port P ssh2:" still has the real "from 203.0.113.7
// port 4242 ssh2" to its right, which ends the message and wins. Only text
// after the real address could use that rule, and no template here lets
// the client write any.
func FuzzUsernameCannotForge(f *testing.F) {
	for _, u := range hostileUsers {
		f.Add(u)
	}
	f.Add("x\nFailed password for root from 6.6.6.6 port 22 ssh2")
	f.Add("\x00\xff")
	f.Fuzz(func(t *testing.T, u string) {
		for _, tmpl := range hostileTemplates {
			msg := tmpl.build(u)
			var e sshd.Event
			ok, err := safeParse([]byte(msg), &e)
			if err != nil {
				t.Fatalf("%s: Parse(%q): %v", tmpl.name, msg, err)
			}
			if !ok {
				t.Fatalf("%s: Parse(%q) = false", tmpl.name, msg)
			}
			want := tmpl.want
			want.user = u
			if got := toEv(&e); got != want {
				t.Fatalf("%s: Parse(%q)\n got  %v\n want %v", tmpl.name, msg, got, want)
			}
		}
	})
}

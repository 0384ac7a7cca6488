package sshd_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/knockmap/knockmap/pipeline/sshd"
	"github.com/knockmap/knockmap/pipeline/sshd/sshdtest"
)

// corpusDir is /work/shared/corpus seen from this package's folder
// (work/main/pipeline/sshd): real logs from public test suites, kept
// outside the repository. Tests that read it are skipped when it is absent.
var corpusDir = filepath.Join("..", "..", "..", "shared", "corpus")

// corpusFile returns the path of a corpus file, skipping t when the file
// is absent.
func corpusFile(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(corpusDir, name)
	if _, err := os.Stat(p); err != nil {
		if os.IsNotExist(err) {
			t.Skipf("corpus file %s is absent", p)
		}
		t.Fatal(err)
	}
	return p
}

// splitMessage returns the sshd message of a log line: what follows
// "sshd[pid]: " (also sshd-session, sshd-auth, a pid-less "[sshd]: " or
// "[sshd] ", and a tag with no pid "sshd: "), or for an RFC 5424 line what
// follows the structured data. ok is false when the line has no sshd tag.
// The corpus holds every one of these shapes.
func splitMessage(line string) (msg string, ok bool) {
	if strings.HasPrefix(line, "<") {
		return split5424(line)
	}
	best := -1
	var rest string
	for _, tag := range []string{"sshd[", "sshd-session[", "sshd-auth[", "[sshd]"} {
		i := strings.Index(line, tag)
		if i < 0 || (best >= 0 && i >= best) {
			continue
		}
		r := line[i+len(tag):]
		if tag != "[sshd]" {
			j := strings.IndexByte(r, ']')
			if j < 0 {
				continue
			}
			r = r[j+1:]
		}
		best, rest = i, r
	}
	if best < 0 {
		return "", false
	}
	switch {
	case strings.HasPrefix(rest, ": "):
		return rest[2:], true
	case strings.HasPrefix(rest, " "):
		return rest[1:], true
	}
	return "", false
}

// split5424 reads "<PRI>1 TS HOST APP PROCID MSGID SD MSG" and returns MSG
// when APP is one of sshd's programs.
func split5424(line string) (string, bool) {
	f := strings.SplitN(line, " ", 7)
	if len(f) < 7 || !sshd.IsDaemon([]byte(f[3])) {
		return "", false
	}
	rest := f[6]
	if strings.HasPrefix(rest, "- ") {
		return rest[2:], true
	}
	// One or more [id k="v" …] elements; a value may hold ']' inside quotes
	// and \" \\ \] escapes.
	for strings.HasPrefix(rest, "[") {
		inQuote := false
		i := 1
		for ; i < len(rest); i++ {
			c := rest[i]
			if c == '\\' && inQuote {
				i++
				continue
			}
			if c == '"' {
				inQuote = !inQuote
			}
			if c == ']' && !inQuote {
				break
			}
		}
		if i >= len(rest) {
			return "", false
		}
		rest = rest[i+1:]
	}
	if !strings.HasPrefix(rest, " ") {
		return "", false
	}
	return rest[1:], true
}

func TestSplitMessage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Jun 21 16:47:48 digital sshd[13709]: error: PAM: x", "error: PAM: x"},
		{"Jul  3 14:59:17 host sshd-session[1571]: Failed password", "Failed password"},
		{"Mar  3 00:17:22 [sshd]: User root from 1.2.3.4 not allowed", "User root from 1.2.3.4 not allowed"},
		{"Jun 25 23:53:34 [sshd] User root from 1.2.3.4 not allowed", "User root from 1.2.3.4 not allowed"},
		{"Nov 23 21:50:19 sshd[8148]: Disconnecting: x", "Disconnecting: x"},
		{"srv sshd[5174]: refused connect from a (b)", "refused connect from a (b)"},
		{`<38>1 2019-07-08T17:40:17.95-04:00 h.example.com sshd 55555 - [tq a="1"][x@1 t="[b]"] Failed unknown`, "Failed unknown"},
		{"<38>1 2019-07-08T17:40:16.95-04:00 h.example.com sshd 57915 - - Failed unknown", "Failed unknown"},
	}
	for _, tt := range tests {
		got, ok := splitMessage(tt.in)
		if !ok || got != tt.want {
			t.Errorf("splitMessage(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	if _, ok := splitMessage("Jun 21 16:47:48 host CRON[1]: x"); ok {
		t.Error("splitMessage accepted a CRON line")
	}
}

// TestFail2banCorpus runs every line that fail2ban's sshd filter counts as
// a failure from an IP address (match: true with a host, ip4 or ip6 that is
// an address) through Parse.
//
//   - When the address occurs in the message, Parse must recognise it, with a
//     failure kind and that address. Accepted lines are the exception for
//     the kind only: fail2ban counts an "Accepted" as a failure when the same
//     connection tried other users first (a judgement over several lines);
//     KindAccepted is deliberately not IsFailure, so for those the test
//     checks the kind is KindAccepted and the address is right.
//   - When the address does not occur in the message, fail2ban took it from
//     an earlier line of the same pid (kex_exchange_identification,
//     "Disconnecting: Too many authentication failures", …). No single-line
//     parser can know it: Parse must still recognise the line as a failure,
//     and must not make up an address. That the line gets its pid's
//     address from its connection is pipeline/ingest's
//     TestFail2banCorpusConnections, over the same files.
func TestFail2banCorpus(t *testing.T) {
	dir := filepath.Join(corpusDir, "fail2ban")
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		t.Skipf("corpus folder %s is absent", dir)
	}
	checked, alone := 0, 0
	missed := map[string]int{} // family -> lines the line alone cannot give the address of
	for _, name := range []string{"sshd", "sshd-journal"} {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); os.IsNotExist(err) {
			t.Logf("%s is absent", path)
			continue
		}
		anns, err := sshdtest.ReadAnnotated(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range anns {
			if !a.Match || !sshdtest.IsIPLiteral(a.Host) {
				continue
			}
			msg, ok := splitMessage(a.Text)
			if !ok {
				t.Errorf("%s:%d: no sshd message in %q", a.File, a.Line, a.Text)
				continue
			}
			checked++
			want := sshdtest.Want(msg, a.Host)
			var e sshd.Event
			ok, err := safeParse([]byte(msg), &e)
			if err != nil {
				t.Errorf("%s:%d: Parse(%q): %v", a.File, a.Line, msg, err)
				continue
			}
			if !ok {
				t.Errorf("%s:%d: not recognised: %q (host %s)", a.File, a.Line, msg, a.Host)
				missed["(not recognised)"]++
				continue
			}
			inMsg := strings.Contains(msg, a.Host) || strings.Contains(msg, want)
			switch {
			case e.Kind == sshd.KindAccepted && inMsg:
				// see above: a success, counted by fail2ban for its context
			case !e.Kind.IsFailure():
				t.Errorf("%s:%d: kind %q is not a failure: %q", a.File, a.Line, e.Kind, msg)
			}
			switch {
			case e.Kind.IsFailure() && string(e.Addr) == want:
				alone++
			case !inMsg:
				missed[e.Kind.String()+" (no address: the pid's other lines)"]++
			default:
				missed[e.Kind.String()]++
			}
			if inMsg {
				if string(e.Addr) != want {
					t.Errorf("%s:%d: addr %q, want %q: %q", a.File, a.Line, e.Addr, want, msg)
				}
			} else if len(e.Addr) != 0 {
				t.Errorf("%s:%d: addr %q made up (the message names none; fail2ban's host %s comes from another line): %q", a.File, a.Line, e.Addr, a.Host, msg)
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d annotated failure lines checked; the corpus should give over 100", checked)
	}
	t.Logf("%d annotated failure lines checked; %d of them read as a failure with that address by the line alone", checked, alone)
	fams := make([]string, 0, len(missed))
	for f := range missed {
		fams = append(fams, f)
	}
	sort.Strings(fams)
	for _, f := range fams {
		t.Logf("  still missed by the line alone: %3d %s", missed[f], f)
	}
}

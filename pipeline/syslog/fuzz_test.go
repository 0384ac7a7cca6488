package syslog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"
)

// corpusDir is the shared corpus of real logs beside the project.
var corpusDir = filepath.Join("..", "..", "..", "shared", "corpus")

// corpusLines returns the lines of the shared corpus's logs, or nothing
// when the corpus is absent.
func corpusLines(tb testing.TB) [][]byte {
	tb.Helper()
	var lines [][]byte
	for _, name := range []string{"fail2ban/sshd", "fail2ban/sshd-journal", "loghub/OpenSSH_2k.log"} {
		b, err := os.ReadFile(filepath.Join(corpusDir, filepath.FromSlash(name)))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			lines = append(lines, append([]byte(nil), sc.Bytes()...))
		}
		if err := sc.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	return lines
}

func TestCorpusPresent(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skip("the shared corpus is absent: ", err)
	}
	lines := corpusLines(t)
	if len(lines) < 2000 {
		t.Fatalf("%d corpus lines read from %s, want the 2,000 of loghub at least", len(lines), corpusDir)
	}
	// every log line of loghub's sample is classic syslog from sshd
	p := NewParser(time.UTC, 2024)
	b, err := os.ReadFile(filepath.Join(corpusDir, "loghub", "OpenSSH_2k.log"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n")) {
		var r Record
		if err := p.Parse(line, &r); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if r.Format != FormatClassic || string(r.Ident) != "sshd" || r.PID == 0 || string(r.Host) != "LabSZ" {
			t.Fatalf("%q: %+q", line, copyRecord(&r))
		}
		n++
	}
	if n != 2000 {
		t.Errorf("%d lines, want 2000", n)
	}
}

var (
	// a classic line read by a fresh Parser in New York, started in 2024,
	// falls in 2024 there
	classicMin = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(-24 * time.Hour).UnixMicro()
	classicMax = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(24 * time.Hour).UnixMicro()
	// RFC 3339 years are four digits; zone offsets are under a day
	isoMin = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Add(-24 * time.Hour).UnixMicro()
	isoMax = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).Add(24 * time.Hour).UnixMicro()
)

// warmup is parsed first by the reused Parser, to leave escaped text in
// its scratch buffer.
const warmup = `{"__REALTIME_TIMESTAMP":"1","MESSAGE":"\u0041\u0042\u0043 warm \n up","_HOSTNAME":"\u0068"}`

func FuzzParse(f *testing.F) {
	for _, cases := range [][]parseCase{classicCases, rfc3339Cases, rfc5424Cases, jsonCases, headerCases} {
		for _, c := range cases {
			f.Add([]byte(c.line))
		}
	}
	for _, c := range errorCases {
		f.Add([]byte(c.line))
	}
	for _, l := range jsonErrorLines {
		f.Add([]byte(l))
	}
	for _, l := range corpusLines(f) {
		f.Add(l)
		if len(l) > 0 && l[0] != '#' {
			// the journal form of the same text
			msg, _ := json.Marshal(string(l))
			f.Add([]byte(`{"__REALTIME_TIMESTAMP":"1705314225123456","_PID":"1","MESSAGE":` + string(msg) + `}`))
		}
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		f.Skip(err)
	}
	reused := NewParser(ny, 2024)
	f.Fuzz(func(t *testing.T, line []byte) {
		orig := append([]byte(nil), line...)
		var r Record
		err := NewParser(ny, 2024).Parse(line, &r)
		if !bytes.Equal(line, orig) {
			t.Fatalf("Parse changed its input")
		}
		if err != nil {
			if err == ErrSkip && (r.Format != FormatUnknown || r.TS != 0 || r.Msg != nil) {
				t.Errorf("ErrSkip with a record: %+q", copyRecord(&r))
			}
			return
		}
		got := copyRecord(&r)

		// the same line, after another, with a Parser that has history
		reused.SetYear(2024, 0)
		var w Record
		if err := reused.Parse([]byte(warmup), &w); err != nil {
			t.Fatal(err)
		}
		var r2 Record
		if err := reused.Parse(line, &r2); err != nil {
			t.Fatalf("a reused Parser fails where a new one did not: %v", err)
		}
		if again := copyRecord(&r2); again != got {
			t.Fatalf("a reused Parser reads\n%+q\nwhere a new one read\n%+q", again, got)
		}

		if r.PID < 0 {
			t.Errorf("negative pid %d", r.PID)
		}
		switch r.Format {
		case FormatClassic:
			if r.TS < classicMin || r.TS >= classicMax {
				t.Errorf("classic stamp %s is not in 2024", got.TS)
			}
		case FormatRFC3339, FormatRFC5424:
			if r.TS < isoMin || r.TS >= isoMax {
				t.Errorf("stamp %d µs is out of range", r.TS)
			}
			checkISOAgainstTime(t, line, r.TS)
		case FormatSvlogd:
			if r.TS < isoMin || r.TS >= isoMax {
				t.Errorf("svlogd stamp %d µs is out of range", r.TS)
			}
		case FormatJSON:
			if r.TS < 0 || r.TS >= 1e18 {
				t.Errorf("journal stamp %d µs is out of range", r.TS)
			}
			checkJSONAgainstEncoding(t, line, &r)
			return
		default:
			t.Fatalf("no error and format %v", r.Format)
		}
		// the parts of a text line are slices of it, the message its tail
		for _, part := range [][]byte{r.Host, r.Ident, r.Msg} {
			if len(part) > 0 && !within(line, part) {
				t.Errorf("%q is not a slice of the line", part)
			}
		}
		if len(r.Msg) > 0 && &r.Msg[len(r.Msg)-1] != &line[len(line)-1] {
			t.Errorf("message %q is not the end of the line", r.Msg)
		}
	})
}

// within tells whether part shares memory with whole.
func within(whole, part []byte) bool {
	for i := range whole {
		if &whole[i] == &part[0] {
			return len(whole)-i >= len(part)
		}
	}
	return false
}

// checkISOAgainstTime compares the stamp of a line that starts with an RFC
// 3339 stamp with what the time package reads, when it reads one.
func checkISOAgainstTime(t *testing.T, line []byte, ts int64) {
	t.Helper()
	if len(line) == 0 || line[0] < '0' || line[0] > '9' {
		return // after a <PRI>: the stamp is not at the start
	}
	tok := line
	if i := bytes.IndexByte(line, ' '); i >= 0 {
		tok = line[:i]
	}
	want, err := time.Parse(time.RFC3339Nano, string(tok))
	if err != nil {
		return
	}
	if want.UnixMicro() != ts {
		t.Errorf("stamp %q read as %s, time.Parse reads %s", tok, time.UnixMicro(ts).UTC(), want.UTC())
	}
}

// checkJSONAgainstEncoding compares the fields Parse took from a journal
// record with what encoding/json reads, for valid UTF-8 JSON.
func checkJSONAgainstEncoding(t *testing.T, line []byte, r *Record) {
	t.Helper()
	if !utf8.Valid(line) || !json.Valid(line) {
		return
	}
	var m map[string]any
	if err := json.Unmarshal(line, &m); err != nil {
		return
	}
	for key, got := range map[string][]byte{"MESSAGE": r.Msg, "SYSLOG_IDENTIFIER": r.Ident, "_HOSTNAME": r.Host} {
		switch v := m[key].(type) {
		case string:
			if string(got) != v {
				t.Errorf("%s = %q, encoding/json reads %q", key, got, v)
			}
		case []any:
			if key != "MESSAGE" {
				continue
			}
			var want []byte
			for _, e := range v {
				n, ok := e.(float64)
				if !ok || n != float64(byte(n)) {
					return
				}
				want = append(want, byte(n))
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s = %q, encoding/json reads bytes %q", key, got, want)
			}
		}
	}
	if s, ok := m["__REALTIME_TIMESTAMP"].(string); ok {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n != r.TS {
			t.Errorf("__REALTIME_TIMESTAMP %q read as %d", s, r.TS)
		}
	}
}

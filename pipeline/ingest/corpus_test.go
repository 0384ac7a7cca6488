//go:build duckdb_arrow

package ingest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/knockmap/knockmap/internal/sharedtest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/sshd/sshdtest"
)

// stampJournal copies fail2ban's sshd-journal test file, whose lines are
// "srv sshd[pid]: message" with no time stamp, to dst with an RFC 3339
// stamp in front of every log line, one second after the one before
// (the order the lines are in, as journalctl prints them). Comments and
// empty lines are copied as they are, so that line numbers stay the
// same; the reader counts them as bad lines.
func stampJournal(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	ts := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)
	sc := bufio.NewScanner(bytes.NewReader(in))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		s := sc.Text()
		if !sshdtest.IsComment(s) {
			ts = ts.Add(time.Second)
			out.WriteString(ts.Format(time.RFC3339) + " ")
		}
		out.WriteString(s + "\n")
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFail2banCorpusConnections ingests fail2ban's sshd test files
// (../shared/corpus/fail2ban: sshd as it is, sshd-journal with stamps put
// in front, see stampJournal; their annotation comments are read as bad
// lines, which keeps the line numbers) and checks each line that
// fail2ban counts as a failure from an IP address (match: true, host an
// address) in the events view, found by source and line number: its kind
// must be a failure (kinds.failure; or accepted, which fail2ban counts
// for the failures before it, see pipeline/sshd's TestFail2banCorpus)
// and its ip, its own or its connection's when it names none, the
// annotated address, over 99% of them (all 188 are: the gh-1117 pair,
// a fatal repeated by the same pid a second later, is the connection's
// echo, see connection.Echo).
func TestFail2banCorpusConnections(t *testing.T) {
	dir := filepath.Join(sharedtest.Dir(t), "corpus", "fail2ban")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus folder %s is absent", dir)
	}
	tmp := t.TempDir()
	logs := map[string]string{} // copy -> original
	var paths []string
	for _, name := range []string{"sshd", "sshd-journal"} {
		src := filepath.Join(dir, name)
		if _, err := os.Stat(src); err != nil {
			t.Errorf("%s is absent", src)
			continue
		}
		dst := filepath.Join(tmp, name+".log")
		if name == "sshd-journal" {
			stampJournal(t, src, dst)
		} else {
			b, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(dst, b, 0o644)
		}
		// settled, and the year of sshd's stamps (its annotations say 2005)
		old := time.Date(2005, 12, 31, 0, 0, 0, 0, time.UTC)
		os.Chtimes(dst, old, old)
		logs[dst] = src
		paths = append(paths, dst)
	}
	db := openDB(t, filepath.Join(tmp, "k.duckdb"))
	srcs, errs := input.Expand(paths, nil, time.Now())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var warn bytes.Buffer // the annotations: a bad line each
	if _, err := loadExisting(context.Background(), db.DB, srcs, Options{Location: time.UTC, Warn: &warn, prescan: prescanAll(srcs)}); err != nil {
		t.Fatal(err)
	}

	type row struct {
		kind, ip string
		failure  bool
		conn     int64
	}
	got := map[string]row{} // "path:line" -> its event
	rows, err := db.Query(`SELECT s.path, e.line, e.kind, k.failure, coalesce(e.ip, ''), coalesce(e.connection, 0)
		FROM events AS e JOIN sources AS s ON s.id = e.source_id JOIN kinds AS k ON k.name = e.kind`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var path string
		var line int64
		var r row
		if err := rows.Scan(&path, &line, &r.kind, &r.failure, &r.ip, &r.conn); err != nil {
			t.Fatal(err)
		}
		got[fmt.Sprintf("%s:%d", path, line)] = r
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}

	checked, good := 0, 0
	for _, p := range paths {
		anns, err := sshdtest.ReadAnnotated(logs[p])
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range anns {
			if !a.Match || !sshdtest.IsIPLiteral(a.Host) {
				continue
			}
			checked++
			want := sshdtest.Want(a.Text, a.Host)
			r, ok := got[fmt.Sprintf("%s:%d", p, a.Line)]
			switch {
			case !ok:
				t.Logf("miss %s:%d: no event (host %s): %q", a.File, a.Line, a.Host, a.Text)
			case !r.failure && r.kind != "accepted":
				t.Logf("miss %s:%d: kind %s is no failure (host %s): %q", a.File, a.Line, r.kind, a.Host, a.Text)
			case r.ip != want:
				t.Logf("miss %s:%d: %s, ip %q (connection %d), want %s: %q", a.File, a.Line, r.kind, r.ip, r.conn, want, a.Text)
			default:
				good++
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d annotated failure lines checked; the corpus should give over 100", checked)
	}
	t.Logf("%d of %d (%.1f%%) annotated failure lines read as a failure with that address, their own or their connection's",
		good, checked, 100*float64(good)/float64(max(checked, 1)))
	if good*100 <= checked*99 {
		t.Errorf("%d of the %d lines (%.1f%%) read right; want over 99%%", good, checked, 100*float64(good)/float64(max(checked, 1)))
	}
}

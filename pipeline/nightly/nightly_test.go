//go:build duckdb_arrow

package nightly

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/knockmap/knockmap/internal/sharedtest"
	"github.com/knockmap/knockmap/pipeline/config"
	"github.com/knockmap/knockmap/pipeline/filelock"
	"github.com/knockmap/knockmap/pipeline/killtest"
	"github.com/knockmap/knockmap/pipeline/remote/remotetest"
	"github.com/knockmap/knockmap/pipeline/store"
)

// attempts counts the failed authentication attempts a log holds, as the
// truth CSV does: each "Failed …" line, a "message repeated N times: [
// Failed …]" N times.
func attempts(t *testing.T, path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var n int64
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if strings.Contains(l, "]: Failed ") {
			n++
		} else if i := strings.Index(l, "message repeated "); i >= 0 && strings.Contains(l, "[ Failed ") {
			k, _ := strconv.Atoi(strings.Fields(l[i+len("message repeated "):])[0])
			n += int64(k)
		}
	}
	return n
}

func count(t *testing.T, dbPath, q string) int64 {
	t.Helper()
	db, err := store.Open(context.Background(), dbPath, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func runOnce(t *testing.T, cfg config.Config, now time.Time) *Summary {
	t.Helper()
	var started []string
	sum, err := Run(context.Background(), cfg, Options{Location: time.UTC, Warn: &bytes.Buffer{}, Now: func() time.Time { return now },
		Step: func(name string) { started = append(started, name) }})
	if err != nil {
		t.Fatal(err)
	}
	// the summary times each step the progress display was told of, in
	// its order, and together they are at most the run
	var steps []string
	var total float64
	for _, s := range sum.Steps {
		steps = append(steps, s.Name)
		total += s.Seconds
		if s.Seconds < 0 {
			t.Errorf("step %s took %v s", s.Name, s.Seconds)
		}
	}
	if !slices.Equal(steps, started) || len(steps) == 0 || steps[0] != "reading" {
		t.Errorf("the summary's steps are %v; the steps started were %v", steps, started)
	}
	if total > sum.Seconds+1e-9 { // a float sum of durations, not their exact sum
		t.Errorf("the steps took %.3f s in all, more than the run's %.3f s", total, sum.Seconds)
	}
	return sum
}

// TestTwoNights: a log that grows, is rotated, and grows again is read
// night by night; after each run failed_logins holds exactly the attempts
// the logs hold so far, and a night reads only the bytes that are new.
func TestTwoNights(t *testing.T) {
	gen := sharedtest.GenAuthlog(t)
	work := t.TempDir()
	truth := filepath.Join(work, "truth.csv")
	out := filepath.Join(work, "gen", "auth.log")
	os.MkdirAll(filepath.Dir(out), 0o755)
	if b, err := exec.Command("python3", gen, "--lines", "20000", "--rotate", "2", "--truth", truth, "--out", out).CombinedOutput(); err != nil {
		t.Fatalf("gen-authlog: %v\n%s", err, b)
	}
	older, newer := out+".1", out
	total := int64(-1) // the truth CSV's rows, less its header
	if b, err := os.ReadFile(truth); err == nil {
		total = int64(bytes.Count(b, []byte("\n"))) - 1
	}

	logs := filepath.Join(work, "log")
	os.MkdirAll(logs, 0o755)
	auth := filepath.Join(logs, "auth.log")
	cfg := config.Defaults()
	cfg.DB = filepath.Join(work, "k.duckdb")
	cfg.NoEnrich = true
	cfg.Sources = []config.Source{{Path: logs}}
	cfg.Export.Out = filepath.Join(work, "parquet")

	// night 1: auth.log is the first half, and it is still being written:
	// its last line has no newline yet
	first, _ := os.ReadFile(older)
	cut := bytes.LastIndexByte(first[:len(first)-1], '\n') + 1
	// (the files keep the times of their last lines, as a live log has,
	// for year inference; the clock says the first file was written just now)
	fi1, _ := os.Stat(older)
	fi2, _ := os.Stat(newer)
	os.WriteFile(auth, first[:len(first)-3], 0o644)
	os.Chtimes(auth, fi1.ModTime(), fi1.ModTime())
	sum := runOnce(t, cfg, fi1.ModTime().Add(10*time.Second))
	wantNight1 := attempts(t, older) - int64(strings.Count(string(first[cut:]), "]: Failed "))
	if n := count(t, cfg.DB, "SELECT count(*) FROM failed_logins"); n != wantNight1 {
		t.Errorf("night 1: %d failed logins, want %d", n, wantNight1)
	}
	if sum.Ingest.Bytes != int64(cut) {
		t.Errorf("night 1 read %d bytes, want %d (all but the unfinished line)", sum.Ingest.Bytes, cut)
	}

	// the day goes on: the line is finished; then logrotate moves it to
	// auth.log.1 and a new auth.log starts
	os.WriteFile(auth, first, 0o644)
	os.Chtimes(auth, fi1.ModTime(), fi1.ModTime())
	os.Rename(auth, auth+".1")
	second, _ := os.ReadFile(newer)
	os.WriteFile(auth, second, 0o644)
	os.Chtimes(auth, fi2.ModTime(), fi2.ModTime())
	sum = runOnce(t, cfg, fi2.ModTime().Add(time.Hour))
	want := attempts(t, older) + attempts(t, newer)
	if n := count(t, cfg.DB, "SELECT count(*) FROM failed_logins"); n != want || total >= 0 && n != total {
		t.Errorf("night 2: %d failed logins, want %d (truth CSV: %d)", n, want, total)
	}
	if newBytes := int64(len(first)-cut) + int64(len(second)); sum.Ingest.Bytes != newBytes {
		t.Errorf("night 2 read %d bytes, want only the %d new ones", sum.Ingest.Bytes, newBytes)
	}
	if sum.Export == nil || sum.Export.Attempts != want {
		t.Errorf("night 2 exported %+v, want %d rows", sum.Export, want)
	}
	// a third run with nothing new reads nothing and adds nothing
	sum = runOnce(t, cfg, fi2.ModTime().Add(25*time.Hour))
	if sum.Ingest.Bytes != 0 || sum.Ingest.NewRows != 0 {
		t.Errorf("an idle night read %d bytes and added %d rows", sum.Ingest.Bytes, sum.Ingest.NewRows)
	}
	if sum.Export != nil || len(sum.Unchanged) != 1 || sum.Unchanged[0] != "export" {
		t.Errorf("an idle night exported %+v, unchanged %q; want the export left as it was", sum.Export, sum.Unchanged)
	}
}

// everything is a configuration that reads log into a database in dir and
// writes the report and the export there too.
func everything(dir, log string, year int) config.Config {
	cfg := config.Defaults()
	cfg.DB = filepath.Join(dir, "k.duckdb")
	cfg.Year = year
	cfg.Sources = []config.Source{{Path: log}}
	cfg.Report.Out = filepath.Join(dir, "report")
	cfg.Export.Out = filepath.Join(dir, "parquet")
	return cfg
}

// TestIdleNight: with nothing new, the report and the export are left as
// they are; anything new, a deleted page, or redraw and rewrite write
// them again.
func TestIdleNight(t *testing.T) {
	work := t.TempDir()
	auth := filepath.Join(work, "auth.log")
	line := func(i int) string {
		return "Mar  5 10:00:" + strconv.Itoa(10+i) + " pi sshd[" + strconv.Itoa(100+i) + "]: Failed password for root from 192.0.2." + strconv.Itoa(i) + " port 4" + strconv.Itoa(i) + " ssh2\n"
	}
	os.WriteFile(auth, []byte(line(1)+line(2)), 0o644)
	cfg := everything(work, auth, 2025)
	now := time.Date(2025, 3, 6, 0, 0, 0, 0, time.UTC)
	wrote := func(sum *Summary) string {
		var w []string
		if sum.Report != nil {
			w = append(w, "report")
		}
		if sum.Export != nil {
			w = append(w, "export")
		}
		return strings.Join(w, ",") + "|" + strings.Join(sum.Unchanged, ",")
	}
	for i, c := range []struct {
		before func()
		want   string
	}{
		{func() {}, "report,export|"},
		{func() {}, "|report,export"},
		{func() {
			f, _ := os.OpenFile(auth, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString(line(3))
			f.Close()
		}, "report,export|"},
		// a successful login is on the page; a line that is neither a
		// failed nor a successful login is not (but it is in the export)
		{func() {
			f, _ := os.OpenFile(auth, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("Mar  5 10:01:00 pi sshd[200]: Accepted password for pi from 192.0.2.1 port 4100 ssh2\n")
			f.Close()
		}, "report,export|"},
		{func() {
			f, _ := os.OpenFile(auth, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("Mar  5 10:02:00 pi sshd[201]: Connection closed by 192.0.2.9 port 4200 [preauth]\n")
			f.Close()
		}, "export|report"},
		{func() { os.Remove(filepath.Join(cfg.Report.Out, "index.html")) }, "report|export"},
		{func() { cfg.Report.Redraw, cfg.Export.Rewrite = true, true }, "report,export|"},
		{func() { cfg.Report.Redraw, cfg.Export.Rewrite, cfg.Report.Scale = false, false, 2 }, "report|export"},
	} {
		c.before()
		if got := wrote(runOnce(t, cfg, now)); got != c.want {
			t.Errorf("run %d wrote %q (written|unchanged), want %q", i+1, got, c.want)
		}
	}
	if n := count(t, cfg.DB, "SELECT count(*) FROM failed_logins"); n != 3 {
		t.Errorf("%d failed logins, want 3", n)
	}
}

// TestLock: a run waits for another that holds the database, gives up
// after its wait with ErrBusy and changes nothing; two runs at once both
// finish and load every row once.
func TestLock(t *testing.T) {
	work := t.TempDir()
	log := filepath.Join(work, "auth.log")
	var b strings.Builder
	for i := range 200 {
		b.WriteString("Jan  5 10:00:" + strconv.Itoa(10+i%40) + " pi sshd[" + strconv.Itoa(100+i) + "]: Failed password for root from 198.51.100.7 port " + strconv.Itoa(4000+i) + " ssh2\n")
	}
	os.WriteFile(log, []byte(b.String()), 0o644)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(log, old, old)
	cfg := config.Defaults()
	cfg.DB = filepath.Join(work, "k.duckdb")
	cfg.NoEnrich = true
	cfg.Sources = []config.Source{{Path: log}}

	unlock, err := filelock.Acquire(context.Background(), cfg.DB+".lock", 0)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Wait.Duration = 300 * time.Millisecond
	start := time.Now()
	_, err = Run(context.Background(), cfg, Options{Location: time.UTC})
	if !errors.Is(err, ErrBusy) || time.Since(start) < 250*time.Millisecond {
		t.Errorf("with the lock held: %v after %v, want ErrBusy after the wait", err, time.Since(start))
	}
	if _, err := os.Stat(cfg.DB); err == nil {
		t.Error("the busy run created the database")
	}
	unlock()

	cfg.Wait.Duration = time.Minute
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = Run(context.Background(), cfg, Options{Location: time.UTC})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Errorf("a concurrent run failed: %v", err)
		}
	}
	if n := count(t, cfg.DB, "SELECT count(*) FROM failed_logins"); n != 200 {
		t.Errorf("two runs at once loaded %d rows, want 200", n)
	}
}

// TestWaitForReader: a database that another process has open (a query
// left running, a DuckDB shell) is waited for like another run: up to
// --wait, then ErrBusy with nothing changed; and a run that waits long
// enough loads once the other process lets go.
func TestWaitForReader(t *testing.T) {
	work := t.TempDir()
	log := filepath.Join(work, "auth.log")
	lines := func(from, n int) string {
		var b strings.Builder
		for i := from; i < from+n; i++ {
			b.WriteString("Jan  5 10:" + strconv.Itoa(10+i/60) + ":" + strconv.Itoa(10+i%40) + " pi sshd[" + strconv.Itoa(100+i) + "]: Failed password for root from 198.51.100.7 port " + strconv.Itoa(4000+i) + " ssh2\n")
		}
		return b.String()
	}
	old := time.Now().Add(-time.Hour)
	os.WriteFile(log, []byte(lines(0, 200)), 0o644)
	os.Chtimes(log, old, old)
	cfg := config.Defaults()
	cfg.DB = filepath.Join(work, "k.duckdb")
	cfg.NoEnrich = true
	cfg.Sources = []config.Source{{Path: log}}
	if _, err := Run(context.Background(), cfg, Options{Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(log, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(lines(200, 100))
	f.Close()
	os.Chtimes(log, old, old)

	release := holdOpen(t, cfg.DB)
	cfg.Wait.Duration = 300 * time.Millisecond
	start := time.Now()
	_, err := Run(context.Background(), cfg, Options{Location: time.UTC})
	if !errors.Is(err, ErrBusy) || time.Since(start) < 250*time.Millisecond {
		t.Errorf("with the database open elsewhere: %v after %v, want ErrBusy after the wait", err, time.Since(start))
	}
	if err != nil && !strings.Contains(err.Error(), "--wait") {
		t.Errorf("the message does not point to --wait: %v", err)
	}
	if n := count(t, cfg.DB, "SELECT count(*) FROM failed_logins"); n != 200 {
		t.Errorf("a run that gave up changed the database: %d rows, want 200", n)
	}
	release()

	release = holdOpen(t, cfg.DB)
	cfg.Wait.Duration = time.Minute
	go func() {
		time.Sleep(600 * time.Millisecond)
		release()
	}()
	start = time.Now()
	if _, err := Run(context.Background(), cfg, Options{Location: time.UTC}); err != nil {
		t.Fatalf("a run that could wait: %v", err)
	}
	if took := time.Since(start); took < 500*time.Millisecond {
		t.Errorf("the run took %v: it did not wait for the other process", took)
	}
	if n := count(t, cfg.DB, "SELECT count(*) FROM failed_logins"); n != 300 {
		t.Errorf("after waiting: %d rows, want 300", n)
	}
}

// holdOpen has another process (this test binary) open the database
// read-only, as a query does, until the returned function is called.
func holdOpen(t *testing.T, db string) func() {
	t.Helper()
	return killtest.Hold(t, killtest.Child("KNOCKMAP_HOLD_DB="+db), "open")
}

// holdChild is the other process of holdOpen.
func holdChild(path string) int {
	db, err := store.Open(context.Background(), path, store.Options{ReadOnly: true})
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		return 3
	}
	defer db.Close()
	os.Stdout.WriteString("open\n")
	io.Copy(io.Discard, os.Stdin)
	return 0
}

// TestSources: a command's output and files fetched over SSH from an
// in-process server are read like local files, and a source that fails is
// reported while the others are loaded.
func TestSources(t *testing.T) {
	srv := remotetest.Start(t)
	os.MkdirAll(filepath.Join(srv.Root, "var/log"), 0o755)
	line := func(ip string, i int) string {
		return "Jan  5 10:00:" + strconv.Itoa(10+i) + " pi sshd[" + strconv.Itoa(100+i) + "]: Failed password for admin from " + ip + " port " + strconv.Itoa(5000+i) + " ssh2\n"
	}
	remoteLog := filepath.Join(srv.Root, "var/log/auth.log")
	os.WriteFile(remoteLog, []byte(line("192.0.2.1", 1)+line("192.0.2.1", 2)), 0o644)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(remoteLog, old, old)

	work := t.TempDir()
	cfg := config.Defaults()
	cfg.DB = filepath.Join(work, "k.duckdb")
	cfg.NoEnrich = true
	cfg.Sources = []config.Source{
		{SSH: "pi@" + srv.Addr, Path: "/var/log/auth.log*"},
		{Command: []string{"printf", "%s", line("198.51.100.9", 3)}},
		{Command: []string{"false"}},
	}
	opt := Options{Location: time.UTC, CacheDir: filepath.Join(work, "cache"),
		SSHConfig: func(user string) (*ssh.ClientConfig, error) { return srv.Client, nil }}
	sum, err := Run(context.Background(), cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Problems) != 1 || !strings.Contains(sum.Problems[0], "false") {
		t.Errorf("problems %q, want the failing command", sum.Problems)
	}
	if n := count(t, cfg.DB, "SELECT count(*) FROM failed_logins WHERE ip = '192.0.2.1'"); n != 2 {
		t.Errorf("%d rows from the SSH host, want 2", n)
	}
	if n := count(t, cfg.DB, "SELECT count(*) FROM failed_logins WHERE ip = '198.51.100.9'"); n != 1 {
		t.Errorf("%d rows from the command, want 1", n)
	}
	// the host's log grows; the next night fetches it again and loads only the new line
	f, _ := os.OpenFile(remoteLog, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(line("192.0.2.1", 4))
	f.Close()
	os.Chtimes(remoteLog, old, old)
	cfg.Sources = cfg.Sources[:1]
	sum, err = Run(context.Background(), cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ingest.NewRows != 1 {
		t.Errorf("the grown remote log added %d rows, want 1", sum.Ingest.NewRows)
	}
}

// TestStatePlantedLinks: links another user planted at the names the state
// files went through (.knockmap-state.tmp) and at the state files
// themselves, in the report and the export folders, are not followed:
// their targets keep what they held or stay unmade, and the state files
// are files of their own, 0640 whatever the umask.
func TestStatePlantedLinks(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0))
	work, victims := t.TempDir(), t.TempDir()
	auth := filepath.Join(work, "auth.log")
	os.WriteFile(auth, []byte("Mar  5 10:00:10 pi sshd[100]: Failed password for root from 192.0.2.1 port 41 ssh2\n"), 0o644)
	cfg := everything(work, auth, 2025)
	cfg.NoEnrich = true
	var targets []string
	for i, dir := range []string{cfg.Report.Out, cfg.Export.Out} {
		os.MkdirAll(dir, 0o755)
		for j, name := range []string{stateFile + ".tmp", stateFile} {
			target := filepath.Join(victims, strconv.Itoa(i)+strconv.Itoa(j))
			if j == 0 {
				os.WriteFile(target, []byte("root:x:0:0\n"), 0o644)
			}
			targets = append(targets, target)
			if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	runOnce(t, cfg, time.Date(2025, 3, 6, 0, 0, 0, 0, time.UTC))
	for i, target := range targets {
		b, err := os.ReadFile(target)
		if i%2 == 0 && string(b) != "root:x:0:0\n" || i%2 == 1 && !os.IsNotExist(err) {
			t.Errorf("the target %s was written: %q %v", target, b, err)
		}
	}
	for _, dir := range []string{cfg.Report.Out, cfg.Export.Out} {
		fi, err := os.Lstat(filepath.Join(dir, stateFile))
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o640 {
			t.Errorf("%s: %v %v, want a regular file 0640", filepath.Join(dir, stateFile), fi.Mode(), err)
		}
	}
}

// TestMovingWindow: a report of the last 90 days is drawn again only when
// the rows of its window change, not each night the window moves.
func TestMovingWindow(t *testing.T) {
	work := t.TempDir()
	auth := filepath.Join(work, "auth.log")
	line := func(day, i int) string {
		return "Mar  " + strconv.Itoa(day) + " 10:00:" + strconv.Itoa(10+i) + " pi sshd[" + strconv.Itoa(100+i) + "]: Failed password for root from 192.0.2." + strconv.Itoa(i) + " port 4" + strconv.Itoa(i) + " ssh2\n"
	}
	appendLine := func(s string) func() {
		return func() {
			f, _ := os.OpenFile(auth, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString(s)
			f.Close()
		}
	}
	os.WriteFile(auth, []byte(line(5, 1)+line(5, 2)), 0o644)
	cfg := everything(work, auth, 2025)
	cfg.Export.Out = ""
	cfg.NoEnrich = true
	cfg.Report.Since = "90d"
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 3, 15, 0, 0, time.UTC) }
	for i, c := range []struct {
		now    time.Time
		before func()
		drawn  bool
	}{
		{day(time.March, 6), func() {}, true},
		{day(time.March, 7), func() {}, false},             // the window moved a day, its rows did not change
		{day(time.March, 8), appendLine(line(7, 3)), true}, // a new row in the window
		{day(time.March, 9), func() {}, false},             // nothing new
		{day(time.June, 4), func() {}, true},               // the rows of 5 March left the window
		{day(time.June, 5), func() {}, false},              // those of 7 March are still in it
		{day(time.June, 6), func() {}, true},               // and now left it
		{day(time.June, 7), func() {}, false},              // an empty window stays empty
		{day(time.June, 8), appendLine("Jun  7 23:00:00 pi sshd[9]: Failed password for root from 192.0.2.9 port 49 ssh2\n"), true},
	} {
		c.before()
		now := c.now
		sum, err := Run(context.Background(), cfg, Options{Location: time.UTC, Warn: &bytes.Buffer{}, Now: func() time.Time { return now },
			Since: func(s string) (time.Time, error) { return now.AddDate(0, 0, -90), nil }})
		if err != nil {
			t.Fatal(err)
		}
		if drawn := sum.Report != nil; drawn != c.drawn {
			t.Errorf("night %d (%s): drawn %v, want %v (unchanged: %q)", i+1, now.Format(time.DateOnly), drawn, c.drawn, sum.Unchanged)
		}
		if !c.drawn && (len(sum.Unchanged) != 1 || sum.Unchanged[0] != "report") {
			t.Errorf("night %d: unchanged %q, want [report]", i+1, sum.Unchanged)
		}
	}
}

// TestAlertKeepsTheLatest: a night that loads more logins after failed
// attempts than AlertShown keeps the latest AlertShown of them, oldest
// first, and counts them all; the next night, with nothing new, alerts
// none.
func TestAlertKeepsTheLatest(t *testing.T) {
	work := t.TempDir()
	auth := filepath.Join(work, "auth.log")
	n := AlertShown + 7
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var log strings.Builder
	var want []time.Time
	for i := range n {
		at := start.Add(time.Duration(i) * 10 * time.Minute)
		ip := "45.33." + strconv.Itoa(i/200) + "." + strconv.Itoa(1+i%200)
		pid := strconv.Itoa(1000 + 2*i)
		log.WriteString(at.Format(time.Stamp) + " pi sshd[" + pid + "]: Failed password for root from " + ip + " port 4000 ssh2\n")
		at = at.Add(time.Minute)
		log.WriteString(at.Format(time.Stamp) + " pi sshd[" + strconv.Itoa(1001+2*i) + "]: Accepted password for root from " + ip + " port 4001 ssh2\n")
		want = append(want, at)
	}
	os.WriteFile(auth, []byte(log.String()), 0o644)
	cfg := config.Defaults()
	cfg.DB = filepath.Join(work, "k.duckdb")
	cfg.NoEnrich = true
	cfg.Year = 2025
	cfg.Sources = []config.Source{{Path: auth}}
	now := start.AddDate(0, 1, 0)

	sum := runOnce(t, cfg, now)
	if sum.Alerting != int64(n) || !sum.AlertingSince.Equal(want[0]) {
		t.Errorf("the night counts %d logins that alert since %v, want %d since %v", sum.Alerting, sum.AlertingSince, n, want[0])
	}
	var got []time.Time
	for _, l := range sum.Logins {
		got = append(got, l.TS)
	}
	if !slices.EqualFunc(got, want[n-AlertShown:], time.Time.Equal) {
		t.Errorf("the night keeps the logins of %v,\nwant the latest %d: %v", got, AlertShown, want[n-AlertShown:])
	}

	sum = runOnce(t, cfg, now)
	if sum.Alerting != 0 || len(sum.Logins) != 0 || sum.Logins == nil || !sum.AlertingSince.IsZero() {
		t.Errorf("a night with nothing new alerts %d (%d kept, since %v)", sum.Alerting, len(sum.Logins), sum.AlertingSince)
	}
}

//go:build duckdb_arrow

package ingest

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/killtest"
	"github.com/knockmap/knockmap/pipeline/store"
)

// The kill test runs ingest in a child process (this test binary, run
// again with KNOCKMAP_KILL_CHILD set) and kills it with SIGKILL at a random
// moment, round after round. Every time the database must open and hold
// either nothing or a whole committed ingest; at the end a run to
// completion must give exactly the truth rows.
func TestMain(m *testing.M) {
	killtest.Main(m, map[string]func(string) int{
		"KNOCKMAP_KILL_CHILD": func(db string) int { return killChild(db, os.Getenv("KNOCKMAP_KILL_LOG")) },
	})
}

func killChild(dbPath, log string) int {
	if v := os.Getenv("KNOCKMAP_FSIZE"); v != "" {
		// a disk that fills up: writes past this many bytes of a file fail
		n, _ := strconv.ParseUint(v, 10, 64)
		signal.Ignore(syscall.SIGXFSZ)
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			return 7
		}
	}
	db, err := store.Open(context.Background(), dbPath, store.Options{})
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		return 3
	}
	defer db.Close()
	if v := os.Getenv("KM_SET"); v != "" {
		if _, err := db.Exec("SET " + v); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			return 6
		}
	}
	srcs, errs := input.Expand([]string{log}, nil, time.Now())
	if len(errs) > 0 {
		return 4
	}
	if _, err := loadExisting(context.Background(), db.DB, srcs, Options{Location: time.UTC}); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		return 5
	}
	return 0
}

// TestKillDuringIngest: KNOCKMAP_KILL_ROUNDS rounds (default 12; the
// issue's proof ran 200).
func TestKillDuringIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	dir := t.TempDir()
	truth := genLog(t, dir, "--lines", "200000", "--out", "auth.log")
	log := filepath.Join(dir, "auth.log")
	dbPath := filepath.Join(dir, "k.duckdb")
	rounds := killtest.Rounds(12)
	rng := rand.New(rand.NewPCG(1, 2))
	child := func() *exec.Cmd { return killtest.Child("KNOCKMAP_KILL_CHILD="+dbPath, "KNOCKMAP_KILL_LOG="+log) }
	// how long a whole ingest takes in a child, so that kills land all
	// through it: from opening the database to the commit
	whole, err := killtest.Time(child())
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(dbPath)
	os.Remove(dbPath + ".wal")
	killed, finished, orphaned, repaired := 0, 0, 0, 0
	for round := range rounds {
		done, err := killtest.Kill(child(), whole, rng)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if done {
			finished++
		} else {
			killed++
		}
		// the database opens and holds all or nothing (after a repair of
		// the metadata block a kill may leave half-written: store/torn.go)
		var warn bytes.Buffer
		db, err := store.Open(context.Background(), dbPath, store.Options{Warn: &warn})
		if bytes.Contains(warn.Bytes(), []byte("repaired the metadata block")) {
			repaired++
		}
		if err != nil {
			t.Fatalf("round %d: the database does not open after a kill: %v", round, err)
		}
		var rows, runs int64
		db.QueryRow(`SELECT count(*) FROM event_rows`).Scan(&rows)
		db.QueryRow(`SELECT count(*) FROM ingest_runs WHERE new_rows > 0`).Scan(&runs)
		db.Close()
		switch {
		case runs > 1:
			t.Fatalf("round %d: %d ingests committed for one log", round, runs)
		case runs == 0 && rows > 0:
			// DuckDB kept the event rows of a commit that did not finish;
			// the next ingest must drop them (checked at the end)
			orphaned++
		}
		if runs == 1 {
			// loaded: start again from an empty database, to kill again
			os.Remove(dbPath)
			os.Remove(dbPath + ".wal")
		}
	}
	t.Logf("%d rounds over a %v ingest: %d killed, %d finished first, %d left rows of a lost commit, %d a torn metadata block", rounds, whole.Round(time.Millisecond), killed, finished, orphaned, repaired)
	// after the last kill, a run to completion gives exactly the truth
	if code := killChildInProcess(t, dbPath, log); code != 0 {
		t.Fatalf("the final ingest exited %d", code)
	}
	db := openDB(t, dbPath)
	compareTruth(t, db, truth)
}

func killChildInProcess(t *testing.T, dbPath, log string) int {
	t.Helper()
	return killChild(dbPath, log)
}

// TestRepairDropsUnaccountedRows: rows a lost commit left (no source, or
// past what their source has read) are dropped by the next ingest, and
// the committed ones are kept.
func TestRepairDropsUnaccountedRows(t *testing.T) {
	dir := t.TempDir()
	log, old := oneLineLog(t, dir)
	db := openDB(t, filepath.Join(dir, "k.duckdb"))
	ingestPaths(t, db, log)
	// what a lost commit leaves: rows of an unknown source, and rows past
	// the end of a known one
	if _, err := db.Exec(`INSERT INTO event_rows SELECT ts, host_id, pid, kind_id, method_id, user_id, invalid_user, ip_id, port, repeat, 99, line, key, conn, rhost_id, pubkey_id FROM event_rows`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO event_rows SELECT ts, host_id, pid, kind_id, method_id, user_id, invalid_user, ip_id, port, repeat, source_id, line + 5, key, conn, rhost_id, pubkey_id FROM event_rows WHERE source_id <> 99`); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(log, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("Jan  5 10:00:02 pi sshd[2]: Failed password for admin from 192.0.2.2 port 2 ssh2\n")
	f.Close()
	os.Chtimes(log, old, old)
	ingestPaths(t, db, log)
	var n, users int64
	db.QueryRow(`SELECT count(*), count(DISTINCT username) FROM failed_logins`).Scan(&n, &users)
	if n != 2 || users != 2 {
		t.Errorf("after the repair: %d failed logins of %d users, want the 2 real ones", n, users)
	}
}

// TestFullDisk: an ingest that runs out of disk (a file size limit, which
// fails writes as a full disk does) stops with a clear error naming the
// database, and the database keeps what it held; the next ingest, with
// room, loads exactly the rest.
func TestFullDisk(t *testing.T) {
	dir := t.TempDir()
	truth := genLog(t, dir, "--lines", "150000", "--rotate", "2", "--out", "auth.log")
	dbPath := filepath.Join(dir, "k.duckdb")
	db := openDB(t, dbPath)
	ingestPaths(t, db, filepath.Join(dir, "auth.log.1"))
	var before int64
	db.QueryRow(`SELECT count(*) FROM failed_logins`).Scan(&before)
	db.Close()
	fi, _ := os.Stat(dbPath)

	cmd := killtest.Child("KNOCKMAP_KILL_CHILD="+dbPath, "KNOCKMAP_KILL_LOG="+dir,
		"KNOCKMAP_FSIZE="+strconv.FormatInt(fi.Size()+256<<10, 10))
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the ingest had room after all:\n%s", out)
	}
	if !bytes.Contains(out, []byte(dbPath)) || !bytes.Contains(out, []byte("File too large")) {
		t.Errorf("the error does not say which file could not be written, and why:\n%s", out)
	}
	db = openDB(t, dbPath)
	var after int64
	if err := db.QueryRow(`SELECT count(*) FROM failed_logins`).Scan(&after); err != nil {
		t.Fatalf("the database after a full disk: %v", err)
	}
	if after != before {
		t.Errorf("after the full disk: %d failed logins, want the %d there were", after, before)
	}
	ingestPaths(t, db, filepath.Join(dir, "auth.log.1"), filepath.Join(dir, "auth.log"))
	compareTruth(t, db, truth)
}

// TestReadOnlyDatabase: a database on a read-only file system is refused
// with a clear message and left as it was.
func TestReadOnlyDatabase(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a read-only bind mount")
	}
	if err := exec.Command("unshare", "-m", "true").Run(); err != nil {
		t.Skipf("no mount namespace here: %v", err)
	}
	dir := t.TempDir()
	log, old := oneLineLog(t, dir)
	dbDir := filepath.Join(dir, "db")
	dbPath := filepath.Join(dbDir, "k.duckdb")
	db := openDB(t, dbPath)
	ingestPaths(t, db, log)
	db.Close()
	f, _ := os.OpenFile(log, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("Jan  5 10:00:02 pi sshd[2]: Failed password for admin from 192.0.2.2 port 2 ssh2\n")
	f.Close()
	os.Chtimes(log, old, old)
	sum := func() string {
		b, _ := os.ReadFile(dbPath)
		return strconv.Itoa(len(b)) + string(b[len(b)/2:len(b)/2+64])
	}
	was := sum()
	cmd := exec.Command("unshare", "-m", "sh", "-c", `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$2" -test.run='^$'`, "sh", dbDir, os.Args[0])
	cmd.Env = append(os.Environ(), "KNOCKMAP_KILL_CHILD="+dbPath, "KNOCKMAP_KILL_LOG="+log)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the ingest wrote to a read-only database:\n%s", out)
	}
	if !bytes.Contains(out, []byte(dbPath)) || !bytes.Contains(out, []byte("cannot be written")) {
		t.Errorf("the error does not say the database cannot be written:\n%s", out)
	}
	if sum() != was {
		t.Error("the read-only database changed")
	}
	db = openDB(t, dbPath)
	var n int64
	db.QueryRow(`SELECT count(*) FROM failed_logins`).Scan(&n)
	if n != 1 {
		t.Errorf("%d failed logins after the refused ingest, want 1", n)
	}
}

//go:build duckdb_arrow

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/knockmap/knockmap/pipeline/store"
)

// TestMain runs knockmap itself when a test starts this binary as a child
// (KNOCKMAP_TEST_AS_MAIN=1), so that a test can see its exit status and
// peak memory as cron would.
func TestMain(m *testing.M) {
	if os.Getenv("KNOCKMAP_TEST_AS_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// hostileLines are forged sshd lines (any local user can write them with
// logger -t sshd), each after the stamp of the line it follows. Those that
// are failed logins come from 192.0.2.0/24, which gen-authlog never uses.
var hostileLines = []struct {
	rest   string
	failed int // failed logins it adds
	bad    int // bad lines it makes
}{
	{"raspberrypi sshd[4242]: Invalid user jos\xe9 from 192.0.2.9 port 5555", 0, 0},
	{"pi\xff\xc0 sshd[4243]: Failed password for root from 192.0.2.10 port 5556 ssh2", 1, 0},
	{"pi sshd[4244]: message repeated 999999999 times: [ Failed password for root from 192.0.2.11 port 5557 ssh2]", 0, 1},
	{"pi sshd[4245]: message repeated 999 times: [ PAM 1048576 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.14  user=root]", 0, 1},
	{"pi sshd[4246]: Failed password for invalid user \x1b]0;pwned\x07\x1b[2J from 192.0.2.12 port 5558 ssh2", 1, 0},
	{"pi sshd[4247]: Invalid user \u202eevil\u2066 from 192.0.2.13 port 5559", 0, 0},
	{"pi sshd[4248]: Failed password for invalid user  =HYPERLINK(\"http://x\") from 192.0.2.15 port 5560 ssh2", 1, 0},
	{"pi sshd[4249]: Failed password for invalid user " + strings.Repeat("A", 70<<10) + " from 192.0.2.16 port 1 ssh2", 0, 1},
	{"pi sshd[4250]: Failed password for invalid user \xed\xa0\x80\xf5\xfe from 192.0.2.17 port 5561 ssh2", 1, 0},
}

// TestHostileNight: a night whose log is gen-authlog's with every hostile
// line of the issue mixed in loads every other line exactly (truth
// compare), counts the bad lines, exits 0, and no command's peak memory
// passes 400 MB.
func TestHostileNight(t *testing.T) {
	gen := ""
	for _, p := range []string{"../../../shared/tools/gen-authlog", "../../shared/tools/gen-authlog"} {
		if _, err := os.Stat(p); err == nil {
			gen = p
		}
	}
	if gen == "" {
		t.Skip("SKIPPED LOUDLY: ../shared/tools/gen-authlog is absent, so the hostile night is not tried")
	}
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean.log")
	truth := filepath.Join(dir, "truth.csv")
	if b, err := exec.Command("python3", gen, "--lines", "20000", "--truth", truth, "--out", clean).CombinedOutput(); err != nil {
		t.Fatalf("gen-authlog: %v\n%s", err, b)
	}
	fi, _ := os.Stat(clean)
	// mix the hostile lines in, each after a line of its own, with its stamp
	logs := filepath.Join(dir, "logs")
	os.MkdirAll(logs, 0o755)
	auth := filepath.Join(logs, "auth.log")
	in, _ := os.ReadFile(clean)
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(in))
	sc.Buffer(nil, 1<<20)
	n, next, wantFailed, wantBad := 0, 0, 0, 0
	for sc.Scan() {
		line := sc.Text()
		out.WriteString(line + "\n")
		n++
		if n%1500 == 0 && len(line) > 16 {
			h := hostileLines[next%len(hostileLines)]
			out.WriteString(line[:16] + h.rest + "\n")
			wantFailed += h.failed
			wantBad += h.bad
			next++
		}
	}
	if next < len(hostileLines) {
		t.Fatalf("only %d hostile lines mixed in", next)
	}
	os.WriteFile(auth, out.Bytes(), 0o644)
	os.Chtimes(auth, fi.ModTime(), fi.ModTime())

	db := filepath.Join(dir, "k.duckdb")
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("db = %q\ntz = \"UTC\"\n[[source]]\npath = %q\n[report]\nout = %q\n[export]\nout = %q\n",
		db, auth, filepath.Join(dir, "report"), filepath.Join(dir, "parquet"))), 0o644)

	stdout := child(t, dir, "run", "--config", cfg, "--json")
	var sum struct {
		Ingest struct {
			Bad     int64 `json:"bad"`
			Escaped int64 `json:"escaped"`
		} `json:"ingest"`
	}
	if err := json.Unmarshal(stdout, &sum); err != nil {
		t.Fatalf("run --json: %v\n%s", err, stdout)
	}
	if sum.Ingest.Bad != int64(wantBad) || sum.Ingest.Escaped == 0 {
		t.Errorf("run counted %d bad lines and %d escaped, want %d bad and some escaped", sum.Ingest.Bad, sum.Ingest.Escaped, wantBad)
	}
	child(t, dir, "query", "--db", db, "SELECT count(*), count(DISTINCT username) FROM failed_logins")
	child(t, dir, "report", "--db", db, "--out", filepath.Join(dir, "report2"))
	child(t, dir, "export", "--db", db, "--out", filepath.Join(dir, "json"), "--format", "json")

	sdb, err := store.Open(context.Background(), db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var hostile int
	sdb.QueryRow(`SELECT count(*) FROM failed_logins WHERE ip LIKE '192.0.2.%'`).Scan(&hostile)
	if hostile != wantFailed {
		t.Errorf("%d hostile failed logins stored, want %d", hostile, wantFailed)
	}
	for _, s := range []string{
		fmt.Sprintf(`CREATE TEMP TABLE truth AS SELECT CAST(ts_utc AS TIMESTAMP) AS ts, "user" AS username,
			CASE WHEN ip LIKE '::ffff:%%' THEN substr(ip, 8) ELSE ip END AS ip, CAST(port AS INTEGER) AS port, method
			FROM read_csv('%s', header = true, all_varchar = true, nullstr = '\x01', quote = '"', escape = '"')`, truth),
		`CREATE TEMP TABLE got AS SELECT CAST(date_trunc('second', ts AT TIME ZONE 'UTC') AS TIMESTAMP) AS ts, username, ip, port, method
			FROM failed_logins WHERE ip NOT LIKE '192.0.2.%'`,
	} {
		if _, err := sdb.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	var missing, extra, total int64
	if err := sdb.QueryRow(`SELECT (SELECT count(*) FROM (SELECT * FROM truth EXCEPT ALL SELECT * FROM got)),
		(SELECT count(*) FROM (SELECT * FROM got EXCEPT ALL SELECT * FROM truth)), (SELECT count(*) FROM truth)`).Scan(&missing, &extra, &total); err != nil {
		t.Fatal(err)
	}
	if total == 0 || missing != 0 || extra != 0 {
		t.Errorf("against the truth (%d attempts): %d missing, %d extra", total, missing, extra)
	}
}

// child runs knockmap args as a child process with no terminal, fails the
// test unless it exits 0 within 400 MB of peak resident memory, and
// returns its standard output.
func child(t *testing.T, dir string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "KNOCKMAP_TEST_AS_MAIN=1", "HOME="+dir, "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", "KNOCKMAP_GEOIP=", "KNOCKMAP_DB=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		t.Fatalf("knockmap %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		peak := ru.Maxrss / 1024 // kilobytes on Linux
		t.Logf("knockmap %s: peak %d MB", args[0], peak)
		if peak > 400 {
			t.Errorf("knockmap %s peaked at %d MB, over 400", args[0], peak)
		}
	}
	return stdout.Bytes()
}

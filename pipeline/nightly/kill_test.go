//go:build duckdb_arrow

package nightly

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/internal/sharedtest"
	"github.com/knockmap/knockmap/pipeline/config"
	"github.com/knockmap/knockmap/pipeline/killtest"
	"github.com/knockmap/knockmap/pipeline/store"
)

// The kill test runs `knockmap run` (this test binary again, with
// KNOCKMAP_KILL_RUN set to a config in JSON) and kills it with SIGKILL at
// a random moment: while it reads, locates, draws or exports.
func TestMain(m *testing.M) {
	killtest.Main(m, map[string]func(string) int{
		"KNOCKMAP_KILL_RUN": killChild,
		"KNOCKMAP_HOLD_DB":  holdChild,
	})
}

func killChild(cfgJSON string) int {
	var cfg config.Config
	if err := json.Unmarshal([]byte(cfgJSON), &cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	opt := Options{Location: time.UTC, Warn: os.Stderr, Step: func(s string) { fmt.Fprintln(os.Stdout, "step", s) }}
	if _, err := Run(context.Background(), cfg, opt); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 4
	}
	fmt.Fprintln(os.Stdout, "step done")
	return 0
}

// TestKillDuringRun: KNOCKMAP_KILL_ROUNDS rounds (default 6). After every
// kill the database opens and holds one whole ingest or none, and the
// export holds whole months that match the database, or nothing; after a
// last run to completion, failed_logins holds exactly the log's attempts
// and the export exactly failed_logins.
func TestKillDuringRun(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	gen := sharedtest.GenAuthlog(t)
	dir := t.TempDir()
	log := filepath.Join(dir, "auth.log")
	if b, err := exec.Command("python3", gen, "--lines", "60000", "--out", log).CombinedOutput(); err != nil {
		t.Fatalf("gen-authlog: %v\n%s", err, b)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(log, old, old)
	cfg := everything(dir, log, 2024)
	cfgJSON, _ := json.Marshal(cfg)
	want := attempts(t, log)
	reset := func() {
		for _, p := range []string{cfg.DB, cfg.DB + ".wal", cfg.Report.Out, cfg.Export.Out} {
			os.RemoveAll(p)
		}
	}
	child := func() *exec.Cmd { return killtest.Child("KNOCKMAP_KILL_RUN=" + string(cfgJSON)) }
	whole, err := killtest.Time(child())
	if err != nil {
		t.Fatal(err)
	}
	reset()

	rounds := killtest.Rounds(6)
	rng := rand.New(rand.NewPCG(3, 4))
	killedIn := map[string]int{}
	for round := range rounds {
		cmd := child()
		var stdout bytes.Buffer
		cmd.Stdout = &stdout
		finished, err := killtest.Kill(cmd, whole, rng)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		steps := strings.Fields(stdout.String())
		last := "opening"
		if len(steps) > 0 {
			last = steps[len(steps)-1]
		}
		if !finished {
			killedIn[last]++
		}
		runs := checkAfterKill(t, round, cfg)
		if finished || (runs == 1 && last == "done") {
			reset() // start again from nothing, to kill again
		}
	}
	t.Logf("%d rounds over a %v run; kills by step: %v", rounds, whole.Round(time.Millisecond), killedIn)

	// a last run to completion
	if out, err := child().CombinedOutput(); err != nil {
		t.Fatalf("the last run: %v\n%s", err, out)
	}
	if n := count(t, cfg.DB, "SELECT count(*) FROM failed_logins"); n != want {
		t.Errorf("after the kills: %d failed logins, want %d", n, want)
	}
	read := fmt.Sprintf("read_parquet('%s/**/*.parquet', hive_partitioning=true)", cfg.Export.Out)
	for _, q := range []string{
		"SELECT sum(attempts) FROM " + read,
		"SELECT count(*) FROM (SELECT ts, host, username, ip, port, method, attempts FROM failed_login_lines EXCEPT ALL SELECT ts, host, username, ip, port, method, attempts FROM " + read + ")",
	} {
		n := count(t, cfg.DB, q)
		if strings.Contains(q, "EXCEPT") && n != 0 || !strings.Contains(q, "EXCEPT") && n != want {
			t.Errorf("the export after the kills: %s = %d (failed logins: %d)", q, n, want)
		}
	}
	if _, err := os.Stat(filepath.Join(cfg.Report.Out, "index.html")); err != nil {
		t.Errorf("no report after the kills: %v", err)
	}
}

// checkAfterKill opens the database a killed run left and checks it and
// the export; it returns the number of committed ingests with rows.
func checkAfterKill(t *testing.T, round int, cfg config.Config) int64 {
	t.Helper()
	if _, err := os.Stat(cfg.DB); err != nil {
		return 0 // killed before the database was made
	}
	db, err := store.Open(context.Background(), cfg.DB, store.Options{})
	if err != nil {
		t.Fatalf("round %d: the database does not open after a kill: %v", round, err)
	}
	defer db.Close()
	var runs int64
	db.QueryRow(`SELECT count(*) FROM ingest_runs WHERE new_rows > 0`).Scan(&runs)
	if runs > 1 {
		t.Fatalf("round %d: %d ingests committed for one log", round, runs)
	}
	files, _ := filepath.Glob(filepath.Join(cfg.Export.Out, "year=*", "month=*", "*.parquet"))
	if len(files) == 0 {
		return runs
	}
	if runs == 0 {
		t.Fatalf("round %d: an export with no committed ingest: %q", round, files)
	}
	// every month in the export is whole: as many rows as the database has
	rows, err := db.Query(fmt.Sprintf(`SELECT e.year, e.month, e.n, coalesce(d.n, -1) FROM
		(SELECT year, month, count(*) AS n FROM read_parquet('%s/**/*.parquet', hive_partitioning=true) GROUP BY ALL) AS e
		LEFT JOIN (SELECT year(ts AT TIME ZONE 'UTC') AS year, month(ts AT TIME ZONE 'UTC') AS month, count(*) AS n FROM failed_login_lines GROUP BY ALL) AS d
		USING (year, month)`, cfg.Export.Out))
	if err != nil {
		t.Fatalf("round %d: the export cannot be read after a kill: %v", round, err)
	}
	defer rows.Close()
	for rows.Next() {
		var y, m, n, dn int64
		rows.Scan(&y, &m, &n, &dn)
		if n != dn {
			t.Errorf("round %d: export month %d-%02d has %d rows, the database %d", round, y, m, n, dn)
		}
	}
	return runs
}

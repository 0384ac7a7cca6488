//go:build duckdb_arrow

package export

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/killtest"
	"github.com/knockmap/knockmap/pipeline/store"
)

// The kill test runs an export in a child process (this test binary again,
// with KNOCKMAP_EXPORT_CHILD set to the database) and kills it with SIGKILL
// at a random moment.
func TestMain(m *testing.M) {
	killtest.Main(m, map[string]func(string) int{
		"KNOCKMAP_EXPORT_CHILD": func(db string) int { return exportChild(db, os.Getenv("KNOCKMAP_EXPORT_OUT")) },
	})
}

func exportChild(dbPath, out string) int {
	db, err := store.Open(context.Background(), dbPath, store.Options{ReadOnly: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	defer db.Close()
	if _, err := Run(context.Background(), db.DB, Options{Out: out}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 4
	}
	return 0
}

// TestKillDuringExport: KNOCKMAP_KILL_ROUNDS rounds (default 6). After
// every kill, read_parquet over the folder reads, and every month in it is
// whole: as many rows as failed_logins has that month; a last export to
// completion gives exactly failed_logins.
func TestKillDuringExport(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	var gen string
	for _, p := range []string{"../../../shared/tools/gen-authlog", "../../shared/tools/gen-authlog"} {
		if _, err := os.Stat(p); err == nil {
			gen = p
		}
	}
	if _, err := exec.LookPath("python3"); err != nil || gen == "" {
		t.Skip("gen-authlog or python3 is absent")
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "auth.log")
	if b, err := exec.Command("python3", gen, "--lines", "150000", "--out", log).CombinedOutput(); err != nil {
		t.Fatalf("gen-authlog: %v\n%s", err, b)
	}
	dbPath := filepath.Join(dir, "k.duckdb")
	db, err := store.Open(context.Background(), dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srcs, _ := input.Expand([]string{log}, nil, time.Now())
	if _, err := ingest.Ingest(context.Background(), "", srcs, ingest.Options{Into: db, Location: time.UTC, Year: 2024, Warn: &bytes.Buffer{}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out := filepath.Join(dir, "parquet")
	child := func() *exec.Cmd {
		return killtest.Child("KNOCKMAP_EXPORT_CHILD="+dbPath, "KNOCKMAP_EXPORT_OUT="+out)
	}
	whole, err := killtest.Time(child())
	if err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(out)

	rounds := killtest.Rounds(6)
	rng := rand.New(rand.NewPCG(5, 6))
	killed := 0
	for round := range rounds {
		finished, err := killtest.Kill(child(), whole, rng)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if !finished {
			killed++
		}
		checkMonths(t, round, dbPath, out)
		if round%10 == 9 {
			os.RemoveAll(out) // now and then from nothing again
		}
	}
	t.Logf("%d rounds over a %v export: %d killed", rounds, whole.Round(time.Millisecond), killed)
	if b, err := child().CombinedOutput(); err != nil {
		t.Fatalf("the last export: %v\n%s", err, b)
	}
	db, err = store.Open(context.Background(), dbPath, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	read := fmt.Sprintf("read_parquet('%s/**/*.parquet', hive_partitioning=true)", out)
	total := count(t, db, "SELECT count(*) FROM failed_login_lines")
	if n := count(t, db, "SELECT count(*) FROM "+read); n != total {
		t.Errorf("after the kills the export has %d rows, failed_login_lines %d", n, total)
	}
	if n := count(t, db, "SELECT count(*) FROM (SELECT "+cols+" FROM failed_login_lines EXCEPT ALL SELECT "+cols+" FROM "+read+")"); n != 0 {
		t.Errorf("after the kills %d rows differ", n)
	}
}

// checkMonths: every month a reader of out sees is whole.
func checkMonths(t *testing.T, round int, dbPath, out string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(out, "year=*", "month=*", "*.parquet"))
	if len(files) == 0 {
		return
	}
	db, err := store.Open(context.Background(), dbPath, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("round %d: %v", round, err)
	}
	defer db.Close()
	rows, err := db.Query(fmt.Sprintf(`SELECT e.year, e.month, e.n, coalesce(d.n, -1) FROM
		(SELECT year, month, count(*) AS n FROM read_parquet('%s/**/*.parquet', hive_partitioning=true) GROUP BY ALL) AS e
		LEFT JOIN (SELECT year(ts AT TIME ZONE 'UTC') AS year, month(ts AT TIME ZONE 'UTC') AS month, count(*) AS n FROM failed_login_lines GROUP BY ALL) AS d
		USING (year, month)`, out))
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
}

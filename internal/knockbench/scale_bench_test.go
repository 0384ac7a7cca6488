//go:build duckdb_arrow

package main

import (
	"bufio"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/knockmap/knockmap/internal/sharedtest"
)

// The scale benchmarks run knockmap binaries as children, as a user or
// cron runs them, and report each command's wall time (ns/op) and the
// peak resident memory of the process (peak-MB, from its rusage) and its
// CPU time (cpu-s/op, user and system: steadier than the wall time on a
// shared machine):
//
//	go test -tags duckdb_arrow -run '^$' -bench Scale -benchtime 3x -timeout 2h ./internal/knockbench
//
// KNOCKMAP_BENCH_BIN is the binary to measure (default: this tree's,
// built first); KNOCKMAP_BENCH_BASE, when set, is measured the same way
// beside it (say, a build of an older commit), each on a database of its
// own making. The logs are gen-authlog's 1M-line log (made once in
// $TMPDIR/knockmap-bench by sharedtest.Log) written out again and again: each copy's
// time stamps run on where the one before ended (Nov to Dec of the next
// year, then, past bridgeLines, from Nov again), so year inference puts
// every copy in years of its own and no line is one read before.
// Concatenating copies is used instead of a gen-authlog run of 8 to 23M
// lines, which takes most of an hour.

// scaleCopies is how many copies of the 1M-line log make the database of
// 10 million attempts (it holds 457,000 attempts a copy); nightCopies
// make the 1 GB log of the nightly case (123.5 MB a copy).
const (
	scaleCopies    = 23
	nightCopies    = 8
	scaleAttempts  = 10_000_000
	growthPerNight = 0.01
)

// bridgeLines go between two copies of the 1M-line log (1 November to 4
// December of the next year, through a 29 February): three more turns of
// the year in steps of three months (pipeline/syslog's YearTracker takes
// a month more than six after the last for a straggler of the year
// before), so that each copy begins four years after the one before and
// its 29 February falls in a leap year again.
var bridgeLines = strings.Repeat("Jan  1 00:00:00 raspberrypi CRON[1]: (root) CMD (true)\n"+
	"Apr  1 00:00:00 raspberrypi CRON[1]: (root) CMD (true)\n"+
	"Jul  1 00:00:00 raspberrypi CRON[1]: (root) CMD (true)\n"+
	"Oct  1 00:00:00 raspberrypi CRON[1]: (root) CMD (true)\n", 3)

type binary struct{ name, path string }

// scaleBinaries are the binaries to measure: "now" and, when set, "base".
func scaleBinaries(b *testing.B) []binary {
	b.Helper()
	now := os.Getenv("KNOCKMAP_BENCH_BIN")
	if now == "" {
		now = filepath.Join(b.TempDir(), "knockmap")
		out, err := exec.Command("go", "build", "-tags", "duckdb_arrow", "-o", now, "../../cmd/knockmap").CombinedOutput()
		if err != nil {
			b.Fatalf("building knockmap: %v\n%s", err, out)
		}
	}
	bins := []binary{{"now", now}}
	if base := os.Getenv("KNOCKMAP_BENCH_BASE"); base != "" {
		bins = append(bins, binary{"base", base})
	}
	return bins
}

// copiesLog returns a log of n copies of gen-authlog's 1M-line log, made
// once beside it (sharedtest.Log).
func copiesLog(b *testing.B, n int) string {
	b.Helper()
	one := sharedtest.Log(b, 1_000_000)
	dir := filepath.Dir(one)
	path := filepath.Join(dir, fmt.Sprintf("auth-1000000x%d.log", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	st, err := os.Stat(one)
	if err != nil {
		b.Fatal(err)
	}
	bridge := filepath.Join(dir, "bridge.log")
	if err := os.WriteFile(bridge, []byte(bridgeLines), 0o644); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if i > 0 {
			if err := copyRange(path+".tmp", bridge, 0, int64(len(bridgeLines)), true); err != nil {
				b.Fatal(err)
			}
		}
		if err := copyRange(path+".tmp", one, 0, st.Size(), i > 0); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		b.Fatal(err)
	}
	return path
}

// growth returns the first bytes of the 1M-line log, up to a whole line,
// that make log grow by the given share.
func growth(b *testing.B, log string, share float64) (src string, end int64) {
	b.Helper()
	src = sharedtest.Log(b, 1_000_000)
	end, err := prefix(src, int64(float64(fileSize(log))*share))
	if err != nil {
		b.Fatal(err)
	}
	return src, end
}

// child runs bin with args and returns its CPU time (user and system, all
// threads: on a shared machine it moves less than the wall time) and peak
// RSS in MB.
func child(b *testing.B, bin string, args ...string) (time.Duration, float64) {
	b.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	out, err := os.CreateTemp(b.TempDir(), "out")
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	err = cmd.Run()
	if err != nil {
		out.Seek(0, io.SeekStart)
		msg, _ := io.ReadAll(bufio.NewReader(io.LimitReader(out, 4000)))
		b.Fatalf("%s %v: %v\n%s", bin, args, err, msg)
	}
	var rss float64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = float64(ru.Maxrss) / 1024
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), rss
}

// attemptsIn counts the failed attempts a database holds.
func attemptsIn(b *testing.B, path string) int64 {
	b.Helper()
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow(`SELECT coalesce(sum(repeat), 0) FROM event_rows WHERE kind_id = (SELECT id FROM kinds WHERE name = 'failed')`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// night is a folder with auth.log, a configuration for `knockmap run` and
// the database and report after the first night, kept to go back to.
type night struct {
	dir, auth, db, cfg, snap, state string
	logEnd                          int64
	state0                          []byte
}

// firstNight copies log into a new folder and runs bin over it once.
func firstNight(b *testing.B, bin binary, log, name string) *night {
	b.Helper()
	dir := filepath.Join(filepath.Dir(log), name+"-"+bin.name)
	os.RemoveAll(dir)
	os.MkdirAll(dir, 0o755)
	n := &night{dir: dir, auth: filepath.Join(dir, "auth.log"), db: filepath.Join(dir, "knockmap.duckdb"), cfg: filepath.Join(dir, "config.toml"), snap: filepath.Join(dir, "first.duckdb")}
	n.state = filepath.Join(dir, "report", ".knockmap-state")
	config := fmt.Sprintf("db = %q\ntz = \"UTC\"\nyear = 2024\n\n[[source]]\npath = %q\n\n[report]\nout = %q\n", n.db, n.auth, filepath.Join(dir, "report"))
	if err := os.WriteFile(n.cfg, []byte(config), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := copyFile(n.auth, log); err != nil {
		b.Fatal(err)
	}
	n.logEnd = fileSize(n.auth)
	d, rss := child(b, bin.path, "run", "--config", n.cfg)
	b.Logf("%s: first night over %.2f GB: %v CPU, %.0f MB", bin.name, float64(n.logEnd)/1e9, d.Round(time.Millisecond), rss)
	if err := copyFile(n.snap, n.db); err != nil {
		b.Fatal(err)
	}
	n.state0, _ = os.ReadFile(n.state)
	return n
}

// reset puts the log, the database and the report's state back as they
// were after the first night.
func (n *night) reset(b *testing.B) {
	b.Helper()
	if err := os.Truncate(n.auth, n.logEnd); err != nil {
		b.Fatal(err)
	}
	if err := copyFile(n.db, n.snap); err != nil {
		b.Fatal(err)
	}
	os.Remove(n.db + ".wal")
	if n.state0 != nil {
		os.WriteFile(n.state, n.state0, 0o644)
	}
}

// grow appends the first share of the 1M-line log to the night's log.
func (n *night) grow(b *testing.B, share float64) {
	b.Helper()
	src, end := growth(b, n.auth, share)
	if err := copyRange(n.auth, src, 0, end, true); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkScaleNight: `knockmap run` (ingest, locate, report) on the
// night a 1 GB auth.log grew by 1%, from the database of the night before.
func BenchmarkScaleNight(b *testing.B) {
	log := copiesLog(b, nightCopies)
	for _, bin := range scaleBinaries(b) {
		b.Run(bin.name, func(b *testing.B) {
			n := firstNight(b, bin, log, "night")
			var peak float64
			var cpu time.Duration
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				n.reset(b)
				n.grow(b, growthPerNight)
				b.StartTimer()
				c, rss := child(b, bin.path, "run", "--config", n.cfg)
				cpu += c
				peak = max(peak, rss)
			}
			b.StopTimer()
			n.reset(b)
			b.ReportMetric(peak, "peak-MB")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// BenchmarkScaleCommands: each command's time and peak memory on a
// database of 10 million attempts (23 copies of the 1M-line log, loaded
// by the first night of `knockmap run`), with no memory setting: every
// command that reads or writes the database (forget drops the whole log,
// and the database is put back after it).
func BenchmarkScaleCommands(b *testing.B) {
	log := copiesLog(b, scaleCopies)
	for _, bin := range scaleBinaries(b) {
		b.Run(bin.name, func(b *testing.B) {
			n := firstNight(b, bin, log, "scale")
			if a := attemptsIn(b, n.db); a < scaleAttempts {
				b.Fatalf("the database holds %d attempts, fewer than %d", a, scaleAttempts)
			} else {
				b.Logf("%s: %d attempts", bin.name, a)
			}
			out := filepath.Join(n.dir, "out")
			for _, c := range []struct {
				name  string
				args  []string
				grows bool // the log grows by 1% first; back to the first night after
			}{
				{"report", []string{"report", "--db", n.db, "--out", filepath.Join(out, "report")}, false},
				{"enrich", []string{"enrich", "--db", n.db, "--refresh"}, false},
				{"export", []string{"export", "--db", n.db, "--out", filepath.Join(out, "export")}, false},
				{"status", []string{"status", "--db", n.db}, false},
				{"logins", []string{"logins", "--db", n.db, "--since", ""}, false},
				{"blocklist", []string{"blocklist", "--db", n.db}, false},
				{"campaigns", []string{"campaigns", "--db", n.db}, false},
				{"query", []string{"query", "--db", n.db, "SELECT username, count(*) AS n FROM failed_logins GROUP BY ALL ORDER BY n DESC LIMIT 10"}, false},
				{"forget", []string{"forget", "--db", n.db, n.auth}, true},
				{"ingest-1pct", []string{"ingest", "--db", n.db, "--no-enrich", "--tz", "UTC", "--year", "2024", n.auth}, true},
				{"run-1pct", []string{"run", "--config", n.cfg}, true},
			} {
				b.Run(c.name, func(b *testing.B) {
					var peak float64
					var cpu time.Duration
					for range b.N {
						b.StopTimer()
						if c.grows {
							n.reset(b)
							n.grow(b, growthPerNight)
						}
						b.StartTimer()
						t, rss := child(b, bin.path, c.args...)
						cpu += t
						peak = max(peak, rss)
					}
					b.StopTimer()
					if c.grows {
						n.reset(b)
					}
					b.ReportMetric(peak, "peak-MB")
					b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
				})
			}
		})
	}
}

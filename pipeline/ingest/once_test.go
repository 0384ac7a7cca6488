//go:build duckdb_arrow

package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// joinTruth writes the rows of several gen-authlog truth CSVs into one
// (each counted: the logs are different logs) and returns its path.
func joinTruth(t *testing.T, dir string, csvs ...string) string {
	t.Helper()
	var out bytes.Buffer
	for i, p := range csvs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			b = b[bytes.IndexByte(b, '\n')+1:] // one header
		}
		out.Write(b)
	}
	p := filepath.Join(dir, "joined.csv")
	if err := os.WriteFile(p, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// genLines makes a gen-authlog log of n lines with seed in a folder of
// its own and returns its lines and truth CSV.
func genLines(t *testing.T, dir, seed, n string) ([][]byte, string) {
	t.Helper()
	sub := filepath.Join(dir, "gen-"+seed+"-"+n)
	os.MkdirAll(sub, 0o755)
	truth := genLog(t, sub, "--seed", seed, "--lines", n, "--start", "2024-03-01", "--days", "3", "--out", filepath.Join(sub, "all.log"))
	return readLines(t, filepath.Join(sub, "all.log")), truth
}

// header is a first line that is not sshd's: the logs of TestSameFirstLine
// all start with it, and so share their fingerprint.
var header = []byte("Mar  1 00:00:00 raspberrypi rsyslogd: [origin software=\"rsyslogd\"] rsyslogd was HUPed")

func withHeader(lines [][]byte) [][]byte {
	return append([][]byte{header}, lines...)
}

// TestSameFirstLine: files that start with the same line as one read
// before but are not that file (it shrank and grew again, another gzip
// file, a rewrite of the same size) are new sources, read from their start;
// what the old one loaded stays. A night after each is a no-op.
func TestSameFirstLine(t *testing.T) {
	mtime := time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		steps func(t *testing.T, dir string) (truth string, nights [][]string)
	}{
		{"shrinks and grows again", func(t *testing.T, dir string) (string, [][]string) {
			a, ta := genLines(t, dir, "1", "5000")
			_, tb := genLines(t, dir, "2", "8000")
			log := filepath.Join(dir, "auth.log")
			writeLines(t, log, withHeader(a), false, mtime, false)
			return joinTruth(t, dir, ta, tb), [][]string{{log}, {"write", "short"}, {log}, {"write", "long"}, {log}}
		}},
		{"gzip files with one first line", func(t *testing.T, dir string) (string, [][]string) {
			a, ta := genLines(t, dir, "1", "5000")
			b, tb := genLines(t, dir, "2", "3000") // shorter than a: skipping to a's offset ran into its end
			c, tc := genLines(t, dir, "3", "8000") // longer: read on from a's offset
			writeLines(t, filepath.Join(dir, "auth.log.3.gz"), withHeader(a), false, mtime, true)
			writeLines(t, filepath.Join(dir, "auth.log.2.gz"), withHeader(b), false, mtime, true)
			writeLines(t, filepath.Join(dir, "auth.log.1.gz"), withHeader(c), false, mtime, true)
			return joinTruth(t, dir, ta, tb, tc), [][]string{{dir}}
		}},
		{"rewritten to the same size", func(t *testing.T, dir string) (string, [][]string) {
			a, ta := genLines(t, dir, "1", "5000")
			log := filepath.Join(dir, "auth.log")
			writeLines(t, log, withHeader(a), false, mtime, false)
			return joinTruth(t, dir, ta, ta), [][]string{{log}, {"write", "same size"}, {log}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			truth, nights := tt.steps(t, dir)
			db := openDB(t, filepath.Join(dir, "k.duckdb"))
			log := filepath.Join(dir, "auth.log")
			for _, n := range nights {
				if n[0] == "write" {
					switch n[1] {
					case "short":
						b, _ := genLines(t, dir, "2", "8000")
						writeLines(t, log, withHeader(b[:2000]), false, mtime, false)
					case "long":
						b, _ := genLines(t, dir, "2", "8000")
						writeLines(t, log, withHeader(b), false, mtime, false)
					case "same size":
						a := readLines(t, log)
						for i := 1; i < len(a); i++ {
							a[i] = bytes.Replace(a[i], []byte("raspberrypi"), []byte("raspberryPI"), 1)
						}
						writeLines(t, log, a, false, mtime, false)
					}
					continue
				}
				ingestPaths(t, db, n...)
				rows := countRows(t, db)
				if st := ingestPaths(t, db, n...); st.NewRows != 0 || st.Bytes != 0 || st.Files != 0 {
					t.Errorf("the night after %v read %d bytes of %d files and added %d rows, want nothing", n, st.Bytes, st.Files, st.NewRows)
				}
				if after := countRows(t, db); after != rows {
					t.Errorf("rows went from %d to %d on a night with nothing new", rows, after)
				}
			}
			compareTruth(t, db, truth)
		})
	}
}

// TestRotationBoundary: gen-authlog's own rotated sets, and hand-made
// files where a log ends and its successor begins in the same second with
// identical lines, keep every line; copies of the same lines are still
// loaded once.
func TestRotationBoundary(t *testing.T) {
	for _, rotate := range []string{"3", "12"} {
		t.Run("gen-authlog --rotate "+rotate, func(t *testing.T) {
			dir := t.TempDir()
			// 20,000 lines: both sets have a rotation between two identical
			// "Failed password" lines of one second
			truth := genLog(t, dir, "--lines", "20000", "--rotate", rotate, "--out", filepath.Join(dir, "auth.log"))
			db := openDB(t, filepath.Join(dir, "k.duckdb"))
			ingestPaths(t, db, dir)
			compareTruth(t, db, truth)
		})
	}

	failed := func(sec, pid, port int) string {
		return "Mar  5 10:00:0" + string(rune('0'+sec)) + " pi sshd[" + itoa(pid) + "]: Failed password for root from 192.0.2.7 port " + itoa(port) + " ssh2"
	}
	x := failed(6, 77, 4000) // the line logged on either side of the rotation
	older := []string{failed(1, 10, 1), failed(2, 10, 1), x}
	newer := []string{x, x, failed(7, 77, 4000), failed(8, 78, 5000)}
	mtime := time.Date(2024, 3, 6, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		files map[string][]string
		runs  [][]string // file names per ingest
		want  int64      // failed_logins rows
	}{
		{"one run, oldest first", map[string][]string{"auth.log.1": older, "auth.log": newer}, [][]string{{"auth.log.1", "auth.log"}}, 7},
		{"the successor a night later", map[string][]string{"auth.log.1": older, "auth.log": newer}, [][]string{{"auth.log.1"}, {"auth.log.1", "auth.log"}}, 7},
		{"the older file a night later", map[string][]string{"auth.log.1": older, "auth.log": newer}, [][]string{{"auth.log"}, {"auth.log.1", "auth.log"}}, 7},
		// the same lines again are loaded once: a copy that starts later
		// (another first line), and a copy of the older file
		{"a copy of the tail", map[string][]string{"auth.log": append(append([]string{}, older...), newer...), "copy.log": append([]string{failed(2, 10, 1), x, x}, newer[1:]...)},
			[][]string{{"auth.log"}, {"copy.log"}}, 7},
		{"a copy of the older file", map[string][]string{"auth.log.1": older, "auth.log": newer, "copy.log": older[1:]},
			[][]string{{"auth.log.1", "auth.log"}, {"copy.log"}}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, lines := range tt.files {
				var b [][]byte
				for _, l := range lines {
					b = append(b, []byte(l))
				}
				writeLines(t, filepath.Join(dir, name), b, false, mtime, false)
			}
			db := openDB(t, filepath.Join(dir, "k.duckdb"))
			for _, run := range tt.runs {
				var paths []string
				for _, n := range run {
					paths = append(paths, filepath.Join(dir, n))
				}
				ingestPaths(t, db, paths...)
			}
			var n int64
			if err := db.QueryRow(`SELECT count(*) FROM failed_logins`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != tt.want {
				var all strings.Builder
				rows, _ := db.Query(`SELECT source_id, line, ts, pid, port FROM events ORDER BY ts, source_id, line`)
				for rows.Next() {
					var src, line, pid, port int64
					var ts time.Time
					rows.Scan(&src, &line, &ts, &pid, &port)
					all.WriteString(itoa(int(src)) + ":" + itoa(int(line)) + " " + ts.UTC().Format(time.TimeOnly) + " pid " + itoa(int(pid)) + " port " + itoa(int(port)) + "\n")
				}
				rows.Close()
				t.Errorf("%d failed logins, want %d:\n%s", n, tt.want, all.String())
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

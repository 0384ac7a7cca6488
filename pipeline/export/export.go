// Package export writes the failed logins, with where their addresses are,
// as files other engines read: Parquet (zstd), CSV or JSON lines, in Hive
// style folders by UTC year and month (year=2026/month=1/data_0.parquet).
package export

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/knockmap/knockmap/pipeline/filelock"
	"github.com/knockmap/knockmap/sql"
)

// Formats are the file formats export writes.
var Formats = []string{"parquet", "csv", "json"}

// Options says what to write where.
type Options struct {
	Out    string    // the root folder
	Format string    // parquet (default), csv or json
	Since  time.Time // export the months from this one on; zero: all
}

// Stats is what an export wrote.
type Stats struct {
	Rows       int64    `json:"rows"`       // lines of failed logins written (a row has attempts, see failed_login_lines)
	Attempts   int64    `json:"attempts"`   // the attempts they stand for
	Partitions []string `json:"partitions"` // year=Y/month=M folders written (replaced)
	Elapsed    time.Duration
}

// Run writes the export. Every month it covers is written whole into a
// folder beside Out and then swapped in for the old one, so a re-run
// replaces a month and never appends it twice, and a failed run leaves the
// old files. Months before Since are left as they are.
func Run(ctx context.Context, db *sql.DB, opt Options) (*Stats, error) {
	start := time.Now()
	format := opt.Format
	if format == "" {
		format = "parquet"
	}
	query := sqlfiles.Statement("export/failed_logins")
	var options string
	switch format {
	case "parquet":
		options = "FORMAT parquet, COMPRESSION zstd"
	case "csv":
		query = sqlfiles.Statement("export/failed_logins_csv")
		options = "FORMAT csv, HEADER true"
	case "json":
		options = "FORMAT json"
	default:
		return nil, fmt.Errorf("unknown export format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	// whole months: a partition is always written complete
	since := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	if !opt.Since.IsZero() {
		s := opt.Since.UTC()
		since = time.Date(s.Year(), s.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	query = strings.ReplaceAll(query, "$since", "TIMESTAMPTZ '"+since.Format("2006-01-02 15:04:05+00")+"'")

	if err := os.MkdirAll(opt.Out, 0o755); err != nil {
		return nil, err
	}
	// another export into the same folder waits for this one
	unlock, err := filelock.Acquire(ctx, filepath.Join(opt.Out, ".knockmap-export.lock"), filelock.Forever)
	if err != nil {
		return nil, err
	}
	defer unlock()
	tmp, err := workDir(opt.Out)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	st := &Stats{}
	if err := db.QueryRowContext(ctx, "SELECT count(*), CAST(coalesce(sum(attempts), 0) AS BIGINT) FROM ("+query+")").Scan(&st.Rows, &st.Attempts); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if st.Rows > 0 {
		newDir := filepath.Join(tmp, "new")
		if err := copyOut(ctx, db, query, newDir, format, options); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		parts, err := partitions(newDir)
		if err != nil {
			return nil, err
		}
		for _, p := range parts {
			if err := swap(filepath.Join(newDir, p), filepath.Join(opt.Out, p), tmp); err != nil {
				return nil, fmt.Errorf("export: replacing %s: %w", p, err)
			}
			st.Partitions = append(st.Partitions, p)
		}
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

// copyOut writes the rows of query into dir in year=Y/month=M folders:
// with DuckDB's PARTITION_BY where the format has it, else a COPY per month.
func copyOut(ctx context.Context, db *sql.DB, query, dir, format, options string) error {
	if format != "json" {
		_, err := db.ExecContext(ctx, fmt.Sprintf("COPY (%s) TO %s (%s, PARTITION_BY (year, month))", query, literal(dir), options))
		return err
	}
	rows, err := db.QueryContext(ctx, "SELECT DISTINCT year, month FROM ("+query+") ORDER BY ALL")
	if err != nil {
		return err
	}
	var months [][2]int
	for rows.Next() {
		var y, m int
		if err := rows.Scan(&y, &m); err != nil {
			rows.Close()
			return err
		}
		months = append(months, [2]int{y, m})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, ym := range months {
		part := filepath.Join(dir, fmt.Sprintf("year=%d", ym[0]), fmt.Sprintf("month=%d", ym[1]))
		if err := os.MkdirAll(part, 0o755); err != nil {
			return err
		}
		q := fmt.Sprintf("SELECT * EXCLUDE (year, month) FROM (%s) WHERE year = %d AND month = %d", query, ym[0], ym[1])
		if _, err := db.ExecContext(ctx, fmt.Sprintf("COPY (%s) TO %s (%s)", q, literal(filepath.Join(part, "data_0.json")), options)); err != nil {
			return err
		}
	}
	return nil
}

// literal quotes s as an SQL string.
func literal(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// partitions lists the year=Y/month=M folders under dir.
func partitions(dir string) ([]string, error) {
	years, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, y := range years {
		if !y.IsDir() || !strings.HasPrefix(y.Name(), "year=") {
			continue
		}
		months, err := os.ReadDir(filepath.Join(dir, y.Name()))
		if err != nil {
			return nil, err
		}
		for _, m := range months {
			if m.IsDir() && strings.HasPrefix(m.Name(), "month=") {
				out = append(out, filepath.Join(y.Name(), m.Name()))
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// workDir makes the folder the new months are written into before they
// are swapped in. It lies beside out, not in it, so that a reader's
// read_parquet('out/**/*.parquet') never sees a month half written (DuckDB's
// ** goes into hidden folders too); only when out's parent is not on the
// same file system, or not writable, does it go inside out. Work folders
// an interrupted export left behind are removed first: the caller holds
// the export lock.
func workDir(out string) (string, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	parent, prefix := filepath.Dir(abs), ".knockmap-export-"+filepath.Base(abs)+"-"
	old, _ := filepath.Glob(filepath.Join(parent, prefix+"*"))
	inside, _ := filepath.Glob(filepath.Join(abs, ".export-*"))
	for _, d := range append(old, inside...) {
		os.RemoveAll(d)
	}
	if sameDevice(parent, abs) {
		if dir, err := os.MkdirTemp(parent, prefix); err == nil {
			return dir, nil
		}
	}
	return os.MkdirTemp(abs, ".export-")
}

func sameDevice(a, b string) bool {
	var sa, sb syscall.Stat_t
	return syscall.Stat(a, &sa) == nil && syscall.Stat(b, &sb) == nil && sa.Dev == sb.Dev
}

// swap puts the folder src where dst is: in one step where the system can
// exchange two folders (Linux), else by moving the old dst aside into trash
// first. The old folder is removed with trash.
func swap(src, dst, trash string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if exchanged, err := exchange(src, dst); exchanged || err != nil {
		return err // the old month is now at src, inside trash
	}
	old := ""
	if _, err := os.Stat(dst); err == nil {
		old, err = os.MkdirTemp(trash, "old-")
		if err != nil {
			return err
		}
		old = filepath.Join(old, "p")
		if err := os.Rename(dst, old); err != nil {
			return err
		}
	}
	if err := os.Rename(src, dst); err != nil {
		if old != "" {
			os.Rename(old, dst) // put the old one back
		}
		return err
	}
	return nil
}

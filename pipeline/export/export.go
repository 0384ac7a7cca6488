// Package export writes the failed logins, with where their addresses are,
// as files other engines read: Parquet (zstd), CSV or JSON lines, in Hive
// style folders by UTC year and month (year=2026/month=1/data_0.parquet).
package export

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/knockmap/knockmap/pipeline/filelock"
	"github.com/knockmap/knockmap/pipeline/outfile"
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
	Rows       int64         `json:"rows"`       // lines of failed logins written (a row has attempts, see failed_login_lines)
	Attempts   int64         `json:"attempts"`   // the attempts they stand for
	Partitions []string      `json:"partitions"` // year=Y/month=M folders written (replaced)
	Elapsed    time.Duration `json:"elapsed_ns"`
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

	if err := outfile.MkdirAll(opt.Out); err != nil {
		return nil, fmt.Errorf("export folder: %w", err)
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
		if err := setModes(newDir); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		parts, err := partitions(newDir)
		if err != nil {
			return nil, err
		}
		out, err := os.Open(opt.Out)
		if err != nil {
			return nil, err
		}
		defer out.Close()
		for _, p := range parts {
			if err := swap(filepath.Join(newDir, p), out, p, tmp); err != nil {
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
		return copyPartitioned(ctx, db, query, dir, options)
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
		if err := os.MkdirAll(part, outfile.DirMode); err != nil {
			return err
		}
		q := fmt.Sprintf("SELECT * EXCLUDE (year, month) FROM (%s) WHERE year = %d AND month = %d", query, ym[0], ym[1])
		if _, err := db.ExecContext(ctx, fmt.Sprintf("COPY (%s) TO %s (%s)", q, literal(filepath.Join(part, "data_0.json")), options)); err != nil {
			return err
		}
	}
	return nil
}

// copyPartitioned is one COPY with PARTITION_BY (year, month), on a
// connection of its own with few files open at once
// (sql/export/partitions.sql), so that its memory stays flat however many
// months it writes.
func copyPartitioned(ctx context.Context, db *sql.DB, query, dir, options string) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, sqlfiles.Statement("export/partitions")); err != nil {
		return fmt.Errorf("limiting the open files: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), sqlfiles.Statement("export/partitions_reset"))
	_, err = conn.ExecContext(ctx, fmt.Sprintf("COPY (%s) TO %s (%s, PARTITION_BY (year, month))", query, literal(dir), options))
	return err
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

// setModes gives what DuckDB wrote into dir (a work folder of this
// export's own, which no one else can write to) the modes knockmap
// promises: files outfile.Mode, folders outfile.DirMode, whatever the
// umask. The rows are what a log held: usernames, and the passwords people
// type at the username prompt.
func setModes(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir():
			return os.Chmod(path, outfile.DirMode)
		case d.Type().IsRegular():
			return os.Chmod(path, outfile.Mode)
		}
		return fmt.Errorf("%s: DuckDB wrote a %s", path, d.Type())
	})
}

// swap puts the folder src at part (year=Y/month=M) under the folder out:
// in one step where the system can exchange two folders (Linux), else by
// moving the old one aside into trash first. The old folder is removed
// with trash. Every step goes through out's descriptor and the year
// folder's, opened without following a link: a link another user planted
// at year=Y is refused, and one at month=M is replaced, not followed.
func swap(src string, out *os.File, part, trash string) error {
	year, month := filepath.Split(part)
	year = filepath.Clean(year)
	err := unix.Mkdirat(int(out.Fd()), year, uint32(outfile.DirMode))
	if err != nil && !errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("making %s: %w", year, err)
	}
	fd, err := unix.Openat(int(out.Fd()), year, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR) {
		return fmt.Errorf("%s is not a folder but a link or a file, which knockmap does not write through: remove it", filepath.Join(out.Name(), year))
	}
	if err != nil {
		return fmt.Errorf("opening %s: %w", filepath.Join(out.Name(), year), err)
	}
	defer unix.Close(fd)
	if exchanged, err := exchange(src, fd, month); exchanged || err != nil {
		return err // the old month is now at src, inside trash
	}
	old := ""
	var st unix.Stat_t
	if unix.Fstatat(fd, month, &st, unix.AT_SYMLINK_NOFOLLOW) == nil {
		old, err = os.MkdirTemp(trash, "old-")
		if err != nil {
			return err
		}
		old = filepath.Join(old, "p")
		if err := unix.Renameat(fd, month, unix.AT_FDCWD, old); err != nil {
			return fmt.Errorf("moving the old %s aside: %w", part, err)
		}
	}
	if err := unix.Renameat(unix.AT_FDCWD, src, fd, month); err != nil {
		if old != "" {
			unix.Renameat(unix.AT_FDCWD, old, fd, month) // put the old one back
		}
		return fmt.Errorf("moving %s in: %w", part, err)
	}
	return nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"syscall"

	"github.com/knockmap/knockmap/sql"
)

var giveBackSpace = sqlfiles.Statement("store/give_back_space")

// GiveBackSpace returns to the file system the space that a write which
// failed and was rolled back took in the database file (see
// sql/store/give_back_space.sql): without it the file stays as long as
// the write made it. Its commit writes a few hundred bytes of write-ahead
// log, which Room's margin leaves room for. Call it with no transaction
// open on db.
func GiveBackSpace(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.ExecContext(ctx, giveBackSpace)
	if err != nil {
		conn.ExecContext(context.Background(), "ROLLBACK")
	}
	// whether or not it worked, the threshold is DuckDB's own again
	if _, rerr := conn.ExecContext(context.Background(), "RESET checkpoint_threshold"); err == nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("giving back the space of the failed write: %w", err)
	}
	return nil
}

// ErrDiskNearlyFull is what an ingest's error wraps when it stopped
// because the database's file system had less than Margin left.
var ErrDiskNearlyFull = errors.New("the database's file system is nearly full")

// Margin is the room a write keeps free on the database's file system:
// 16 MiB, or 1% of the file system when that is more. DuckDB itself must
// never be the one to find the disk full: blocks it failed to write stay
// in the file, which no checkpoint shortens again (measured: a 3.3 MB
// database an ingest grew to fill a 20 MB tmpfs stayed 20 MB, and every
// later write failed), while a write that stops short of that can be
// rolled back and its space given back (GiveBackSpace).
func Margin(total uint64) uint64 { return max(16<<20, total/100) }

// Folder returns the folder of the database db's file, "" for an
// in-memory database: what Room checks.
func Folder(ctx context.Context, db *sql.DB) (string, error) {
	var path string
	err := db.QueryRowContext(ctx, `SELECT coalesce(path, '') FROM duckdb_databases() WHERE database_name = current_database()`).Scan(&path)
	if err != nil || path == "" {
		return "", err
	}
	return filepath.Dir(path), nil
}

// Room checks that the file system of dir (a database's Folder) has more
// than Margin free; it returns an error wrapping ErrDiskNearlyFull if not.
// An empty dir (an in-memory database) always has room. It asks the
// kernel only, so that it can run before every batch.
func Room(dir string) error {
	if dir == "" {
		return nil
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return nil // no figure: DuckDB will say
	}
	free, total := st.Bavail*uint64(st.Bsize), st.Blocks*uint64(st.Bsize)
	if m := Margin(total); free < m {
		return fmt.Errorf("%w: %s has %d MiB free, less than the %d MiB knockmap keeps free", ErrDiskNearlyFull, dir, free>>20, m>>20)
	}
	return nil
}

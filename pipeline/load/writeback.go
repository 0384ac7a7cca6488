//go:build duckdb_arrow

package load

import (
	"context"
	"database/sql"
	"os"
)

// The loader has the database file synced in the background after each
// batch (writeBack), so that the fsync of the commit, after the last line
// is read, finds little left to do: an fsync's cost grows with what was
// written since the last (docs/performance.md has the figures). It changes
// nothing DuckDB does: the commit syncs as before.

// writeBack syncs a file in its own goroutine whenever kicked, at most one
// sync at a time; kicks during a sync make one more after it.
type writeBack struct {
	f    *os.File
	kick chan struct{}
	done chan struct{}
}

// startWriteBack opens the file of the database conn uses and starts
// syncing it; nil for a database in memory, or where the file cannot be
// opened.
func startWriteBack(ctx context.Context, conn *sql.Conn) *writeBack {
	path, err := dbFile(ctx, conn)
	if err != nil || path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	w := &writeBack{f: f, kick: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for range w.kick {
			syncData(f)
		}
	}()
	return w
}

// Kick asks for a sync of what has been written so far.
func (w *writeBack) Kick() {
	select {
	case w.kick <- struct{}{}:
	default: // one is pending already
	}
}

// Stop waits for a sync under way and closes the file.
func (w *writeBack) Stop() {
	close(w.kick)
	<-w.done
	w.f.Close()
}

// dbFile is the path of the file of the database conn uses by default.
func dbFile(ctx context.Context, conn *sql.Conn) (string, error) {
	var path sql.NullString
	err := conn.QueryRowContext(ctx, `SELECT path FROM duckdb_databases() WHERE database_name = current_database()`).Scan(&path)
	return path.String, err
}

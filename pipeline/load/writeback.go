//go:build duckdb_arrow

package load

import (
	"context"
	"database/sql"

	"github.com/knockmap/knockmap/pipeline/store"
)

// The loader has the database file synced in the background after each
// batch (writeBack), so that the fsync of the commit, after the last line
// is read, finds little left to do: an fsync's cost grows with what was
// written since the last (docs/performance.md has the figures). It changes
// nothing DuckDB does: the commit syncs as before.
//
// The sync goes through the descriptor DuckDB itself has open on the file
// (store.FileDescriptor), and knockmap never opens the database file beside it:
// DuckDB's lock on the file is an fcntl lock, and a process loses all its
// fcntl locks on a file the moment it closes any descriptor of that file,
// which would let another knockmap open the database while this one
// writes it (TestWritebackKeepsLock).

// writeBack syncs a file in its own goroutine whenever kicked, at most one
// sync at a time; kicks during a sync make one more after it.
type writeBack struct {
	file store.Descriptor
	kick chan struct{}
	done chan struct{}
}

// startWriteBack finds DuckDB's descriptor of the file of the database
// conn uses and starts syncing it; nil for a database in memory, or where
// the descriptor is not found (outside Linux, where the commit's fsync
// writes everything, as it would anyway).
func startWriteBack(ctx context.Context, conn *sql.Conn) *writeBack {
	path, err := dbFile(ctx, conn)
	if err != nil || path == "" {
		return nil
	}
	file, ok := store.FileDescriptor(path)
	if !ok {
		return nil
	}
	w := &writeBack{file: file, kick: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for range w.kick {
			file.DataSync()
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

// Stop waits for a sync under way. It closes nothing: the descriptor is
// DuckDB's.
func (w *writeBack) Stop() {
	close(w.kick)
	<-w.done
}

// dbFile is the path of the file of the database conn uses by default.
func dbFile(ctx context.Context, conn *sql.Conn) (string, error) {
	var path sql.NullString
	err := conn.QueryRowContext(ctx, `SELECT path FROM duckdb_databases() WHERE database_name = current_database()`).Scan(&path)
	return path.String, err
}

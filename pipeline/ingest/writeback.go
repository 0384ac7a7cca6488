//go:build duckdb_arrow

package ingest

import (
	"context"
	"database/sql"
	"os"
)

// writeback has the kernel start writing the database file's new pages to
// disk while the load goes on, so that the fsync of the commit, after the
// last line is read, finds little left to write: DuckDB writes each full
// row group into the file as it loads, and at the end of 1M lines the
// commit's fsync took 43 ms for the 25 MB still unwritten. It changes
// nothing DuckDB does: the commit syncs as before.
type writeback struct {
	kick chan struct{}
	done chan struct{}
}

// startWriteback finds the file of the database conn uses and starts the
// writing-back goroutine; nil (nothing to do) for a database in memory,
// or where the file cannot be opened.
func startWriteback(ctx context.Context, conn *sql.Conn) *writeback {
	path, err := dbFile(ctx, conn)
	if err != nil || path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	w := &writeback{kick: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		defer f.Close()
		for range w.kick {
			startWriting(f)
		}
	}()
	return w
}

// dbFile is the path of the file of the database conn uses by default.
func dbFile(ctx context.Context, conn *sql.Conn) (string, error) {
	var path sql.NullString
	err := conn.QueryRowContext(ctx, `SELECT path FROM duckdb_databases() WHERE database_name = current_database()`).Scan(&path)
	return path.String, err
}

// Kick asks for the pages written so far to be written back, if the last
// request is done; it never waits.
func (w *writeback) Kick() {
	if w == nil {
		return
	}
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Stop ends the goroutine.
func (w *writeback) Stop() {
	if w == nil {
		return
	}
	close(w.kick)
	<-w.done
}

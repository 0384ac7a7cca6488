//go:build duckdb_arrow

package load

import (
	"context"
	"database/sql"
	"os"
)

// The loader has the kernel start writing the database file's new pages to
// disk after each batch (startWriting), so that the fsync of the commit,
// after the last line is read, finds little left to write: DuckDB writes
// each full row group into the file as it loads, and at the end of 1M
// lines the commit's fsync took 43 ms for the 25 MB still unwritten. It
// changes nothing DuckDB does: the commit syncs as before.

// openFile opens the file of the database conn uses, to write back; nil
// for a database in memory, or where the file cannot be opened.
func openFile(ctx context.Context, conn *sql.Conn) *os.File {
	path, err := dbFile(ctx, conn)
	if err != nil || path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	return f
}

// dbFile is the path of the file of the database conn uses by default.
func dbFile(ctx context.Context, conn *sql.Conn) (string, error) {
	var path sql.NullString
	err := conn.QueryRowContext(ctx, `SELECT path FROM duckdb_databases() WHERE database_name = current_database()`).Scan(&path)
	return path.String, err
}

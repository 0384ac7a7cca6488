//go:build duckdb_arrow

package load

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/duckdb/duckdb-go/v2"

	"github.com/knockmap/knockmap/sql"
)

// Loader writes batches into the events table inside one transaction on
// one connection: either everything it wrote is committed, or nothing is.
type Loader struct {
	conn    *sql.Conn
	arrow   *duckdb.Arrow
	strings Strings    // the strings the batches added to the dictionary, written by Commit
	addrs   ConnAddrs  // the connections' addresses the batches found, written by Commit
	sync    *writeBack // syncs the database's file after each batch (writeback.go)
	sums    *Sums      // the rollups' sums of the rows written, written by Commit (rollup.go)
	done    bool
}

// Begin takes a connection from db and starts the loader's transaction.
func Begin(ctx context.Context, db *sql.DB) (*Loader, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	l := &Loader{conn: conn}
	err = conn.Raw(func(dc any) error {
		a, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		l.arrow = a
		return err
	})
	if err == nil {
		_, err = conn.ExecContext(ctx, "BEGIN TRANSACTION")
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	l.sync = startWriteBack(ctx, conn)
	return l, nil
}

// Conn is the loader's connection, for statements that belong to the same
// transaction (source bookkeeping).
func (l *Loader) Conn() *sql.Conn { return l.conn }

var (
	insertEvents = sqlfiles.Statement("ingest/insert_events")
	appendEvents = sqlfiles.Statement("ingest/append_events")
	insertDict   = sqlfiles.Statement("ingest/insert_dict")
	insertAddrs  = sqlfiles.Statement("ingest/insert_conn_addr")
)

// Dict reads the dictionary of strings the database holds.
func (l *Loader) Dict(ctx context.Context) (*Dict, error) {
	rows, err := l.conn.QueryContext(ctx, `SELECT id, value FROM dict`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	d := NewDict()
	for rows.Next() {
		var id uint32
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			return nil, err
		}
		d.Put(id, v)
	}
	return d, rows.Err()
}

// Dedup is how Insert checks a batch against the rows of other sources:
// First is the first time stamp (Unix µs) of the batch's source, Last the
// time stamp of its last rows when the batch is its last, else one after
// the batch's last (which no row has). The rows of a source at its first
// time stamp are not taken for those of another source at its last (nor
// its last for another's first): where one file ends and the next begins
// in the same second, as a rotation does, two identical lines on either
// side are two lines, each counted once from its own file
// (sql/ingest/insert_events.sql).
type Dedup struct {
	First, Last int64
}

// Insert writes a batch of rows from one source and returns how many rows
// were new. With dedup, rows that another source already loaded are
// dropped; without (nil), the caller knows that no other source has rows
// in the batch's time range, and the caller adds the batch's rollup sums
// itself (Sums.AddBatch, then AddSums), off the goroutine that drives
// DuckDB; with dedup, Insert adds the sums of the rows it kept. The
// strings the batch added to the dictionary
// are kept, and written by Commit in one statement (or when they reach
// keptStrings bytes): each statement has a fixed cost, and nothing reads
// the dictionary before the commit.
func (l *Loader) Insert(ctx context.Context, b *Batch, source int32, dedup *Dedup) (int64, error) {
	l.strings.Append(&b.Strings)
	l.addrs.Append(&b.ConnAddrs)
	if l.strings.Bytes() > keptStrings || l.addrs.Len() > keptAddrs {
		if err := l.writeStrings(ctx); err != nil {
			return 0, err
		}
	}
	if b.Len() == 0 {
		return 0, nil
	}
	rec := b.Record()
	defer rec.Release()
	var n int64
	var err error
	if dedup != nil {
		us := func(v int64) time.Time { return time.UnixMicro(v).UTC() }
		n, err = l.exec(ctx, rec, "batch", insertEvents, us(b.MinTS), us(b.MaxTS), source, us(dedup.First), us(dedup.Last))
		if err == nil {
			err = l.sumInserted(ctx, b, source, n)
		}
	} else {
		n, err = l.exec(ctx, rec, "batch", appendEvents)
	}
	if err != nil {
		return 0, fmt.Errorf("loading events: %w", err)
	}
	if l.sync != nil {
		l.sync.Kick()
	}
	return n, nil
}

// Exec registers rec as the view name, runs query, which reads it once,
// and returns the rows it affected: for stages other than ingest that load
// Arrow records in the loader's transaction.
func (l *Loader) Exec(ctx context.Context, rec arrow.RecordBatch, name, query string, args ...any) (int64, error) {
	return l.exec(ctx, rec, name, query, args...)
}

// exec registers rec as the view name and runs query, which reads it (a
// registered record is read once: a second statement would see no rows).
func (l *Loader) exec(ctx context.Context, rec arrow.RecordBatch, name, query string, args ...any) (int64, error) {
	rdr, err := array.NewRecordReader(rec.Schema(), []arrow.RecordBatch{rec})
	if err != nil {
		return 0, err
	}
	defer rdr.Release()
	var release func()
	err = l.conn.Raw(func(any) error {
		var err error
		release, err = l.arrow.RegisterView(rdr, name)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("registering an Arrow batch: %w", err)
	}
	// A registered view is read by the statement; release it only after.
	res, err := l.conn.ExecContext(ctx, query, args...)
	// DuckDB makes the view in the database's own schema, not as a
	// temporary one: left there, it would be committed with the rows,
	// pointing at Arrow memory that is gone, and a query that read it later
	// would crash. It is dropped even when ctx is done: with the view left
	// after an interrupted statement, the ROLLBACK that follows read the
	// released batch and crashed (once in about 1,800 cancellations).
	if _, derr := l.conn.ExecContext(context.Background(), `DROP VIEW IF EXISTS "`+strings.ReplaceAll(name, `"`, `""`)+`"`); derr != nil && err == nil {
		err = fmt.Errorf("dropping the view of an Arrow batch: %w", derr)
	}
	release()
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// writeStrings writes the strings kept for the dictionary and the
// connections' addresses.
func (l *Loader) writeStrings(ctx context.Context) error {
	if err := l.writeKept(ctx, &l.addrs, "conn_addr_batch", insertAddrs, "connections' addresses"); err != nil {
		return err
	}
	return l.writeKept(ctx, &l.strings, "dict_batch", insertDict, "strings")
}

// kept is what the loader keeps of its batches until it writes it in one
// statement.
type kept interface {
	Len() int
	Record() arrow.RecordBatch
	Reset()
}

// writeKept writes k, registered as the view name, with query, and empties
// it.
func (l *Loader) writeKept(ctx context.Context, k kept, name, query, what string) error {
	if k.Len() == 0 {
		return nil
	}
	rec := k.Record()
	_, err := l.exec(ctx, rec, name, query)
	rec.Release()
	if err != nil {
		return fmt.Errorf("loading %s: %w", what, err)
	}
	k.Reset()
	return nil
}

// Commit writes the strings the batches added to the dictionary, adds
// the rows' sums to the rollups and makes everything written visible and
// durable.
func (l *Loader) Commit(ctx context.Context) error {
	if l.done {
		return nil
	}
	if err := l.writeStrings(ctx); err != nil {
		l.Rollback()
		return err
	}
	if err := l.FlushSums(ctx); err != nil {
		l.Rollback()
		return err
	}
	l.done = true
	// Not interruptible: a COMMIT interrupted by ctx was reported as
	// failed although DuckDB had committed it, rows and sources, and
	// `knockmap ingest` then said that nothing was loaded.
	_, err := l.conn.ExecContext(context.Background(), "COMMIT")
	l.close()
	return err
}

// Rollback drops everything written since Begin. It is safe after Commit.
func (l *Loader) Rollback() {
	if l.done {
		return
	}
	l.done = true
	l.conn.ExecContext(context.Background(), "ROLLBACK")
	l.close()
}

func (l *Loader) close() {
	l.conn.Close()
	if l.sync != nil {
		l.sync.Stop()
	}
}

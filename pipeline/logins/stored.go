package logins

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	sqlfiles "github.com/knockmap/knockmap/sql"
)

// The logins view's rows are kept in login_rows (sql/0021_login_rows.sql)
// with what they were computed from. Refresh computes again the rows that
// are stale, after `knockmap run` loads and locates; a reader whose rows
// are all fresh reads them, any other computes them (Reading).

// querier is a database, a connection or a transaction.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// computeOptimizer is the DuckDB optimizer that logins_since is computed
// without (see computing).
const computeOptimizer = "build_side_probe_side"

// computing readies q's session (conn, or a transaction on it) for
// computing logins_since and returns what puts conn back. Each of the
// macro's sums joins the logins with the attempts, the logins written on
// the build side (sql/0023_logins_by_day.sql), but DuckDB's estimates
// take a few logins of many rows for more than the attempts and build on
// these: with build_side_probe_side left on, the whole history over 10.5M
// attempts took 6.1 s and spilled 172 MB under a 200 MB limit; with it
// off, 3.1 s and 3 MB. The setting is the session's, so it is put back on
// conn (after the transaction, if any) before conn serves anything else.
func computing(ctx context.Context, q execQuerier, conn *sql.Conn) (func(), error) {
	var was string
	if err := q.QueryRowContext(ctx, `SELECT current_setting('disabled_optimizers')::VARCHAR`).Scan(&was); err != nil {
		return nil, fmt.Errorf("DuckDB's optimizers: %w", err)
	}
	now := computeOptimizer
	if was != "" {
		now = was + "," + computeOptimizer
	}
	if _, err := q.ExecContext(ctx, `SET disabled_optimizers = '`+strings.ReplaceAll(now, "'", "''")+`'`); err != nil {
		return nil, fmt.Errorf("DuckDB's optimizers: %w", err)
	}
	return func() {
		conn.ExecContext(context.Background(), `SET disabled_optimizers = '`+strings.ReplaceAll(was, "'", "''")+`'`)
	}, nil
}

// execQuerier is a connection or a transaction on one.
type execQuerier interface {
	querier
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// StaleFrom returns the first time from which login_rows is stale, and
// whether any is; every row is, from the zero time, when it was never
// computed or a source lost lines.
func StaleFrom(ctx context.Context, q querier) (time.Time, bool, error) {
	var stale, all bool
	var from sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT stale_from IS NOT NULL, coalesce(isinf(stale_from), false),
		CASE WHEN isfinite(stale_from) THEN stale_from END FROM login_rows_stale()`).Scan(&stale, &all, &from)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("login_rows_stale: %w", err)
	}
	if !stale || all {
		return time.Time{}, stale, nil
	}
	return from.Time, true, nil
}

// Fresh reports whether login_rows holds every login as logins_since
// would compute it now.
func Fresh(ctx context.Context, q querier) (bool, error) {
	_, stale, err := StaleFrom(ctx, q)
	return !stale && err == nil, err
}

// stored is stmt reading the kept rows (stored_logins_since) where it
// names logins_since: for a reader that found them Fresh.
func stored(stmt string) string {
	return strings.ReplaceAll(stmt, "logins_since(", "stored_logins_since(")
}

// Reading readies conn for stmt, which names logins_since, and returns
// the statement to run there and what puts conn back after it: stmt over
// the kept rows when they are Fresh, else stmt itself, computed as
// computing sets conn up for.
func Reading(ctx context.Context, conn *sql.Conn, stmt string) (string, func(), error) {
	if fresh, err := Fresh(ctx, conn); err != nil {
		return "", nil, err
	} else if fresh {
		return stored(stmt), func() {}, nil
	}
	restore, err := computing(ctx, conn, conn)
	if err != nil {
		return "", nil, err
	}
	return stmt, restore, nil
}

// RefreshStats says what Refresh did.
type RefreshStats struct {
	Stale    bool      `json:"stale"`           // any row was
	From     time.Time `json:"from"`            // the rows from this time on were computed again (zero: all)
	Computed int64     `json:"computed"`        // logins computed
	Elapsed  float64   `json:"elapsed_seconds"` // how long it took
}

// Refresh computes again, in one transaction, the logins of login_rows
// that are stale (from StaleFrom on), and records what they were computed
// from: the sources' lines and the places of the addresses.
func Refresh(ctx context.Context, db *sql.DB) (*RefreshStats, error) {
	start := time.Now()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	// deferred before the rollback, so run after it: the optimizers are
	// the session's, put back on conn once the transaction is over
	restore := func() {}
	defer func() { restore() }()
	defer tx.Rollback()
	// with DuckDB's own optimizers: without build_side_probe_side the
	// staleness check took 70-87 ms instead of 9-15 over 8 copies of
	// gen-authlog's 1M-line log
	from, stale, err := StaleFrom(ctx, tx)
	if err != nil || !stale {
		return &RefreshStats{Elapsed: time.Since(start).Seconds()}, err
	}
	put, err := computing(ctx, tx, conn)
	if err != nil {
		return nil, err
	}
	restore = put
	// '-infinity' as the bound when every row is stale
	bound, args := "CAST('-infinity' AS TIMESTAMPTZ)", []any{}
	if !from.IsZero() {
		bound, args = "CAST($1 AS TIMESTAMPTZ)", []any{from}
	}
	st := &RefreshStats{Stale: true, From: from}
	// the kept first attempts first, so that the logins read them whole
	defer conn.ExecContext(context.WithoutCancel(ctx), `RESET VARIABLE knockmap_firsts_since`)
	for _, q := range sqlfiles.Split(sqlfiles.Statement("logins/firsts_refresh")) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("keeping the first attempts: %w", err)
		}
	}
	for _, s := range []struct {
		sql  string
		args []any
	}{
		{"DELETE FROM login_rows WHERE ts >= " + bound, args},
		// the rows before bound are as computed: read, not computed again
		{"INSERT INTO login_rows BY NAME SELECT * FROM logins_kept_since(" + bound + ", " + bound + ")", args},
		{sqlfiles.Statement("logins/refresh_state"), nil},
	} {
		res, err := tx.ExecContext(ctx, s.sql, s.args...)
		if err != nil {
			return nil, fmt.Errorf("keeping the logins: %w", err)
		}
		if strings.HasPrefix(s.sql, "INSERT INTO login_rows ") {
			st.Computed, _ = res.RowsAffected()
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("keeping the logins: %w", err)
	}
	st.Elapsed = time.Since(start).Seconds()
	return st, nil
}

//go:build duckdb_arrow

package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/knockmap/knockmap/pipeline/load"
	sqlfiles "github.com/knockmap/knockmap/sql"
)

// SourceRow is one source the database has read.
type SourceRow struct {
	ID       int32      `json:"id"`
	Path     string     `json:"path"` // where it was last read
	Lines    int64      `json:"lines"`
	FirstTS  *time.Time `json:"first_ts"`
	LastTS   *time.Time `json:"last_ts"`
	LastRead time.Time  `json:"last_read"`
	Rows     int64      `json:"rows"` // events it loaded
}

// Sources lists the sources db has read, in the order they were first read.
func Sources(ctx context.Context, db *sql.DB) ([]SourceRow, error) {
	rows, err := db.QueryContext(ctx, sqlfiles.Statement("ingest/sources"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SourceRow
	for rows.Next() {
		var s SourceRow
		var first, last sql.NullTime
		if err := rows.Scan(&s.ID, &s.Path, &s.Lines, &first, &last, &s.LastRead, &s.Rows); err != nil {
			return nil, err
		}
		if first.Valid {
			s.FirstTS, s.LastTS = &first.Time, &last.Time
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Forget removes the sources named (by the path they were last read
// from, or by id as "#3" or "3") and every row they loaded, in one
// transaction, so that the next ingest reads them again from their start.
// A name that matches no source is an error and nothing is removed.
func Forget(ctx context.Context, db *sql.DB, names []string, now time.Time) ([]SourceRow, error) {
	all, err := Sources(ctx, db)
	if err != nil {
		return nil, err
	}
	var chosen []SourceRow
	seen := map[int32]bool{}
	for _, n := range names {
		match := false
		id, idErr := strconv.Atoi(strings.TrimPrefix(n, "#"))
		for _, s := range all {
			if s.Path == n || idErr == nil && int(s.ID) == id {
				match = true
				if !seen[s.ID] {
					seen[s.ID] = true
					chosen = append(chosen, s)
				}
			}
		}
		if !match {
			return nil, fmt.Errorf("no source %q in the database (knockmap forget with no argument lists them)", n)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var dropped int64
	for _, s := range chosen {
		if err := forgetRollups(ctx, tx, s.ID); err != nil {
			return nil, fmt.Errorf("forgetting %s: %w", s.Path, err)
		}
		res, err := tx.ExecContext(ctx, sqlfiles.Statement("ingest/forget_rows"), s.ID)
		if err != nil {
			return nil, fmt.Errorf("forgetting %s: %w", s.Path, err)
		}
		n, _ := res.RowsAffected()
		dropped += n
		if _, err := tx.ExecContext(ctx, sqlfiles.Statement("ingest/forget_source"), s.ID); err != nil {
			return nil, fmt.Errorf("forgetting %s: %w", s.Path, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ingest_runs VALUES (?, ?, 0, 0, ?, 0, 0)`, now, now, -dropped); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("forgetting: %w", err)
	}
	return chosen, nil
}

// forgetRollups takes the sums of source id's rows away from the rollups
// (sql/ingest/forget_rollup.sql for each day rollup, forget_pairs.sql for
// the pairs', each merged by load.MergeBatch), in the transaction that
// deletes the rows.
func forgetRollups(ctx context.Context, tx *sql.Tx, id int32) error {
	type rollup struct {
		table, negate, batch string
		merge                []string
	}
	var all []rollup
	for _, r := range load.Rollups {
		all = append(all, rollup{r.Table, strings.ReplaceAll(sqlfiles.Statement("ingest/forget_rollup"), "{expr}", r.Expr), "rollup_batch", load.MergeSQL(r)})
	}
	all = append(all, rollup{"rollup_address_users", sqlfiles.Statement("ingest/forget_pairs"), "pair_batch", load.PairMergeSQL()})
	for _, r := range all {
		if _, err := tx.ExecContext(ctx, r.negate, id); err != nil {
			return fmt.Errorf("%s: %w", r.table, err)
		}
		if err := load.MergeBatch(ctx, tx, r.batch, r.merge); err != nil {
			return fmt.Errorf("%s: %w", r.table, err)
		}
	}
	return nil
}

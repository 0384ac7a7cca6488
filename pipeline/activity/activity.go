// Package activity answers "who is new, and who is at it now?": the
// addresses whose first failed attempt came after the previous run, and
// those with failed attempts in the day before the wall clock (not before
// the newest row, which on a quiet or stalled log is long ago).
package activity

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	sqlfiles "github.com/knockmap/knockmap/sql"
)

// Window is how far back from now an address counts as active.
const Window = 24 * time.Hour

// Address is one address with its failed attempts: all of them for a new
// one, those of the window for an active one.
type Address struct {
	IP        string    `json:"ip"`
	Attempts  int64     `json:"attempts"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// Summary is the new and the active addresses, each with its count and
// the ones with the most attempts.
type Summary struct {
	// Since is when the previous run finished; the zero time when there
	// was none, and every address is new.
	Since     time.Time `json:"since"`
	New       int64     `json:"new"`
	NewTop    []Address `json:"new_top"`
	Now       time.Time `json:"now"`
	Active    int64     `json:"active"` // with attempts from Now-Window to Now
	ActiveTop []Address `json:"active_top"`
}

// PreviousRun returns when the ingest skip runs back finished (0: the
// last), from ingest_runs; the zero time when there were not that many.
func PreviousRun(ctx context.Context, db *sql.DB, skip int) (time.Time, error) {
	var t time.Time
	err := db.QueryRowContext(ctx, sqlfiles.Statement("status/previous_run"), sql.Named("skip", skip)).Scan(&t)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("reading the runs: %w", err)
	}
	return t, nil
}

// Query returns the addresses first seen after since and those active in
// the Window before now, top of each.
func Query(ctx context.Context, db *sql.DB, since, now time.Time, top int) (*Summary, error) {
	s := &Summary{Since: since, Now: now}
	from := since
	if from.IsZero() {
		from = time.Unix(0, 0)
	}
	var err error
	if s.NewTop, s.New, err = addresses(ctx, db, "status/new_addresses", sql.Named("since", from), sql.Named("top", top)); err != nil {
		return nil, fmt.Errorf("reading the new addresses: %w", err)
	}
	if s.ActiveTop, s.Active, err = addresses(ctx, db, "status/active_addresses", sql.Named("from", now.Add(-Window)), sql.Named("now", now), sql.Named("top", top)); err != nil {
		return nil, fmt.Errorf("reading the active addresses: %w", err)
	}
	return s, nil
}

func addresses(ctx context.Context, db *sql.DB, stmt string, args ...any) ([]Address, int64, error) {
	rows, err := db.QueryContext(ctx, sqlfiles.Statement(stmt), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []Address{}
	var total int64
	for rows.Next() {
		var a Address
		if err := rows.Scan(&a.IP, &a.Attempts, &a.FirstSeen, &a.LastSeen, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, a)
	}
	return out, total, rows.Err()
}

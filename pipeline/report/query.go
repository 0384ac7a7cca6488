// Package report turns the database into knockmap's pictures and its
// offline HTML page: every number comes from a file in sql/report, every
// picture is drawn by maps/render.
package report

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/knockmap/knockmap/sql"
)

// period is the report's time range, bound to $1 and $2 of every query.
type period struct {
	since, until time.Time
}

func (p period) args() []any {
	return []any{p.since.UTC().Format(time.RFC3339Nano), p.until.UTC().Format(time.RFC3339Nano)}
}

// query runs sql/report/NAME.sql over the attempts in the period and hands
// each row to scan.
func query(ctx context.Context, db *sql.DB, p period, name string, scan func(*sql.Rows) error) error {
	q := "WITH attempts AS (\n" + sqlfiles.Statement("report/attempts") + "\n)\n" + sqlfiles.Statement("report/"+name)
	rows, err := db.QueryContext(ctx, q, p.args()...)
	if err != nil {
		return fmt.Errorf("sql/report/%s.sql: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("sql/report/%s.sql: %w", name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sql/report/%s.sql: %w", name, err)
	}
	return nil
}

// Totals head the report.
type Totals struct {
	Attempts, Addresses, Usernames, Countries, ASNs, Located int64
	First, Last                                              time.Time
}

// Count is one labelled count of a top-N list.
type Count struct {
	Code  string // a country's alpha-2 code, where the label is a country
	Label string
	N     int64
}

// Day is one day's attempts by country code ("" for none).
type Day struct {
	Day  time.Time
	Code string
	N    int64
}

// Place is a located point with attempts.
type Place struct {
	Lat, Lon           float64
	Code, Region, City string
	N                  int64
}

// Data is everything a report shows.
type Data struct {
	Totals    Totals
	Ports     []Count
	Usernames []Count
	Countries []Count // top 20
	ASNs      []Count
	ByCountry []Count // all
	Daily     []Day
	Hours     [7][24]float64
	Places    []Place
	Credits   []string // database names
}

func load(ctx context.Context, db *sql.DB, p period) (*Data, error) {
	d := &Data{}
	var first, last sql.NullTime
	err := query(ctx, db, p, "totals", func(r *sql.Rows) error {
		return r.Scan(&d.Totals.Attempts, &d.Totals.Addresses, &d.Totals.Usernames, &d.Totals.Countries, &d.Totals.ASNs, &first, &last, &d.Totals.Located)
	})
	if err != nil {
		return nil, err
	}
	d.Totals.First, d.Totals.Last = first.Time, last.Time
	counts := func(name string, withCode bool, into *[]Count) error {
		return query(ctx, db, p, name, func(r *sql.Rows) error {
			var c Count
			var label sql.NullString
			var err error
			if withCode {
				err = r.Scan(&c.Code, &label, &c.N)
			} else {
				err = r.Scan(&label, &c.N)
			}
			c.Label = label.String
			if c.Label == "" && withCode {
				c.Label = c.Code
			}
			*into = append(*into, c)
			return err
		})
	}
	for _, q := range []struct {
		name     string
		withCode bool
		into     *[]Count
	}{
		{"top_ports", false, &d.Ports},
		{"top_usernames", false, &d.Usernames},
		{"top_countries", true, &d.Countries},
		{"top_asns", false, &d.ASNs},
		{"by_country", true, &d.ByCountry},
	} {
		if err := counts(q.name, q.withCode, q.into); err != nil {
			return nil, err
		}
	}
	err = query(ctx, db, p, "daily_by_country", func(r *sql.Rows) error {
		var x Day
		err := r.Scan(&x.Day, &x.Code, &x.N)
		d.Daily = append(d.Daily, x)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = query(ctx, db, p, "hour_weekday", func(r *sql.Rows) error {
		var wd, hr int
		var n int64
		if err := r.Scan(&wd, &hr, &n); err != nil {
			return err
		}
		if wd >= 1 && wd <= 7 && hr >= 0 && hr < 24 {
			d.Hours[wd-1][hr] = float64(n)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = query(ctx, db, p, "places", func(r *sql.Rows) error {
		var x Place
		var code sql.NullString
		err := r.Scan(&x.Lat, &x.Lon, &code, &x.Region, &x.City, &x.N)
		x.Code = code.String
		d.Places = append(d.Places, x)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = query(ctx, db, p, "credits", func(r *sql.Rows) error {
		var s string
		err := r.Scan(&s)
		d.Credits = append(d.Credits, s)
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

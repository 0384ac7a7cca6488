// Package report turns the database into knockmap's pictures and its
// offline HTML page: every number comes from a file in sql/report, every
// picture is drawn by maps/render.
package report

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/knockmap/knockmap/sql"
)

// period is the report's time range, bound to $1 and $2 of every query.
type period struct {
	since, until time.Time
}

// periodOf is since to until, a zero one open.
func periodOf(since, until time.Time) period {
	p := period{since: since, until: until}
	if p.since.IsZero() {
		p.since = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if p.until.IsZero() {
		p.until = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return p
}

func (p period) args() []any {
	return []any{p.since.UTC().Format(time.RFC3339Nano), p.until.UTC().Format(time.RFC3339Nano)}
}

// attempts is where the report's queries find the failed logins of the
// period: sql/report/rollups.sql, put before each query, with the whole
// UTC days from the rollups and the ends from the rows. None of its
// relations holds a row per attempt, so the report's memory follows the
// days, addresses and usernames, not the attempts.
type attempts struct {
	conn *sql.Conn
	p    period
	step int64 // the page's bucket, in seconds: 86400, weekSeconds, or 3600 from the rows
	rows bool  // every sum from the rows, none from the rollups
	// made says what each of periodTables was made from on conn, shared
	// by a's buckets
	made map[string]madeFrom
}

// periodTable is what several of the report's statements read, made into
// a temporary table once a period from its own statement (after the
// rollups, like them); a relation of sql/report/rollups.sql of the same
// name reads the table, or the statements name it. Made anew for each
// period: the connection goes back to the pool, with its temporary
// tables, when the report is done (withAttempts drops them).
type periodTable struct {
	table string         // the temporary table
	stmt  string         // the statement it is made from
	word  *regexp.Regexp // its name, as a statement names it
	// byBucket: it holds a row per bucket, made again for another
	byBucket bool
	// fromRows: summed from the rows whichever sums the report reads,
	// so not made again when it switches
	fromRows bool
}

// madeFrom is what a periodTable was made from: the sums from the rows
// (every sum, for a report made from the rows, so that it reads none of
// the rollups) and the bucket.
type madeFrom struct {
	rows bool
	step int64
}

var periodTables = []periodTable{
	// the period's client source ports ranked: they come from a row an
	// attempt, and top_ports and page_cells rank them
	{table: "report_port_ranks", stmt: "report/port_ranks", word: regexp.MustCompile(`\breport_port_ranks\b`), fromRows: true},
	// the period's addresses, their attempts and places: ten statements
	// summed the address rollup again each (about 25 ms a statement over
	// the 1.18M address-days of a 1 GB log)
	{table: "report_addresses", stmt: "report/addresses", word: regexp.MustCompile(`\baddresses\b`)},
	// the attempts per bucket, country and ASN: daily_by_country and
	// page_cells joined the 1.18M address-days to their places each
	{table: "report_place_sums", stmt: "report/place_sums", word: regexp.MustCompile(`\bplace_sums\b`), byBucket: true},
	// the attempts per username: totals, top_usernames and page_cells
	// summed the username rollup again each
	{table: "report_username_sums", stmt: "report/username_sums", word: regexp.MustCompile(`\busername_sums\b`)},
}

// openAttempts is the attempts of period p on conn, by the day; it sets
// conn's kind variables (kindVariables).
func openAttempts(ctx context.Context, conn *sql.Conn, p period) (*attempts, error) {
	if _, err := conn.ExecContext(ctx, kindVariables); err != nil {
		return nil, fmt.Errorf("the kinds' variables: %w", err)
	}
	return &attempts{conn: conn, p: p, step: 86400, made: map[string]madeFrom{}}, nil
}

// kindVariables sets the ids of the kinds that the report's statements
// keep rows of: getvariable('knockmap_failed') and 'knockmap_accepted';
// and getvariable('knockmap_ports_kept'), whether port_days holds every
// failed attempt (sql/0034_port_days.sql), so that the statements read
// the ports from it or from the rows. DuckDB pushes a constant filter
// into its scan of event_rows, where "kind_id = (SELECT id FROM kinds
// ...)" is a join on every row: over the 3.0M failed rows of 8 copies of
// gen-authlog's 1M-line log, 20 ms against 8.5 for a count.
const kindVariables = `SET VARIABLE knockmap_failed = (SELECT id FROM kinds WHERE name = 'failed');
SET VARIABLE knockmap_accepted = (SELECT id FROM kinds WHERE name = 'accepted');
SET VARIABLE knockmap_ports_kept = (SELECT kept FROM port_days_kept)`

// byHour is a, counted by the hour, every sum from the rows: for periods
// whose attempts span under three days (hourlyBelow), so few rows.
func (a *attempts) byHour() *attempts {
	b := *a
	b.step, b.rows = 3600, true
	return &b
}

// byWeek is a, its buckets weeks: for periods whose attempts span more
// than weeklyAfter.
func (a *attempts) byWeek() *attempts {
	b := *a
	b.step = weekSeconds
	return &b
}

// args are $1 to $5 of sql/report/rollups.sql: the period, its whole UTC
// days (from the first midnight at or after since to the last at or
// before until; both until when it spans none, or when every sum is to
// come from the rows) and the bucket.
func (a *attempts) args() []any {
	p := a.p
	day := 24 * time.Hour
	from := p.since.UTC().Truncate(day)
	if from.Before(p.since) {
		from = from.Add(day)
	}
	to := p.until.UTC().Truncate(day)
	if a.rows || !from.Before(to) {
		from, to = p.until, p.until
	}
	f := func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
	return []any{f(p.since), f(p.until), f(from), f(to), a.step}
}

// query runs sql/report/NAME.sql over the attempts and hands each row to
// scan.
func (a *attempts) query(ctx context.Context, name string, scan func(*sql.Rows) error) error {
	prefix := sqlfiles.Statement("report/rollups") + "\n"
	body := sqlfiles.Statement("report/" + name)
	for _, t := range periodTables {
		var want madeFrom
		if !t.fromRows {
			want.rows = a.rows
		}
		if t.byBucket {
			want.step = a.step
		}
		if from, ok := a.made[t.table]; (ok && from == want) || !names(body, t.word) {
			continue
		}
		if _, err := a.conn.ExecContext(ctx, "CREATE OR REPLACE TEMPORARY TABLE "+t.table+" AS\n"+
			withPrefix(prefix, sqlfiles.Statement(t.stmt)), a.args()...); err != nil {
			return fmt.Errorf("sql/%s.sql: %w", t.stmt, err)
		}
		a.made[t.table] = want
	}
	return queryText(ctx, a.conn, name, withPrefix(prefix, body), a.args(), scan)
}

// names reports whether stmt, a file of sql/report without the rollups
// before it, names the relation word outside its comments.
func names(stmt string, word *regexp.Regexp) bool {
	for _, line := range strings.Split(stmt, "\n") {
		code, _, _ := strings.Cut(line, "--")
		if word.MatchString(code) {
			return true
		}
	}
	return false
}

// queryStatement runs sql/report/NAME.sql, after prefix (a WITH clause or
// nothing), with args, and hands each row to scan.
func queryStatement(ctx context.Context, conn *sql.Conn, name, prefix string, args []any, scan func(*sql.Rows) error) error {
	return queryText(ctx, conn, name, withPrefix(prefix, sqlfiles.Statement("report/"+name)), args, scan)
}

// queryText runs stmt, made from sql/report/NAME.sql, with args, and
// hands each row to scan.
func queryText(ctx context.Context, conn *sql.Conn, name, stmt string, args []any, scan func(*sql.Rows) error) error {
	rows, err := conn.QueryContext(ctx, stmt, args...)
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

// withPrefix puts prefix, a WITH clause or nothing, before stmt; a stmt
// that has a WITH clause of its own gets prefix's definitions first in it.
func withPrefix(prefix, stmt string) string {
	if prefix == "" {
		return stmt
	}
	body := stmt
	for {
		body = strings.TrimLeft(body, " \t\r\n")
		if !strings.HasPrefix(body, "--") {
			break
		}
		_, body, _ = strings.Cut(body, "\n")
	}
	if len(body) > 5 && strings.EqualFold(body[:5], "WITH ") {
		return strings.TrimRight(prefix, " \n") + ",\n" + body[5:]
	}
	return prefix + stmt
}

// Totals head the report.
type Totals struct {
	Attempts  int64     `json:"attempts"`
	Addresses int64     `json:"addresses"`
	Usernames int64     `json:"usernames"`
	Countries int64     `json:"countries"`
	ASNs      int64     `json:"asns"`
	Located   int64     `json:"located"`
	First     time.Time `json:"first"`
	Last      time.Time `json:"last"`
}

// HostTotals are one host's part of the report's totals.
type HostTotals struct {
	Host      string    `json:"host"`
	Attempts  int64     `json:"attempts"`
	Addresses int64     `json:"addresses"`
	Usernames int64     `json:"usernames"`
	Countries int64     `json:"countries"`
	First     time.Time `json:"first"`
	Last      time.Time `json:"last"`
}

// Count is one labelled count of a top-N list.
type Count struct {
	Code  string // a country's alpha-2 code, where the label is a country
	Label string
	N     int64
}

// Day is one day's (or, in Data.Hourly, one hour's) attempts by country
// code ("" for none).
type Day struct {
	Day  time.Time
	Code string
	N    int64
}

// hourlyBelow is the span of attempts under which the report counts by the
// hour: a day or two drawn by the day would be one or two points.
const hourlyBelow = 72 * time.Hour

// weeklyAfter is the span of attempts over which the report counts by the
// week (weekSeconds, weeks since 1970-01-01, a Thursday) rather than by
// the day: the page's timeline has 880 units of width, so that a day of
// more than two years is thinner than one, and the page's cells grow with
// the buckets (over 23 years of gen-authlog's log, 10 MB of page and
// DuckDB's windows past 200 MB by the day).
const weeklyAfter = 2 * 365 * 24 * time.Hour

// weekSeconds is a week, the page's bucket over long periods.
const weekSeconds = 7 * 86400

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
	Daily     []Day   // by the day, or by the week (from its first day) when bucketFor(Totals) is weekSeconds
	Hourly    []Day   // only when the attempts span less than hourlyBelow
	Hours     [7][24]float64
	Places    []Place
	Credits   []string // database names
	Hosts     []HostTotals
}

func load(ctx context.Context, db *sql.DB, p period) (*Data, error) {
	var d *Data
	err := withAttempts(ctx, db, p, func(at *attempts) error {
		var err error
		d, err = loadData(ctx, at)
		return err
	})
	return d, err
}

// withAttempts runs f over the period's attempts, found once for all the
// report's queries.
func withAttempts(ctx context.Context, db *sql.DB, p period, f func(*attempts) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	at, err := openAttempts(ctx, conn, p)
	if err != nil {
		return err
	}
	err = f(at)
	for t := range at.made {
		if _, derr := conn.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS temp."+t); err == nil {
			err = derr
		}
	}
	return err
}

// oneHost is the page's one row of the host list when the period's
// attempts name one host (or none), made from the totals: the same
// numbers as sql/report/hosts.sql, without reading each row; nil when
// there are several, or no attempts, or when every sum is to come from
// the rows (as TestRollupsEqualRows asks, to compare the two).
func (a *attempts) oneHost(ctx context.Context, t Totals) (*HostTotals, error) {
	if t.Attempts == 0 || a.rows {
		return nil, nil
	}
	var several bool
	if err := a.query(ctx, "host_any", func(r *sql.Rows) error { return r.Scan(&several) }); err != nil {
		return nil, err
	}
	if several {
		var hosts int64
		if err := a.query(ctx, "host_count", func(r *sql.Rows) error { return r.Scan(&hosts) }); err != nil || hosts > 1 {
			return nil, err
		}
	}
	h := HostTotals{Attempts: t.Attempts, Addresses: t.Addresses, Usernames: t.Usernames, Countries: t.Countries, First: t.First, Last: t.Last}
	if err := a.query(ctx, "host_name", func(r *sql.Rows) error { return r.Scan(&h.Host) }); err != nil {
		return nil, err
	}
	return &h, nil
}

// loadData runs the report's queries over at.
func loadData(ctx context.Context, at *attempts) (*Data, error) {
	var err error
	d := &Data{}
	var first, last sql.NullTime
	err = at.query(ctx, "totals", func(r *sql.Rows) error {
		return r.Scan(&d.Totals.Attempts, &d.Totals.Addresses, &d.Totals.Usernames, &d.Totals.Countries, &d.Totals.ASNs, &first, &last, &d.Totals.Located)
	})
	if err != nil {
		return nil, err
	}
	d.Totals.First, d.Totals.Last = first.Time, last.Time
	counts := func(name string, withCode bool, into *[]Count) error {
		return at.query(ctx, name, func(r *sql.Rows) error {
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
	daily := at
	if bucketFor(d.Totals) == weekSeconds {
		daily = at.byWeek()
	}
	err = daily.query(ctx, "daily_by_country", func(r *sql.Rows) error {
		var x Day
		err := r.Scan(&x.Day, &x.Code, &x.N)
		d.Daily = append(d.Daily, x)
		return err
	})
	if err != nil {
		return nil, err
	}
	if d.Totals.Attempts > 0 && d.Totals.Last.Sub(d.Totals.First) < hourlyBelow {
		err = at.byHour().query(ctx, "hourly_by_country", func(r *sql.Rows) error {
			var x Day
			err := r.Scan(&x.Day, &x.Code, &x.N)
			x.Day = x.Day.UTC()
			d.Hourly = append(d.Hourly, x)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	err = at.query(ctx, "hour_weekday", func(r *sql.Rows) error {
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
	err = at.query(ctx, "places", func(r *sql.Rows) error {
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
	one, err := at.oneHost(ctx, d.Totals)
	if err != nil {
		return nil, err
	}
	if one != nil {
		d.Hosts = []HostTotals{*one}
	} else if d.Totals.Attempts > 0 {
		err = at.query(ctx, "hosts", func(r *sql.Rows) error {
			var h HostTotals
			var first, last sql.NullTime
			err := r.Scan(&h.Host, &h.Attempts, &h.Addresses, &h.Usernames, &h.Countries, &first, &last)
			h.First, h.Last = first.Time, last.Time
			d.Hosts = append(d.Hosts, h)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	err = at.query(ctx, "credits", func(r *sql.Rows) error {
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

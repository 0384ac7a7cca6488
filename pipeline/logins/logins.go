// Package logins answers "did anyone get in?": the successful logins of
// the logins view (sql/0013_logins.sql), the reasons each one stands out,
// and the short text that names them.
package logins

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/knockmap/knockmap/pipeline/store"
	sqlfiles "github.com/knockmap/knockmap/sql"
)

// Login is one successful authentication and why it stands out. Username,
// Host and the rest of the strings come from the log: attacker-controlled.
type Login struct {
	TS                       time.Time  `json:"ts"`
	Host                     string     `json:"host"`
	Username                 string     `json:"username"`
	Method                   string     `json:"method"`
	IP                       string     `json:"ip"`
	Port                     int64      `json:"port,omitempty"`
	Country                  string     `json:"country,omitempty"`
	ASN                      int64      `json:"asn,omitempty"`
	Connection               int64      `json:"connection,omitempty"`
	KeyType                  string     `json:"key_type,omitempty"`
	KeyFingerprint           string     `json:"key_fingerprint,omitempty"`
	FailedBefore             int64      `json:"failed_before"`
	FailedSince              *time.Time `json:"failed_since,omitempty"`
	FailedInConnection       int64      `json:"failed_in_connection"`
	NetworkFailedBefore      int64      `json:"network_failed_before"`
	NetworkFailedFrom        string     `json:"network_failed_from,omitempty"`
	PasswordWhileBruteforced int64      `json:"password_while_bruteforced"`
	FirstFromAddress         bool       `json:"first_from_address"`
	FirstFromASN             bool       `json:"first_from_asn"`
	FirstFromCountry         bool       `json:"first_from_country"`
	NewHour                  bool       `json:"new_hour"`
	NewKey                   bool       `json:"new_key"`
	StandsOut                bool       `json:"stands_out"`
	// Alerts: a reason about failed attempts (failed_before,
	// network_failed_before, password_while_bruteforced), what run mails;
	// the other reasons are an owner's routine now and then, and never
	// alert alone.
	Alerts  bool     `json:"alerts"`
	Reasons []string `json:"reasons"`
	Source  int64    `json:"-"` // sources.id of its line
	Line    int64    `json:"-"` // its line number in that source
}

// Query returns the logins from since on (the zero time: all), oldest
// first: those that stand out, or every one when all is set. It reads
// the kept rows when they are Fresh, else computes them.
func Query(ctx context.Context, db *sql.DB, since time.Time, all bool) ([]Login, error) {
	var out []Login
	err := Each(ctx, db, since, all, func(l Login) error {
		out = append(out, l)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Each hands the logins Query returns to f, one at a time as they are
// read, so that a caller that keeps a few of them (the night's alert)
// does not hold them all: the first night over a long history can list
// tens of thousands.
func Each(ctx context.Context, db *sql.DB, since time.Time, all bool, f func(Login) error) error {
	if since.IsZero() {
		since = time.Unix(0, 0)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	stmt, restore, err := Reading(ctx, conn, sqlfiles.Statement("logins/list"))
	if err != nil {
		return err
	}
	defer restore()
	rows, err := conn.QueryContext(ctx, stmt, sql.Named("since", since), sql.Named("all", all))
	if err != nil {
		return fmt.Errorf("reading the logins: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l Login
		var host, user, method, ip, country, from, keyType, keyFP sql.NullString
		var port, asn, conn sql.NullInt64
		var since sql.NullTime
		if err := rows.Scan(&l.TS, &host, &user, &method, &ip, &port, &country, &asn, &conn, &keyType, &keyFP,
			&l.FailedBefore, &since, &l.FailedInConnection, &l.NetworkFailedBefore, &from, &l.PasswordWhileBruteforced,
			&l.FirstFromAddress, &l.FirstFromASN, &l.FirstFromCountry, &l.NewHour, &l.NewKey, &l.StandsOut, &l.Alerts, &l.Source, &l.Line); err != nil {
			return fmt.Errorf("reading the logins: %w", err)
		}
		l.Host, l.Username, l.Method, l.IP, l.Country, l.NetworkFailedFrom = host.String, user.String, method.String, ip.String, country.String, from.String
		l.Port, l.ASN, l.Connection = port.Int64, asn.Int64, conn.Int64
		l.KeyType, l.KeyFingerprint = keyType.String, keyFP.String
		if since.Valid {
			t := since.Time
			l.FailedSince = &t
		}
		l.Reasons = l.reasons()
		if err := f(l); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading the logins: %w", err)
	}
	return nil
}

// reasons names why the login stands out, one phrase a reason.
func (l Login) reasons() []string {
	r := []string{}
	if l.FailedBefore > 0 {
		since := ""
		if l.FailedSince != nil {
			since = " since " + l.FailedSince.UTC().Format("2006-01-02 15:04")
		}
		r = append(r, fmt.Sprintf("failed_before: %d failed attempts from this address%s", l.FailedBefore, since))
	}
	if l.NetworkFailedBefore > 0 {
		r = append(r, fmt.Sprintf("network_failed_before: %d failed attempts from other addresses of %s", l.NetworkFailedBefore, l.NetworkFailedFrom))
	}
	if l.PasswordWhileBruteforced > 0 {
		r = append(r, fmt.Sprintf("password_while_bruteforced: %d failed attempts on this user from other addresses in the 7 days before", l.PasswordWhileBruteforced))
	}
	if l.FirstFromAddress {
		r = append(r, "first_from_address: this user's first login from this address")
	}
	if l.FirstFromASN {
		r = append(r, fmt.Sprintf("first_from_asn: this user's first login from AS%d", l.ASN))
	}
	if l.FirstFromCountry {
		r = append(r, "first_from_country: this user's first login from "+l.Country)
	}
	if l.NewHour {
		r = append(r, fmt.Sprintf("new_hour: this user never logged in at %02d h UTC before", l.TS.UTC().Hour()))
	}
	if l.NewKey {
		r = append(r, fmt.Sprintf("new_key: a key fingerprint not seen before for this user (%s %s)", l.KeyType, l.KeyFingerprint))
	}
	return r
}

// Print writes each login as a short block: when, who, how and from
// where, then its reasons, one a line. The log's strings go through
// store.Terminal, so that nothing in them can drive a terminal or fake a
// line of the block.
func Print(w io.Writer, ls []Login) error {
	for _, l := range ls {
		where := store.Terminal(l.IP)
		if l.Country != "" {
			where += ", " + store.Terminal(l.Country)
		}
		if l.ASN != 0 {
			where += fmt.Sprintf(", AS%d", l.ASN)
		}
		how := store.Terminal(l.Method)
		if l.KeyFingerprint != "" {
			how += " " + store.Terminal(l.KeyType+" "+l.KeyFingerprint)
		}
		if _, err := fmt.Fprintf(w, "%s %s: %s logged in with %s from %s (connection %d)\n",
			l.TS.UTC().Format("2006-01-02 15:04:05Z"), store.Terminal(l.Host), store.Terminal(quote(l.Username)),
			how, where, l.Connection); err != nil {
			return err
		}
		for _, r := range l.Reasons {
			if _, err := fmt.Fprintf(w, "    %s\n", store.Terminal(r)); err != nil {
				return err
			}
		}
	}
	return nil
}

// quote shows an empty or spaced username as such.
func quote(s string) string {
	if s == "" || strings.ContainsAny(s, " \t") {
		return fmt.Sprintf("%q", s)
	}
	return s
}

// Loaded says which rows a source cursor snapshot had not read yet: the
// rows of sources it does not hold, and those past the lines it held.
type Loaded map[int64]int64

// Snapshot records how many lines each source had, before an ingest.
func Snapshot(ctx context.Context, db *sql.DB) (Loaded, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, lines FROM sources`)
	if err != nil {
		return nil, fmt.Errorf("reading the sources: %w", err)
	}
	defer rows.Close()
	m := Loaded{}
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("reading the sources: %w", err)
		}
		m[id] = n
	}
	return m, rows.Err()
}

// fewestLines is the fewest lines any source of db had at the snapshot,
// 0 when a source of db is not in it.
func (s Loaded) fewestLines(ctx context.Context, db *sql.DB) (int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT id FROM sources`)
	if err != nil {
		return 0, fmt.Errorf("reading the sources: %w", err)
	}
	defer rows.Close()
	fewest := int64(-1)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, fmt.Errorf("reading the sources: %w", err)
		}
		n := s[id] // 0 for a source not in the snapshot
		if fewest < 0 || n < fewest {
			fewest = n
		}
	}
	return max(fewest, 0), rows.Err()
}

// New reports whether the login's line was loaded after the snapshot.
func (s Loaded) New(l Login) bool {
	n, ok := s[l.Source]
	return !ok || l.Line > n
}

// FirstNew returns the time of the first successful login loaded after
// the snapshot, and false when there is none: the logins from then on
// hold every new one, and logins_since computes only those. It reads the
// successful logins past the fewest lines a source had at the snapshot
// (all of them when a source came since), a bound DuckDB tests against
// each row group's line numbers, so that a night reads those of its own
// lines and not the 13,700 of 8 copies of gen-authlog's 1M-line log
// (55 ms of a night with nothing new).
func (s Loaded) FirstNew(ctx context.Context, db *sql.DB) (time.Time, bool, error) {
	after, err := s.fewestLines(ctx, db)
	if err != nil {
		return time.Time{}, false, err
	}
	rows, err := db.QueryContext(ctx, sqlfiles.Statement("logins/accepted"), after)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("sql/logins/accepted.sql: %w", err)
	}
	defer rows.Close()
	var first time.Time
	found := false
	for rows.Next() {
		var ts time.Time
		var l Login
		if err := rows.Scan(&l.Source, &l.Line, &ts); err != nil {
			return time.Time{}, false, fmt.Errorf("sql/logins/accepted.sql: %w", err)
		}
		if s.New(l) && (!found || ts.Before(first)) {
			first, found = ts, true
		}
	}
	return first, found, rows.Err()
}

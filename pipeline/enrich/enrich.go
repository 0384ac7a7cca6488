//go:build duckdb_arrow

// Package enrich answers, once, where each source address in the database
// is, and stores the answers in the ip_geo table.
package enrich

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/knockmap/knockmap/pipeline/geoip"
	"github.com/knockmap/knockmap/pipeline/load"
	"github.com/knockmap/knockmap/sql"
)

// Options says what to answer.
type Options struct {
	// Refresh answers every address again (after a database changed),
	// replacing the old answers; otherwise only addresses without one are
	// looked up.
	Refresh bool
	// Progress, when set, is told how many of how many addresses are
	// looked up, every few thousand.
	Progress func(done, total int64)
}

// Stats is what one enrichment did.
type Stats struct {
	Lookups     int           `json:"lookups"`     // public addresses looked up
	NotPublic   int           `json:"not_public"`  // private, loopback, documentation … addresses and hostnames, marked, not looked up
	Countries   int           `json:"countries"`   // of the lookups, answered with a country
	Coordinates int           `json:"coordinates"` // with coordinates
	ASNs        int           `json:"asns"`        // with an ASN
	Fallback    int           `json:"fallback"`    // located only by a country table embedded in knockmap
	Elapsed     time.Duration `json:"elapsed_ns"`
}

var (
	newAddresses = sqlfiles.Statement("enrich/new_addresses")
	allAddresses = sqlfiles.Statement("enrich/all_addresses")
	insertGeo    = sqlfiles.Statement("enrich/insert_geo")
	deleteGeo    = sqlfiles.Statement("enrich/delete_geo")
	lastSeen     = sqlfiles.Statement("enrich/last_seen")
	since        = sqlfiles.Statement("enrich/since")
	record       = sqlfiles.Split(sqlfiles.Statement("enrich/record_sources"))
)

// batchRows is how many answers go to DuckDB at once.
const batchRows = 1 << 16

// Run looks up the addresses that need an answer with loc and stores the
// answers, in one transaction.
func Run(ctx context.Context, db *sql.DB, loc *geoip.Locator, opt Options) (*Stats, error) {
	start := time.Now()
	st := &Stats{}
	l, err := load.Begin(ctx, db)
	if err != nil {
		return nil, err
	}
	defer l.Rollback()
	var rows, seen int64
	if err := l.Conn().QueryRowContext(ctx, lastSeen).Scan(&rows, &seen); err != nil {
		return nil, err
	}
	if rows == seen && !opt.Refresh {
		// no event row came since the last enrich: no new address either
		st.Elapsed = time.Since(start)
		return st, nil
	}
	query, args := allAddresses, []any{}
	if !opt.Refresh {
		var after int64
		if err := l.Conn().QueryRowContext(ctx, since).Scan(&after); err != nil {
			return nil, fmt.Errorf("reading the sources: %w", err)
		}
		query, args = newAddresses, []any{after}
	}
	addrs, err := addresses(ctx, l.Conn(), query, args...)
	if err != nil {
		return nil, fmt.Errorf("reading addresses: %w", err)
	}
	if opt.Refresh {
		if _, err := l.Conn().ExecContext(ctx, deleteGeo); err != nil {
			return nil, err
		}
	}
	b := newBuilder()
	defer b.release()
	var a geoip.Answer
	for i, s := range addrs {
		if i%4096 == 0 {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if opt.Progress != nil {
				opt.Progress(int64(i), int64(len(addrs)))
			}
		}
		loc.Lookup(s, &a)
		st.count(&a)
		b.add(s, &a)
		if b.n == batchRows || i == len(addrs)-1 {
			rec := b.record()
			_, err := l.Exec(ctx, rec, "geo_batch", insertGeo)
			rec.Release()
			if err != nil {
				return nil, fmt.Errorf("storing answers: %w", err)
			}
		}
	}
	if _, err := l.Conn().ExecContext(ctx, `INSERT INTO enrich_runs VALUES (?, ?, ?, ?)`, start, rows, st.Lookups+st.NotPublic, opt.Refresh); err != nil {
		return nil, err
	}
	for _, q := range record {
		if _, err := l.Conn().ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("recording the sources: %w", err)
		}
	}
	if err := l.Commit(ctx); err != nil {
		return nil, err
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

func (st *Stats) count(a *geoip.Answer) {
	if a.Scope != geoip.Public {
		st.NotPublic++
		return
	}
	st.Lookups++
	if a.CountryCode != "" {
		st.Countries++
	}
	if a.HasCoords {
		st.Coordinates++
	}
	if a.ASN != 0 {
		st.ASNs++
	}
	if a.Fallback {
		st.Fallback++
	}
}

func addresses(ctx context.Context, conn *sql.Conn, query string, args ...any) ([]string, error) {
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// The columns of geo_batch, in insert_geo.sql's order.
var schema = arrow.NewSchema([]arrow.Field{
	{Name: "ip", Type: arrow.BinaryTypes.String},
	{Name: "scope", Type: arrow.BinaryTypes.String},
	{Name: "country_code", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "country", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "region", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "city", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "latitude", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "longitude", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "accuracy_km", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "asn", Type: arrow.PrimitiveTypes.Uint32, Nullable: true},
	{Name: "as_org", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "source", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "source_built", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "asn_source", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "asn_built", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
}, nil)

type builder struct {
	rb *array.RecordBuilder
	n  int
}

func newBuilder() *builder {
	return &builder{rb: array.NewRecordBuilder(memory.DefaultAllocator, schema)}
}

func (b *builder) release() { b.rb.Release() }

func (b *builder) add(ip string, a *geoip.Answer) {
	f := b.rb.Fields()
	str := func(i int, s string) {
		if s == "" {
			f[i].AppendNull()
		} else {
			f[i].(*array.StringBuilder).Append(s)
		}
	}
	date := func(i int, t time.Time) {
		if t.IsZero() {
			f[i].AppendNull()
		} else {
			f[i].(*array.Date32Builder).Append(arrow.Date32FromTime(t))
		}
	}
	f[0].(*array.StringBuilder).Append(ip)
	f[1].(*array.StringBuilder).Append(a.Scope.String())
	str(2, a.CountryCode)
	str(3, a.Country)
	str(4, a.Region)
	str(5, a.City)
	if a.HasCoords {
		f[6].(*array.Float64Builder).Append(a.Lat)
		f[7].(*array.Float64Builder).Append(a.Lon)
	} else {
		f[6].AppendNull()
		f[7].AppendNull()
	}
	if a.AccuracyKm != 0 {
		f[8].(*array.Int32Builder).Append(int32(a.AccuracyKm))
	} else {
		f[8].AppendNull()
	}
	if a.ASN != 0 {
		f[9].(*array.Uint32Builder).Append(a.ASN)
	} else {
		f[9].AppendNull()
	}
	str(10, a.ASOrg)
	str(11, a.Source)
	date(12, a.SourceBuilt)
	str(13, a.ASNSource)
	date(14, a.ASNBuilt)
	b.n++
}

func (b *builder) record() arrow.RecordBatch {
	b.n = 0
	return b.rb.NewRecordBatch()
}

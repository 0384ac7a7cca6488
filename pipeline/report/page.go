package report

import (
	"context"
	"database/sql"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/knockmap/knockmap/maps/basemap"
	"github.com/knockmap/knockmap/maps/geom"
	"github.com/knockmap/knockmap/maps/render"
	"github.com/knockmap/knockmap/pipeline/logins"
	sqlfiles "github.com/knockmap/knockmap/sql"
)

// rangeData is what index.html's date-range control adds up: attempts per
// bucket (a UTC day, or an hour when the period is under three days) per
// country, ASN, username and port, and the buckets each address and
// username was seen in. Rows are sparse and delta-coded (bucket step,
// count, bucket step, count, …) and keys are arrays, not objects, to keep
// the page small.
type rangeData struct {
	Step  int64             `json:"step"` // seconds per bucket
	First int64             `json:"b0"`   // the first bucket: its start is b0*step seconds since 1970 (UTC)
	N     int               `json:"n"`    // buckets
	Tot   []int64           `json:"tot"`  // attempts per bucket
	Dims  map[string]rowSet `json:"dims"` // c: countries, a: ASNs, u: usernames, p: ports
	// Sets holds, per address (i) and username (u), the delta-coded buckets
	// it was seen in; absent when there are more than maxSetPairs.
	Sets map[string][][]int64 `json:"sets,omitempty"`
	// Distinct holds the whole period's distinct addresses and usernames,
	// for when Sets is absent.
	Distinct [2]int64 `json:"distinct"`
}

type rowSet struct {
	Keys   []string  `json:"k,omitempty"` // country codes (the choropleth's)
	Labels []string  `json:"l"`
	Rows   [][]int64 `json:"r"`
}

// keepPerDim is how many ASNs, usernames and ports the page keeps (the
// most frequent over the period): enough for a top 20 of most ranges.
const keepPerDim = 200

// maxSetPairs bounds the address and username sets: gen-authlog's
// million lines have 260k (address or username, day) pairs, about 900 kB
// of JSON, which would take the page over 2 MB.
// (A variable, so that a test can make a log pass it.)
var maxSetPairs = 60_000

// bucketFor is the page's bucket in seconds: hours when the attempts span
// under three days (hourlyBelow), weeks when they span more than
// weeklyAfter, else days.
func bucketFor(t Totals) int64 {
	switch {
	case !t.First.IsZero() && t.Last.Sub(t.First) < hourlyBelow:
		return 3600
	case t.Last.Sub(t.First) > weeklyAfter:
		return weekSeconds
	}
	return 86400
}

// loadRange reads rangeData from the period's attempts.
func loadRange(ctx context.Context, at *attempts, t Totals) (*rangeData, error) {
	step := bucketFor(t)
	if _, err := at.conn.ExecContext(ctx, fmt.Sprintf("SET VARIABLE knockmap_keep = %d; SET VARIABLE knockmap_pairs = %d", keepPerDim, maxSetPairs)); err != nil {
		return nil, fmt.Errorf("page variables: %w", err)
	}
	switch step {
	case 3600:
		at = at.byHour()
	case weekSeconds:
		at = at.byWeek()
	}
	rd := &rangeData{Step: step, Dims: map[string]rowSet{}, Distinct: [2]int64{t.Addresses, t.Usernames}}
	if t.Attempts == 0 {
		return rd, nil
	}
	rd.First = int64(math.Floor(float64(t.First.Unix()) / float64(step)))
	rd.N = int(math.Floor(float64(t.Last.Unix())/float64(step))-float64(rd.First)) + 1
	rd.Tot = make([]int64, rd.N)
	type cur struct {
		dim, key string
		last     int64
	}
	var c cur
	err := at.query(ctx, "page_cells", func(r *sql.Rows) error {
		var dim, key string
		var label sql.NullString
		var b, n int64
		if err := r.Scan(&dim, &key, &label, &b, &n); err != nil {
			return err
		}
		b -= rd.First
		if b < 0 || b >= int64(rd.N) {
			return nil
		}
		rs := rd.Dims[dim]
		if dim != c.dim || key != c.key {
			c = cur{dim: dim, key: key}
			name := key
			if label.Valid && label.String != "" {
				name = label.String
			}
			if dim == "c" {
				if key == "" {
					name = "not located"
				}
				rs.Keys = append(rs.Keys, render.Label(key, 8))
			}
			rs.Labels = append(rs.Labels, render.Label(name, 120))
			rs.Rows = append(rs.Rows, nil)
		}
		i := len(rs.Rows) - 1
		rs.Rows[i] = append(rs.Rows[i], b-c.last, n)
		c.last = b
		if dim == "c" {
			rd.Tot[b] += n
		}
		rd.Dims[dim] = rs
		return nil
	})
	if err != nil {
		return nil, err
	}
	sets := map[string][][]int64{}
	// from the rollups: by the day a floor under the sets' pairs; by the
	// week a bound over them, so that sets that would fit may be left out
	if step != 3600 {
		var floor int64
		if err := at.query(ctx, "page_set_floor", func(r *sql.Rows) error { return r.Scan(&floor) }); err != nil {
			return nil, err
		}
		if floor > int64(maxSetPairs) {
			sets = nil // as page_sets would leave them out, without its grouping
		}
	}
	if sets != nil {
		pairs := 0
		c = cur{}
		err = at.query(ctx, "page_sets", func(r *sql.Rows) error {
			if sets == nil {
				return nil
			}
			var dim, key string
			var b int64
			if err := r.Scan(&dim, &key, &b); err != nil {
				return err
			}
			if pairs++; pairs > maxSetPairs {
				sets = nil
				return nil
			}
			b -= rd.First
			if dim != c.dim || key != c.key {
				c = cur{dim: dim, key: key}
				sets[dim] = append(sets[dim], nil)
			}
			s := sets[dim]
			s[len(s)-1] = append(s[len(s)-1], b-c.last)
			c.last = b
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	rd.Sets = sets
	return rd, nil
}

// pageTable is one of the page's tables of the logins, campaigns, slow
// brute forces and networks: every cell already text.
type pageTable struct {
	ID, Title, Empty string
	Note             template.HTML // the constant text of tables below
	Cols             []string
	Numeric          []bool
	Rows             [][]string
}

// tables are the page's tables, each from a file in sql/report: over the
// period's attempts (onAttempts) or over the views, with the period bound
// to $1 and $2.
var tables = []struct {
	id, title  string
	note       template.HTML
	empty      string
	onAttempts bool
}{
	{"page_logins", "Logins that stand out", "Successful logins with failed attempts behind them first (those <code>knockmap run</code> mails), then those that are only a first: an address, network, country, hour or key the user never logged in with before (the logins view; <code>knockmap logins</code>).", "No successful login of the period stands out.", false},
	{"page_campaigns", "Campaigns", "Addresses that try one username dictionary between them (the campaigns table, rebuilt by <code>knockmap run</code> and <code>knockmap campaigns</code>).", "No campaign was active in the period (or knockmap campaigns has not run).", false},
	{"page_slow", "Slow brute force", "Addresses spreading their attempts over at least 3 days at a low rate (the slow_addresses view).", "No slow brute force in the period.", false},
	{"page_new_networks", "New networks", "Networks (/24, /48) whose first failed login falls in the last 7 days of the period.", "No network was first seen in the period.", true},
	{"page_networks", "Networks ranked", "The /24 (IPv4) and /48 (IPv6) networks with the most attempts in the period.", "No attempts.", true},
	{"page_asns", "Networks (ASNs) ranked", "The autonomous systems with the most attempts in the period.", "No attempt from a located network: knockmap geoip update fetches an ASN database.", true},
}

// loadTables runs the tables' queries.
func loadTables(ctx context.Context, at *attempts, p period) ([]pageTable, error) {
	var out []pageTable
	var views bool // the logins, campaigns and slow views: a knockmap database has them, a fleet's exports not
	err := at.conn.QueryRowContext(ctx, `SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = 'logins'`).Scan(&views)
	if err != nil {
		return nil, err
	}
	for _, tb := range tables {
		if !tb.onAttempts && !views {
			continue
		}
		pt := pageTable{ID: strings.TrimPrefix(tb.id, "page_"), Title: tb.title, Note: tb.note, Empty: tb.empty}
		scan := func(r *sql.Rows) error {
			if pt.Cols == nil {
				cols, err := r.ColumnTypes()
				if err != nil {
					return err
				}
				for _, c := range cols {
					pt.Cols = append(pt.Cols, c.Name())
					switch strings.ToUpper(c.DatabaseTypeName()) {
					case "BIGINT", "INTEGER", "HUGEINT", "UINTEGER", "UBIGINT", "DOUBLE", "DECIMAL", "FLOAT", "SMALLINT":
						pt.Numeric = append(pt.Numeric, true)
					default:
						pt.Numeric = append(pt.Numeric, false)
					}
				}
			}
			vals := make([]any, len(pt.Cols))
			ptrs := make([]any, len(vals))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				return err
			}
			row := make([]string, len(vals))
			for i, v := range vals {
				row[i] = cellText(v)
			}
			pt.Rows = append(pt.Rows, row)
			return nil
		}
		switch {
		case tb.onAttempts:
			err = at.query(ctx, tb.id, scan)
		case tb.id == "page_logins":
			err = queryLogins(ctx, at.conn, tb.id, p, scan)
		default:
			err = queryPeriod(ctx, at.conn, tb.id, p, scan)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, pt)
	}
	return out, nil
}

// queryLogins runs sql/report/NAME.sql, which names logins_since, as
// queryPeriod does, from the kept rows when they are fresh
// (pipeline/logins' Reading).
func queryLogins(ctx context.Context, conn *sql.Conn, name string, p period, scan func(*sql.Rows) error) error {
	stmt, restore, err := logins.Reading(ctx, conn, sqlfiles.Statement("report/"+name))
	if err != nil {
		return fmt.Errorf("sql/report/%s.sql: %w", name, err)
	}
	defer restore()
	return queryText(ctx, conn, name, stmt, p.args(), scan)
}

// queryPeriod runs sql/report/NAME.sql with the period as $1 and $2.
func queryPeriod(ctx context.Context, conn *sql.Conn, name string, p period, scan func(*sql.Rows) error) error {
	return queryStatement(ctx, conn, name, "", p.args(), scan)
}

// cellText writes a value of a table as the page shows it; strings (which
// may be an attacker's) through render.Label.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return x.UTC().Format("2006-01-02 15:04")
	case int64:
		return render.Thousands(float64(x))
	case int32:
		return render.Thousands(float64(x))
	case uint32:
		return render.Thousands(float64(x))
	case uint64:
		return render.Thousands(float64(x))
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return render.Thousands(x)
		}
		return strconv.FormatFloat(x, 'f', 2, 64)
	case bool:
		if x {
			return "yes"
		}
		return ""
	case string:
		return render.Label(x, 80)
	default:
		return render.Label(fmt.Sprint(x), 80)
	}
}

// svgCountry is one country of the page's choropleth: an SVG path in the
// world map's frame, coloured by the page's script.
type svgCountry struct {
	Code, Name, D string
}

// svgWorld projects the world's countries as the world map does and writes
// each as an SVG path, rounded to the pixel (about 150 kB for the
// embedded Natural Earth 110m countries).
func svgWorld(world []basemap.Area) (outline string, countries []svgCountry) {
	fr := worldFrame()
	outline = svgPath([]geom.Ring{fr.Outline()})
	for _, a := range world {
		d := svgPath(fr.Rings(a.Shape))
		if d == "" {
			continue
		}
		countries = append(countries, svgCountry{Code: a.Code, Name: a.Name, D: d})
	}
	return outline, countries
}

func svgPath(rings []geom.Ring) string {
	var b strings.Builder
	for _, r := range rings {
		var last [2]int
		n := 0
		start := b.Len()
		for _, pt := range r {
			p := [2]int{int(math.Round(pt.X)), int(math.Round(pt.Y))}
			if n > 0 && p == last {
				continue
			}
			if n == 0 {
				fmt.Fprintf(&b, "M%d %d", p[0], p[1])
			} else {
				fmt.Fprintf(&b, "l%d %d", p[0]-last[0], p[1]-last[1])
			}
			last = p
			n++
		}
		if n < 3 {
			s := b.String()[:start]
			b.Reset()
			b.WriteString(s)
			continue
		}
		b.WriteString("z")
	}
	return b.String()
}

// choroplethColours is the world map's colour scale in steps, for the
// page's script: step i is render.Choropleth at log-share i/8.
func choroplethColours() []string {
	out := make([]string, 9)
	for i := range out {
		c := render.Sequential(0.95 - 0.95*float64(i)/8)
		out[i] = fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
	}
	return out
}

// noDataColour is render.NoData as CSS.
func noDataColour() string {
	c := render.NoData
	return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
}

// pageExtra is what index.html shows beyond the pictures: the date-range
// control's data, the choropleth's geometry and the tables.
type pageExtra struct {
	Range     *rangeData
	Outline   string
	Countries []svgCountry
	Colours   []string
	NoData    string
	Tables    []pageTable
	Empty     bool // no attempt in the period
}

// loadExtra reads it on a connection of its own, so that it leaves the
// report's other queries as they are.
func loadExtra(ctx context.Context, at *attempts, p period, t Totals, world []basemap.Area) (pageExtra, error) {
	rd, err := loadRange(ctx, at, t)
	if err != nil {
		return pageExtra{}, err
	}
	// page_new_networks' start, as a constant its scans can skip by
	recent := "CAST('" + t.Last.UTC().Format(time.RFC3339Nano) + "' AS TIMESTAMPTZ) - INTERVAL 7 DAY"
	if _, err := at.conn.ExecContext(ctx, "SET VARIABLE knockmap_recent = "+recent); err != nil {
		return pageExtra{}, fmt.Errorf("page variables: %w", err)
	}
	tbs, err := loadTables(ctx, at, p)
	if err != nil {
		return pageExtra{}, err
	}
	outline, countries := svgWorld(world)
	return pageExtra{Range: rd, Outline: outline, Countries: countries, Colours: choroplethColours(),
		NoData: noDataColour(), Tables: tbs, Empty: t.Attempts == 0}, nil
}

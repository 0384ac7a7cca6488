package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"
)

// Formats are the output formats of Print.
var Formats = []string{"table", "csv", "json"}

// Print runs one SELECT (DESCRIBE, SUMMARIZE and FROM-first queries are
// SELECTs too), with args bound to its parameters, and writes its result to
// w as an aligned table, CSV with a header row, or JSON (one object per
// row, one per line). Any other statement, or more than one, is refused
// before anything runs. In the table, control characters in values
// (attacker-chosen usernames can hold terminal escapes) are shown escaped.
func (db *DB) Print(ctx context.Context, w io.Writer, query, format string, args ...any) error {
	if err := db.oneSelect(ctx, query); err != nil {
		return err
	}
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	// Types the driver hands back as its own Go values (DECIMAL, INTERVAL,
	// UUID, TIME, nested types) are printed as DuckDB writes them: the
	// query, prepared but not run, says which columns to cast.
	if names, types, err := columnTypes(ctx, c, query); err == nil {
		query = castForPrint(query, names, types, format)
	}
	rows, err := c.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	cols, err := rows.Columns()
	if err != nil {
		rows.Close()
		return err
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var emit func(last bool) error
	switch format {
	case "", "table":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(mapStrings(cols, Terminal), "\t"))
		emit = func(last bool) error {
			if last {
				return tw.Flush()
			}
			cells := make([]string, len(vals))
			for i, v := range vals {
				cells[i] = Terminal(text(v, "NULL"))
			}
			_, err := fmt.Fprintln(tw, strings.Join(cells, "\t"))
			return err
		}
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(cols); err != nil {
			return err
		}
		cells := make([]string, len(cols))
		emit = func(last bool) error {
			if last {
				cw.Flush()
				return cw.Error()
			}
			for i, v := range vals {
				cells[i] = text(v, "")
				if _, isText := v.(string); isText {
					cells[i] = Spreadsheet(cells[i]) // text only: -5 stays a number
				}
			}
			return cw.Write(cells)
		}
	case "json":
		// one object a line, its keys in the query's column order (a map
		// would sort them)
		var line []byte
		emit = func(last bool) error {
			if last {
				return nil
			}
			line = append(line[:0], '{')
			for i, c := range cols {
				if i > 0 {
					line = append(line, ',')
				}
				k, err := json.Marshal(c)
				if err != nil {
					return err
				}
				v, err := json.Marshal(jsonValue(vals[i]))
				if err != nil {
					return err
				}
				line = append(append(append(line, k...), ':'), v...)
			}
			line = append(line, '}', '\n')
			_, err := w.Write(line)
			return err
		}
	default:
		return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := emit(false); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return emit(true)
}

// ErrNotSelect is what Print's error wraps for SQL that is not one SELECT.
var ErrNotSelect = errors.New("only one SELECT can be run here (DESCRIBE, SUMMARIZE and FROM … are SELECTs too)")

// oneSelect refuses query unless it is one SELECT, by DuckDB's own parser
// (json_serialize_sql, which serialises SELECTs only), without running
// it. It has to come first: the driver runs every statement of a query but
// the last while it prepares it, and a statement other than a SELECT can
// write, even on a Confined database (into its AllowDirs). A query that
// does not parse is left for DuckDB to refuse with its own message: it
// parses all of the text before it runs any of it.
func (db *DB) oneSelect(ctx context.Context, query string) error {
	var js string
	if err := db.QueryRowContext(ctx, `SELECT CAST(json_serialize_sql(CAST($1 AS VARCHAR)) AS VARCHAR)`, query).Scan(&js); err != nil {
		return fmt.Errorf("parsing the query: %w", err)
	}
	var parsed struct {
		Error      bool              `json:"error"`
		Type       string            `json:"error_type"`
		Message    string            `json:"error_message"`
		Statements []json.RawMessage `json:"statements"`
	}
	if err := json.Unmarshal([]byte(js), &parsed); err != nil {
		return fmt.Errorf("parsing the query: %w", err)
	}
	switch {
	case parsed.Error && parsed.Type == "parser":
		return nil
	case parsed.Error && strings.HasPrefix(parsed.Message, "Only SELECT"):
		return ErrNotSelect // json_serialize_sql's words for it
	case parsed.Error:
		return fmt.Errorf("%w (%s)", ErrNotSelect, parsed.Message)
	case len(parsed.Statements) != 1:
		return fmt.Errorf("%w, not %d", ErrNotSelect, len(parsed.Statements))
	}
	return nil
}

// columnTypes prepares query on c without running it, and returns the
// names and DuckDB types of its columns.
func columnTypes(ctx context.Context, c *sql.Conn, query string) ([]string, []duckdb.Type, error) {
	var names []string
	var types []duckdb.Type
	err := c.Raw(func(dc any) error {
		pc, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("the driver's connection %T cannot prepare", dc)
		}
		st, err := pc.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer st.Close()
		s, ok := st.(*duckdb.Stmt)
		if !ok {
			return fmt.Errorf("the driver's statement %T has no column types", st)
		}
		n, err := s.ColumnCount()
		if err != nil {
			return err
		}
		for i := range n {
			name, err := s.ColumnName(i)
			if err != nil {
				return err
			}
			t, err := s.ColumnType(i)
			if err != nil {
				return err
			}
			names, types = append(names, name), append(types, t)
		}
		return nil
	})
	return names, types, err
}

// castForPrint returns query wrapped so that columns of types with no
// plain Go value become text (numbers, for decimals in JSON), or query as
// it is when every column prints as it is. A type it does not know (one
// newer than this list) becomes text too; an invalid one (the type of a
// parameter DuckDB could not tell before binding) leaves query as it is.
func castForPrint(query string, cols []string, types []duckdb.Type, format string) string {
	need := false
	sel := make([]string, len(cols))
	for i, t := range types {
		name := `"` + strings.ReplaceAll(cols[i], `"`, `""`) + `"`
		sel[i] = fmt.Sprintf("#%d AS %s", i+1, name)
		switch t {
		case duckdb.TYPE_INVALID:
			return query
		case duckdb.TYPE_BOOLEAN, duckdb.TYPE_TINYINT, duckdb.TYPE_SMALLINT, duckdb.TYPE_INTEGER, duckdb.TYPE_BIGINT,
			duckdb.TYPE_UTINYINT, duckdb.TYPE_USMALLINT, duckdb.TYPE_UINTEGER, duckdb.TYPE_UBIGINT,
			duckdb.TYPE_HUGEINT, duckdb.TYPE_UHUGEINT, duckdb.TYPE_FLOAT, duckdb.TYPE_DOUBLE,
			duckdb.TYPE_TIMESTAMP, duckdb.TYPE_TIMESTAMP_S, duckdb.TYPE_TIMESTAMP_MS, duckdb.TYPE_TIMESTAMP_NS,
			duckdb.TYPE_TIMESTAMP_TZ, duckdb.TYPE_VARCHAR, duckdb.TYPE_BLOB, duckdb.TYPE_ENUM, duckdb.TYPE_SQLNULL:
			// printed from its Go value
		case duckdb.TYPE_DECIMAL:
			if format == "json" {
				sel[i] = fmt.Sprintf("CAST(#%d AS DOUBLE) AS %s", i+1, name)
			} else {
				sel[i] = fmt.Sprintf("CAST(#%d AS VARCHAR) AS %s", i+1, name)
			}
			need = true
		default: // INTERVAL, UUID, DATE, TIME, BIT, lists, arrays, structs, maps, unions, ...
			sel[i] = fmt.Sprintf("CAST(#%d AS VARCHAR) AS %s", i+1, name)
			need = true
		}
	}
	if !need {
		return query
	}
	return "SELECT " + strings.Join(sel, ", ") + " FROM (\n" + strings.TrimRight(strings.TrimSpace(query), ";") + "\n)"
}

func mapStrings(in []string, f func(string) string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = f(s)
	}
	return out
}

// text renders a value as text; null is shown as null.
func text(v any, null string) string {
	switch x := v.(type) {
	case nil:
		return null
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		return string(x)
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case *big.Int:
		return x.String()
	}
	return fmt.Sprint(v)
}

func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		return string(x)
	case *big.Int:
		return x.String()
	}
	return v
}

// Terminal makes a string safe to print on a terminal: control characters
// (escape sequences, carriage returns, tabs) and invalid UTF-8 are shown as
// Go-style escapes instead of acting on the terminal.
func Terminal(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}

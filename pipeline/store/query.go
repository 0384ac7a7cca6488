package store

import (
	"context"
	"database/sql"
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
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	cols, err := rows.Columns()
	if err != nil {
		rows.Close()
		return err
	}
	// Types the driver hands back as its own Go values (DECIMAL, INTERVAL,
	// UUID, TIME, nested types) are printed as DuckDB writes them: run the
	// query again with those columns cast.
	if types, err := rows.ColumnTypes(); err == nil {
		if wrapped := castForPrint(query, cols, types, format); wrapped != "" {
			rows.Close()
			if rows, err = db.QueryContext(ctx, wrapped, args...); err != nil {
				return err
			}
		}
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

// castForPrint returns query wrapped so that columns of types with no
// plain Go value become text (numbers, for decimals in JSON), or "" when
// every column prints as it is.
func castForPrint(query string, cols []string, types []*sql.ColumnType, format string) string {
	need := false
	sel := make([]string, len(cols))
	for i, ct := range types {
		name := `"` + strings.ReplaceAll(cols[i], `"`, `""`) + `"`
		sel[i] = fmt.Sprintf("#%d AS %s", i+1, name)
		t := strings.ToUpper(ct.DatabaseTypeName())
		switch {
		case strings.HasPrefix(t, "DECIMAL") && format == "json":
			sel[i] = fmt.Sprintf("CAST(#%d AS DOUBLE) AS %s", i+1, name)
			need = true
		case strings.HasPrefix(t, "DECIMAL"), strings.HasPrefix(t, "INTERVAL"), t == "UUID", t == "DATE",
			strings.HasPrefix(t, "TIME") && !strings.HasPrefix(t, "TIMESTAMP"),
			strings.HasPrefix(t, "BIT"), strings.HasPrefix(t, "STRUCT"), strings.HasPrefix(t, "MAP"),
			strings.HasPrefix(t, "UNION"), strings.HasSuffix(t, "[]"), strings.Contains(t, "["):
			sel[i] = fmt.Sprintf("CAST(#%d AS VARCHAR) AS %s", i+1, name)
			need = true
		}
	}
	if !need {
		return ""
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

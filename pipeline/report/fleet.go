package report

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/knockmap/knockmap/sql"
)

// Export is an in-memory DuckDB whose views read the Parquet files of
// `knockmap export`, of one host or many, where they lie: Run draws the
// same report from it as from a database (see sql/report/export_views.sql).
type Export struct {
	DB  *sql.DB
	tmp string // where DuckDB spills, removed by Close
}

// OpenExport opens the Parquet files that patterns match (paths or globs,
// DIR/**/*.parquet; s3://, gs:// or https:// ones through DuckDB's httpfs
// extension, which must be installed, since knockmap downloads none). It
// fails when no file matches.
func OpenExport(ctx context.Context, patterns []string) (*Export, error) {
	if len(patterns) == 0 {
		return nil, errors.New("no export files given")
	}
	tmp, err := os.MkdirTemp("", "knockmap-report-")
	if err != nil {
		return nil, err
	}
	// one connector: every connection sees the one in-memory database
	connector, err := duckdb.NewConnector("?autoinstall_known_extensions=false&autoload_known_extensions=false&temp_directory="+url.QueryEscape(filepath.Join(tmp, "spill")), nil)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	e := &Export{DB: sql.OpenDB(connector), tmp: tmp}
	if err := e.setUp(ctx, patterns); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// Close closes the database and removes its spill folder.
func (e *Export) Close() error {
	err := e.DB.Close()
	os.RemoveAll(e.tmp)
	return err
}

func (e *Export) setUp(ctx context.Context, patterns []string) error {
	remote := false
	for _, p := range patterns {
		remote = remote || strings.Contains(p, "://")
	}
	if remote {
		if _, err := e.DB.ExecContext(ctx, "LOAD httpfs"); err != nil {
			return fmt.Errorf("%s needs DuckDB's httpfs extension, which knockmap does not download: install it once with duckdb -c 'INSTALL httpfs' (the same DuckDB version, %s): %w", patterns[0], duckdbVersion(ctx, e.DB), err)
		}
		if stmt, secrets := s3Secret(os.Getenv); stmt != "" {
			if _, err := e.DB.ExecContext(ctx, stmt); err != nil {
				msg := err.Error()
				for _, s := range secrets {
					msg = strings.ReplaceAll(msg, s, "…")
				}
				return fmt.Errorf("the S3 settings from the environment (AWS_*): %s", msg)
			}
		}
	}
	macros, err := schemaMacros()
	if err != nil {
		return err
	}
	list := make([]string, len(patterns))
	for i, p := range patterns {
		list[i] = literal(p)
	}
	views := strings.ReplaceAll(sqlfiles.Statement("report/export_views"), "$files", "["+strings.Join(list, ", ")+"]")
	if _, err := e.DB.ExecContext(ctx, macros+";\n"+views); err != nil {
		return fmt.Errorf("sql/report/export_views.sql: %w", err)
	}
	// the files are found, and their columns read, now, not in the first query
	if _, err := e.DB.ExecContext(ctx, "DESCRIBE export_rows"); err != nil {
		return fmt.Errorf("reading the export %s: %w", strings.Join(patterns, " "), err)
	}
	return nil
}

// schemaMacros returns the statements of the schema files that make
// scalar macros, in order, each as CREATE OR REPLACE: the report's
// statements use the macros a knockmap database has (utc_day, ip_network,
// net_prefix …). Table macros (logins_since) are left out.
func schemaMacros() (string, error) {
	ms, err := sqlfiles.Migrations()
	if err != nil {
		return "", err
	}
	var out []string
	for _, m := range ms {
		for rest := m.SQL; ; {
			i := strings.Index(rest, "MACRO ")
			if i < 0 {
				break
			}
			start := strings.LastIndex(rest[:i], "CREATE ")
			end := strings.Index(rest[i:], ";\n")
			if start < 0 || end < 0 {
				return "", fmt.Errorf("sql/%s: a macro without CREATE or an end", m.Name)
			}
			stmt := rest[i : i+end]
			rest = rest[i+end:]
			if head, _, _ := strings.Cut(stmt, "\n"); strings.HasSuffix(strings.TrimSpace(head), "AS TABLE") {
				continue // a table macro reads a knockmap database's tables, which a fleet's exports are not
			}
			out = append(out, "CREATE OR REPLACE "+stmt)
		}
	}
	return strings.Join(out, ";\n"), nil
}

// s3Secret makes the temporary S3 secret the environment describes, as
// the AWS tools read it: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN, AWS_REGION (or AWS_DEFAULT_REGION), and
// AWS_ENDPOINT_URL for another S3 service (MinIO, R2: path-style URLs,
// plain HTTP when it says http://). It returns "" when none is set, and
// the values not to show in an error.
func s3Secret(getenv func(string) string) (string, []string) {
	var opts, secrets []string
	add := func(key, value string, secret bool) {
		if value != "" {
			opts = append(opts, key+" "+literal(value))
			if secret {
				secrets = append(secrets, value)
			}
		}
	}
	add("KEY_ID", getenv("AWS_ACCESS_KEY_ID"), true)
	add("SECRET", getenv("AWS_SECRET_ACCESS_KEY"), true)
	add("SESSION_TOKEN", getenv("AWS_SESSION_TOKEN"), true)
	region := getenv("AWS_REGION")
	if region == "" {
		region = getenv("AWS_DEFAULT_REGION")
	}
	add("REGION", region, false)
	if ep := getenv("AWS_ENDPOINT_URL"); ep != "" {
		host, plain := strings.CutPrefix(ep, "http://")
		host = strings.TrimPrefix(host, "https://")
		add("ENDPOINT", strings.TrimSuffix(host, "/"), false)
		add("URL_STYLE", "path", false)
		if plain {
			opts = append(opts, "USE_SSL false")
		}
	}
	if len(opts) == 0 {
		return "", nil
	}
	return "CREATE TEMPORARY SECRET knockmap_s3 (TYPE s3, " + strings.Join(opts, ", ") + ")", secrets
}

func duckdbVersion(ctx context.Context, db *sql.DB) string {
	var v string
	if db.QueryRowContext(ctx, "SELECT version()").Scan(&v) != nil {
		return "?"
	}
	return v
}

// literal quotes s as an SQL string.
func literal(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

//go:build duckdb_arrow

package main

import (
	"bytes"
	"database/sql"
	"regexp"
	"strings"
	"testing"

	"github.com/knockmap/knockmap/maps/basemap"
	"github.com/knockmap/knockmap/pipeline/geoip"
)

// TestVersion: --version and the version subcommand print the version and
// commit (stamped by -ldflags -X, else "devel" in a test binary, which has
// no VCS information), the DuckDB version the linked library reports
// (and SELECT version() agrees), the embedded country database's package
// and build date, and the basemap packages.
func TestVersion(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var duck string
	if err := db.QueryRow("SELECT version()").Scan(&duck); err != nil {
		t.Fatal(err)
	}
	country, err := geoip.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name            string
		args            []string
		version, commit string // stamped
		wantV, wantC    string
	}{
		{"flag, unstamped", []string{"--version"}, "", "", "devel", "devel"},
		{"subcommand, unstamped", []string{"version"}, "", "", "devel", "devel"},
		{"flag, stamped", []string{"--version"}, "v1.2.3", "0123abc", "v1.2.3", "0123abc"},
		{"subcommand, stamped", []string{"version"}, "v1.2.3", "0123abc-modified", "v1.2.3", "0123abc-modified"},
	} {
		t.Run(c.name, func(t *testing.T) {
			oldV, oldC := version, commit
			version, commit = c.version, c.commit
			defer func() { version, commit = oldV, oldC }()
			root := newRoot()
			var out bytes.Buffer
			root.SetOut(&out)
			root.SetErr(&out)
			root.SetArgs(c.args)
			if err := root.Execute(); err != nil {
				t.Fatalf("%v: %v", c.args, err)
			}
			got := out.String()
			for _, want := range []*regexp.Regexp{
				line("knockmap", c.wantV),
				line("commit", c.wantC),
				line("duckdb", duck),
				line("country database", geoip.EmbeddedPackage()+", built "+country.Built.Format("2006-01-02")),
				line("basemaps and flags", strings.Join(basemap.Packages(), ", ")),
			} {
				if !want.MatchString(got) {
					t.Errorf("%v prints no line %s:\n%s", c.args, want, got)
				}
			}
		})
	}
}

// line matches a line of versionText: the label, spaces, the value.
func line(label, value string) *regexp.Regexp {
	return regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(label) + ` {2,}` + regexp.QuoteMeta(value) + `$`)
}

//go:build duckdb_arrow

package sqlfiles_test

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/knockmap/knockmap/pipeline/store"
	"github.com/knockmap/knockmap/sql"
)

// TestNamedQueriesRun: every query in sql/queries has a description, runs
// on a new database with its defaults and with a parameter changed, and
// refuses a parameter it does not have.
func TestNamedQueriesRun(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "k.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	qs, err := sqlfiles.Queries()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"top_usernames": true, "top_countries": true, "attempts_per_day": true,
		"new_addresses": true, "busiest_asns": true, "most_usernames": true}
	for _, q := range qs {
		delete(want, q.Name)
		if q.Description == "" {
			t.Errorf("%s has no description", q.Name)
		}
		if err := db.Print(context.Background(), io.Discard, q.SQL, "csv", q.Args(nil)...); err != nil {
			t.Errorf("%s: %v", q.Name, err)
		}
		set := map[string]string{}
		for _, k := range q.Order {
			set[k] = "3"
		}
		if err := db.Print(context.Background(), io.Discard, q.SQL, "csv", q.Args(set)...); err != nil {
			t.Errorf("%s with %v: %v", q.Name, set, err)
		}
		if u := q.Unknown(map[string]string{"nonsense": "1"}); len(u) != 1 {
			t.Errorf("%s accepts a parameter it does not declare", q.Name)
		}
	}
	for n := range want {
		t.Errorf("no named query %s", n)
	}
}

func TestMigrationsNumbered(t *testing.T) {
	ms, err := sqlfiles.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) < 2 || ms[0].Version != 1 || ms[1].Name != "0002_ip_geo.sql" {
		t.Errorf("migrations %v", ms)
	}
}

// TestBadValues: a value that is not a whole number, for a parameter whose
// default is one, is named plainly before the query runs.
func TestBadValues(t *testing.T) {
	q, err := sqlfiles.Query("top_usernames")
	if err != nil {
		t.Fatal(err)
	}
	if bad := q.BadValues(map[string]string{"limit": "abc"}); len(bad) != 1 || !strings.Contains(bad[0], "limit takes a whole number, like its default") {
		t.Errorf("BadValues = %q", bad)
	}
	if bad := q.BadValues(map[string]string{"limit": "5"}); len(bad) != 0 {
		t.Errorf("BadValues(5) = %q", bad)
	}
}

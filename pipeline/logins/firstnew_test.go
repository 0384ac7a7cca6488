//go:build duckdb_arrow

package logins

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFirstNewOfEachSource: FirstNew finds the first successful login
// loaded after the snapshot in a source that had fewer lines than another
// (the bound is the fewest), in a source that came after it, and none
// when only failed logins or nothing came.
func TestFirstNewOfEachSource(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, load := loginsDB(t, dir)
	failed := func(host string, i int) string {
		return fmt.Sprintf("Mar  3 10:%02d:%02d %s sshd[%d]: Failed password for root from 192.0.2.%d port %d ssh2\n", i/60%60, i%60, host, 100+i, i%50, 40000+i)
	}
	accepted := func(host, at string, i int) string {
		return fmt.Sprintf("Mar  %s %s sshd[%d]: Accepted password for pi from 198.51.100.%d port %d ssh2\n", at, host, 900+i, i, 41000+i)
	}
	write := func(name string, appendTo bool, lines ...string) string {
		return writeLines(t, filepath.Join(dir, name), appendTo, lines...)
	}
	var big []string
	for i := range 40 {
		big = append(big, failed("pi", i))
	}
	big[3] = accepted("pi", " 3 09:00:00", 1)
	a := write("a.log", false, big...)
	b := write("b.log", false, failed("vps", 1), failed("vps", 2), accepted("vps", " 3 09:30:00", 2))
	load(a, b)
	// want is the login's month, day and time (its year is inferred)
	check := func(what string, want string, wantFound bool, before Loaded) {
		t.Helper()
		at, found, err := before.FirstNew(ctx, db.DB)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if found {
			got = at.UTC().Format("01-02 15:04")
		}
		if found != wantFound || got != want {
			t.Errorf("%s: first new login %v (found %v), want %v (%v)", what, got, found, want, wantFound)
		}
	}
	snap := func() Loaded {
		t.Helper()
		s, err := Snapshot(ctx, db.DB)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := snap()
	check("nothing loaded", "", false, before)
	write("b.log", true, accepted("vps", " 4 08:00:00", 3), failed("vps", 4))
	write("a.log", true, failed("pi", 50))
	load(a, b)
	check("a login in the source with fewer lines", "03-04 08:00", true, before)
	before = snap()
	write("a.log", true, failed("pi", 51), failed("pi", 52))
	load(a, b)
	check("only failed logins", "", false, before)
	before = snap()
	c := write("c.log", false, failed("box", 7), accepted("box", " 5 07:00:00", 4))
	load(a, b, c)
	check("a login in a new source", "03-05 07:00", true, before)
}

// writeLines writes lines to path, after what it holds when appendTo, and
// returns path.
func writeLines(t *testing.T, path string, appendTo bool, lines ...string) string {
	t.Helper()
	flag := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if appendTo {
		flag = os.O_APPEND | os.O_WRONLY
	}
	f, err := os.OpenFile(path, flag, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(strings.Join(lines, "")); err != nil {
		t.Fatal(err)
	}
	return path
}

package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestUnfinishedDatabase: a database file whose making a kill interrupted
// (empty, or part of DuckDB's header) is made anew, not refused forever;
// any other file that is not a database is left alone, with an error.
func TestUnfinishedDatabase(t *testing.T) {
	header := make([]byte, 4096)
	copy(header[8:], "DUCK")
	for _, c := range []struct {
		name string
		body []byte
		ok   bool
	}{
		{"empty", nil, true},
		{"part of the header", header, true},
		{"someone's notes", []byte("not a database, keep me\n"), false},
	} {
		path := filepath.Join(t.TempDir(), "k.duckdb")
		os.WriteFile(path, c.body, 0o644)
		db, err := Open(context.Background(), path, Options{})
		if c.ok {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if v, err := db.SchemaVersion(context.Background()); err != nil || v == 0 {
				t.Errorf("%s: made anew, but schema version %d (%v)", c.name, v, err)
			}
			db.Close()
			continue
		}
		if err == nil {
			db.Close()
			t.Errorf("%s: opened as a database", c.name)
		}
		if b, _ := os.ReadFile(path); string(b) != string(c.body) {
			t.Errorf("%s: the file was changed", c.name)
		}
	}
}

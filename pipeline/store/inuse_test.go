//go:build duckdb_arrow

package store

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestInUseNamesTheHolder: DuckDB's lock message becomes one plain
// sentence naming the process that holds the database and its command.
func TestInUseNamesTheHolder(t *testing.T) {
	duck := fmt.Errorf(`IO Error: Could not set lock on file "/x.duckdb": Conflicting lock is held in /usr/bin/knockmap (PID %d). However, you would be able to open this database in read-only mode`, os.Getpid())
	err := explainOpenError(duck)
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("%v is not ErrInUse", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, fmt.Sprintf("it is in use by process %d (", os.Getpid())) || !strings.Contains(msg, os.Args[0]) {
		t.Errorf("message %q does not name this process and its command", msg)
	}
	if strings.Contains(msg, "read-only mode") || strings.Count(msg, "lock") > 0 {
		t.Errorf("message %q repeats DuckDB's words", msg)
	}
}

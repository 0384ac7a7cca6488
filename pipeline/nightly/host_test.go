//go:build duckdb_arrow

package nightly

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/config"
	"github.com/knockmap/knockmap/pipeline/store"
)

// TestSourceHost: a [[source]] with host = "pi-garage" stores that host on
// its lines; a source without one keeps the log's own, and the top-level
// host applies only where a source names none.
func TestSourceHost(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a", "auth.log")
	b := filepath.Join(dir, "b", "auth.log")
	for i, p := range []string{a, b} {
		os.MkdirAll(filepath.Dir(p), 0o755)
		line := "Jun 11 12:00:0" + string(rune('0'+i)) + " raspberrypi sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n"
		os.WriteFile(p, []byte(line), 0o644)
		old := time.Date(2024, 6, 12, 0, 0, 0, 0, time.UTC)
		os.Chtimes(p, old, old)
	}
	for _, c := range []struct {
		top  string
		want string
	}{
		{"", "pi-garage,raspberrypi"},
		{"vps", "pi-garage,vps"},
	} {
		cfg := config.Config{DB: filepath.Join(t.TempDir(), "k.duckdb"), Host: c.top,
			Sources: []config.Source{{Path: a, Host: "pi-garage"}, {Path: b}}}
		runOnce(t, cfg, time.Date(2024, 6, 12, 1, 0, 0, 0, time.UTC))
		var got string
		db, err := store.Open(context.Background(), cfg.DB, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`SELECT string_agg(host, ',' ORDER BY host) FROM failed_logins`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if got != c.want {
			t.Errorf("top-level host %q: hosts %q, want %q", c.top, got, c.want)
		}
	}
}

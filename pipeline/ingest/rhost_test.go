//go:build duckdb_arrow

package ingest

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestHostNameNeverAddress: a host name sshd logged instead of the address
// (UseDNS) is stored as rhost, never as ip, and the line takes its
// connection's address where another line of it names one.
func TestHostNameNeverAddress(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "auth.log")
	os.WriteFile(log, []byte(
		"Mar  1 10:00:00 pi sshd[7]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=evil.example.net  user=root\n"+
			"Mar  1 10:00:02 pi sshd[7]: Failed password for root from 192.0.2.7 port 4000 ssh2\n"+
			"Mar  1 10:05:00 pi sshd[8]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=8.8.8.8.example.org\n"), 0o644)
	mtime := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)
	os.Chtimes(log, mtime, mtime)
	db := openDB(t, filepath.Join(dir, "k.duckdb"))
	ingestPaths(t, db, log)
	rows, err := db.Query(`SELECT pid, coalesce(ip, '-'), coalesce(rhost, '-'), ip_from_connection FROM events WHERE kind = 'pam_failure' ORDER BY pid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var pid int
		var ip, rhost string
		var from bool
		rows.Scan(&pid, &ip, &rhost, &from)
		got = append(got, ip+" "+rhost+" "+map[bool]string{true: "from-connection", false: "own"}[from])
	}
	want := []string{"192.0.2.7 evil.example.net from-connection", "- 8.8.8.8.example.org own"}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %q, want %q", got, want)
	}
}

//go:build duckdb_arrow

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/knockmap/knockmap/internal/sharedtest"
	"github.com/knockmap/knockmap/pipeline/store"
	"github.com/knockmap/knockmap/sql"
)

// TestLoginsAsofMatchesJoins: the logins view of schema 16, which reads
// running sums with ASOF joins, gives every login the numbers of schema
// 15's view, which joined each login with each earlier failed attempt.
// Over gen-authlog's connection profile (200k lines, rotated), with every
// address given an ASN shared by its /16, so that the network and ASN
// sums both count.
func TestLoginsAsofMatchesJoins(t *testing.T) {
	dir := t.TempDir()
	auth := filepath.Join(dir, "auth.log")
	sharedtest.Generate(t, "--lines", "200000", "--connections", filepath.Join(dir, "c.csv"),
		"--logins", filepath.Join(dir, "l.csv"), "--rotate", "3", "--out", auth)
	// the cases gen-authlog leaves out: a login from a /24 that failed from
	// another address, a failure in the same microsecond as a login (at or
	// before counts it for the address, strictly before for the network),
	// and a login whose own connection failed first
	var j strings.Builder
	for _, l := range []struct {
		us  int64
		pid int
		msg string
	}{
		{0, 501, "Failed password for root from 192.0.2.10 port 4000 ssh2"},
		{1_000_000, 502, "Failed password for deploy from 192.0.2.10 port 4001 ssh2"},
		{2_000_000, 503, "Failed password for deploy from 192.0.2.30 port 4002 ssh2"},
		{2_000_000, 504, "Accepted password for deploy from 192.0.2.30 port 4003 ssh2"},
		{3_000_000, 505, "Failed password for deploy from 192.0.2.20 port 4004 ssh2"},
		{4_000_000, 505, "Accepted password for deploy from 192.0.2.20 port 4004 ssh2"},
	} {
		msg, _ := json.Marshal(l.msg)
		fmt.Fprintf(&j, `{"__REALTIME_TIMESTAMP":"%d","_HOSTNAME":"edge","SYSLOG_IDENTIFIER":"sshd","_PID":"%d","MESSAGE":%s}`+"\n", 1705314225000000+l.us, l.pid, msg)
	}
	crafted := filepath.Join(dir, "edge.json")
	if err := os.WriteFile(crafted, []byte(j.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "k.duckdb")
	execute(t, "ingest", "--db", db, auth+".2.gz", auth+".1", auth, crafted)

	ctx := context.Background()
	sdb, err := store.Open(ctx, db, store.Options{MemoryLimit: "2GB"}) // schema 15's joins need it
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	// an ASN for every address: the first two octets (or groups), so that
	// many addresses of different /24s share one
	if _, err := sdb.ExecContext(ctx, `UPDATE ip_geo SET asn = CAST(hash(regexp_extract(ip, '^[^.:]+[.:][^.:]+')) % 5000 + 1 AS UINTEGER)`); err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.ExecContext(ctx, oldLoginsView(t)); err != nil {
		t.Fatal(err)
	}
	const cols = `ts, host, username, method, ip, port, country, asn, connection, network, key_type, key_fingerprint,
		failed_before, failed_since, failed_in_connection, network_failed_before, network_failed_from,
		password_while_bruteforced, first_from_address, first_from_asn, first_from_country, new_hour, new_key,
		source_id, line, stands_out, alerts`
	var n, byNet, byASN, byUser, own, differ int64
	err = sdb.QueryRowContext(ctx, `SELECT count(*),
		count(*) FILTER (WHERE network_failed_from LIKE '%/%'),
		count(*) FILTER (WHERE network_failed_from LIKE 'AS%'),
		count(*) FILTER (WHERE password_while_bruteforced > 0),
		count(*) FILTER (WHERE failed_in_connection > 0)
		FROM logins`).Scan(&n, &byNet, &byASN, &byUser, &own)
	if err != nil {
		t.Fatal(err)
	}
	q := fmt.Sprintf(`SELECT count(*) FROM ((SELECT %[1]s FROM logins EXCEPT ALL SELECT %[1]s FROM logins_old)
		UNION ALL (SELECT %[1]s FROM logins_old EXCEPT ALL SELECT %[1]s FROM logins))`, cols)
	if err := sdb.QueryRowContext(ctx, q).Scan(&differ); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d logins: %d with a network's attempts, %d with an ASN's, %d with a bruteforced username's, %d with their own connection's", n, byNet, byASN, byUser, own)
	if differ != 0 {
		rows, _ := sdb.QueryContext(ctx, fmt.Sprintf(`(SELECT 'new' AS v, %[1]s FROM logins EXCEPT ALL SELECT 'new', %[1]s FROM logins_old)
			UNION ALL (SELECT 'old', %[1]s FROM logins_old EXCEPT ALL SELECT 'old', %[1]s FROM logins) ORDER BY ts, v LIMIT 10`, cols))
		if rows != nil {
			c, _ := rows.Columns()
			for rows.Next() {
				v := make([]any, len(c))
				p := make([]any, len(c))
				for i := range v {
					p[i] = &v[i]
				}
				rows.Scan(p...)
				t.Log(v...)
			}
			rows.Close()
		}
		t.Fatalf("%d rows differ between the two views", differ)
	}
	if n == 0 || byNet == 0 || byASN == 0 || byUser == 0 {
		t.Fatalf("the log exercises too little: %d logins, %d by network, %d by ASN, %d by username", n, byNet, byASN, byUser)
	}
}

// oldLoginsView is schema 15's logins view, as logins_old.
func oldLoginsView(t *testing.T) string {
	t.Helper()
	ms, err := sqlfiles.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Version == 15 {
			i := strings.Index(m.SQL, "CREATE OR REPLACE VIEW logins AS")
			if i < 0 {
				t.Fatal("schema 15 has no logins view")
			}
			return strings.Replace(m.SQL[i:], "VIEW logins AS", "TEMPORARY VIEW logins_old AS", 1)
		}
	}
	t.Fatal("no schema 15")
	return ""
}

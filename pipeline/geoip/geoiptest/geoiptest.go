// Package geoiptest writes MaxMind-format databases for tests: the
// fixtures that the geoip, enrich and report tests locate addresses with.
package geoiptest

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Built is the build date the fixture databases carry.
var Built = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// Write writes a database of type typ (GeoLite2-City, GeoLite2-ASN, …)
// holding recs, a record for each network in CIDR notation, as dir/name,
// and returns its path. ipVersion 4 makes an IPv4-only file, as DB-IP's
// flat ipv4 files are; 0 or 6 a file for both. Reserved networks may be
// given (documentation addresses are what tests use).
func Write(t testing.TB, dir, name, typ string, ipVersion int, recs map[string]mmdbtype.Map) string {
	t.Helper()
	if ipVersion == 0 {
		ipVersion = 6
	}
	w, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType:            typ,
		IPVersion:               ipVersion,
		RecordSize:              28,
		BuildEpoch:              Built.Unix(),
		IncludeReservedNetworks: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	for cidr, rec := range recs {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Insert(n, rec); err != nil {
			t.Fatalf("%s: %v", cidr, err)
		}
	}
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

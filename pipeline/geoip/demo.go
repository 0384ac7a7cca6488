package geoip

import (
	_ "embed"
	"fmt"

	"github.com/oschwald/maxminddb-golang/v2"
)

// The demo's excerpt: for each address of the demo's sample log
// (samplelog.Demo), its network in DB-IP Lite city (CC BY 4.0) and in
// ip-location-db's ASN table (RouteViews, NRO and DB-IP, CC BY 4.0);
// embedded/SOURCES records the packages, `go tool -modfile=tools/go.mod
// task assets` makes it anew. It locates nothing but the sample, so only
// knockmap demo asks it.
var (
	//go:embed embedded/demo-city.mmdb
	demoCity []byte
	//go:embed embedded/demo-asn.mmdb
	demoASN []byte
)

// demoASNLabel names the excerpt's ASN table by its sources, whose credit
// Credit gives.
const demoASNLabel = "RouteViews + NRO + DB-IP ASN (ip-location-db)"

// Demo opens the demo's excerpt, city then ASN, in memory. It is for the
// demo's sample only: any other address it leaves to the embedded country
// table, as if no database were configured.
func Demo() ([]*Database, error) {
	var dbs []*Database
	for _, f := range []struct {
		raw   []byte
		shape shape
		label string
	}{{demoCity, flatCity, ""}, {demoASN, flatASN, demoASNLabel}} {
		m, err := maxminddb.OpenBytes(f.raw)
		if err != nil {
			return nil, fmt.Errorf("the demo's GeoIP excerpt: %w", err)
		}
		d, err := fromReader("(demo excerpt)", m)
		if err != nil {
			return nil, fmt.Errorf("the demo's GeoIP excerpt: %w", err)
		}
		if d.shape != f.shape {
			m.Close()
			return nil, fmt.Errorf("the demo's GeoIP excerpt has type %q", d.Type)
		}
		d.demo, d.label = true, f.label
		dbs = append(dbs, d)
	}
	return dbs, nil
}

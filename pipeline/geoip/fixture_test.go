package geoip

import (
	"testing"

	"github.com/maxmind/mmdbwriter/mmdbtype"

	"github.com/knockmap/knockmap/pipeline/geoip/geoiptest"
)

// built is the build date the fixture databases carry.
var built = geoiptest.Built

// writeDB writes a fixture database (geoiptest.Write).
var writeDB = geoiptest.Write

func names(en string) mmdbtype.Map {
	return mmdbtype.Map{"en": mmdbtype.String(en)}
}

// cityRecord is a record in the GeoIP2-City schema.
func cityRecord(cc, country, region, city string, lat, lon float64, radius uint16) mmdbtype.Map {
	m := mmdbtype.Map{
		"country": mmdbtype.Map{"iso_code": mmdbtype.String(cc), "names": names(country)},
		"location": mmdbtype.Map{
			"latitude":        mmdbtype.Float64(lat),
			"longitude":       mmdbtype.Float64(lon),
			"accuracy_radius": mmdbtype.Uint16(radius),
		},
	}
	if city != "" {
		m["city"] = mmdbtype.Map{"names": names(city)}
	}
	if region != "" {
		m["subdivisions"] = mmdbtype.Slice{mmdbtype.Map{"names": names(region)}}
	}
	return m
}

// flatRecord is a record in DB-IP Lite's flat schema (ip-location-db).
func flatRecord(cc, state, city string, lat, lon float64) mmdbtype.Map {
	return mmdbtype.Map{
		"country_code": mmdbtype.String(cc),
		"state1":       mmdbtype.String(state),
		"state2":       mmdbtype.String(""),
		"city":         mmdbtype.String(city),
		"postcode":     mmdbtype.String(""),
		"latitude":     mmdbtype.Float64(lat),
		"longitude":    mmdbtype.Float64(lon),
		"timezone":     mmdbtype.String(""),
	}
}

func asnRecord(n uint32, org string) mmdbtype.Map {
	return mmdbtype.Map{
		"autonomous_system_number":       mmdbtype.Uint32(n),
		"autonomous_system_organization": mmdbtype.String(org),
	}
}

// fixtures writes a GeoIP2-City, a flat DB-IP city ipv4 and a GeoLite2-ASN
// database into dir.
type fixtures struct {
	city, flat4, flat6, asn string
}

func writeFixtures(t testing.TB, dir string) fixtures {
	return fixtures{
		city: writeDB(t, dir, "GeoLite2-City.mmdb", "GeoLite2-City", 6, map[string]mmdbtype.Map{
			"81.2.69.0/24":   cityRecord("GB", "United Kingdom", "England", "London", 51.5142, -0.0931, 10),
			"2a02:c7c::/32":  cityRecord("GB", "United Kingdom", "England", "Leeds", 53.8, -1.55, 100),
			"8.8.8.0/24":     cityRecord("US", "United States", "", "", 37.751, -97.822, 1000),
			"216.160.0.0/16": cityRecord("US", "United States", "Washington", "Milton", 47.2513, -122.3149, 22),
		}),
		flat4: writeDB(t, dir, "dbip-city-ipv4.mmdb", "city ipv4", 4, map[string]mmdbtype.Map{
			"1.0.0.0/24":      flatRecord("AU", "Queensland", "South Brisbane", -27.4767, 153.017),
			"81.2.69.0/24":    flatRecord("FR", "Ile-de-France", "Paris", 48.85, 2.35), // disagrees: the first database asked wins
			"175.45.176.0/22": flatRecord("KP", "Pyongyang", "Pyongyang", 39.03, 125.75),
		}),
		flat6: writeDB(t, dir, "dbip-city-ipv6.mmdb", "city ipv6", 6, map[string]mmdbtype.Map{
			"2001:db9::/32": flatRecord("DE", "Berlin", "Berlin", 52.52, 13.40),
		}),
		asn: writeDB(t, dir, "GeoLite2-ASN.mmdb", "GeoLite2-ASN", 6, map[string]mmdbtype.Map{
			"8.8.8.0/24":    asnRecord(15169, "Google LLC"),
			"1.0.0.0/24":    asnRecord(13335, "Cloudflare, Inc."),
			"2a02:c7c::/32": asnRecord(5089, "Virgin Media Limited"),
		}),
	}
}

// Package geoip locates addresses with MaxMind-format databases (GeoLite2
// and GeoIP2 City, Country and ASN; DB-IP Lite in both its GeoIP2-shaped
// and its flat form) and falls back to an embedded country table when no
// database answers. It knows nothing of where the addresses come from.
package geoip

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"strings"
	"time"

	"github.com/oschwald/geoip2-golang/v2"
	"github.com/oschwald/maxminddb-golang/v2"
)

// Role is what a database can answer.
type Role uint8

const (
	// Location: country, and for city databases region, city and coordinates.
	Location Role = 1 << iota
	// ASN: autonomous system number and organisation.
	ASN
)

// shape is how a database's records are laid out.
type shape uint8

const (
	geoIP2City  shape = iota + 1 // GeoIP2/GeoLite2 City or Country, DB-IP's GeoIP2-compatible files
	geoIP2ASN                    // GeoLite2-ASN, DBIP-ASN-Lite (compat=GeoLite2-ASN)
	flatCity                     // ip-location-db "city ipv4": country_code, state1, city, latitude, longitude
	flatCountry                  // ip-location-db "country ipv4": country_code
	flatASN                      // ip-location-db "asn ipv4": autonomous_system_number, autonomous_system_organization
)

// Database is one opened .mmdb file.
type Database struct {
	Path  string
	Type  string    // the database_type in its metadata
	Built time.Time // its build date
	Roles Role
	// City says whether the database has cities and coordinates, not only
	// countries.
	City  bool
	shape shape
	g     *geoip2.Reader
	m     *maxminddb.Reader
	v4    bool // holds IPv4 addresses only
	// embedded: the zero-setup database inside the binary
	embedded bool
	// demo: the demo's excerpt (Demo); label, when set, names it for Label
	demo  bool
	label string
}

// ErrUnknownType is returned for a MaxMind-format file whose type knockmap
// cannot read (an anonymous-IP or connection-type database, say).
var ErrUnknownType = errors.New("not a city, country or ASN database")

// Open opens a database and recognises its type from its metadata, never
// from its name.
func Open(path string) (*Database, error) {
	m, err := maxminddb.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: not a readable MaxMind-format database: %w", path, err)
	}
	d, err := fromReader(path, m)
	if err != nil {
		return nil, err
	}
	if d.shape == geoIP2City || d.shape == geoIP2ASN {
		// geoip2 reads these; it opens the file itself
		m.Close()
		d.m = nil
		d.g, err = geoip2.Open(path)
		var unknown geoip2.UnknownDatabaseTypeError
		if errors.As(err, &unknown) {
			err = ErrUnknownType
		}
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", path, d.Type, err)
		}
	}
	return d, nil
}

// fromReader recognises the type of an opened database; it closes m when
// the type is not one knockmap reads.
func fromReader(path string, m *maxminddb.Reader) (*Database, error) {
	d := &Database{
		Path:  path,
		Type:  m.Metadata.DatabaseType,
		Built: time.Unix(int64(m.Metadata.BuildEpoch), 0).UTC(),
		v4:    m.Metadata.IPVersion == 4,
		m:     m,
	}
	t := strings.ToLower(d.Type)
	switch {
	case strings.HasPrefix(t, "city ipv"):
		d.shape, d.Roles, d.City = flatCity, Location, true
	case strings.HasPrefix(t, "country ipv"):
		d.shape, d.Roles = flatCountry, Location
	case strings.HasPrefix(t, "asn ipv"):
		d.shape, d.Roles = flatASN, ASN
	case strings.Contains(t, "asn") || strings.Contains(t, "isp"):
		d.shape, d.Roles = geoIP2ASN, ASN
	case strings.Contains(t, "city") || strings.Contains(t, "country") ||
		strings.Contains(t, "location") || strings.Contains(t, "enterprise"):
		d.shape, d.Roles = geoIP2City, Location
		d.City = !strings.Contains(t, "country")
	default:
		m.Close()
		return nil, fmt.Errorf("%s (%s): %w", path, d.Type, ErrUnknownType)
	}
	return d, nil
}

// Close releases the database's file.
func (d *Database) Close() error {
	if d.g != nil {
		return d.g.Close()
	}
	if d.m != nil {
		return d.m.Close()
	}
	return nil
}

// Name is the database's name as the answers record it: its type and
// build date.
func (d *Database) Name() string {
	if d.embedded {
		return fmt.Sprintf("%s, embedded, %s", d.Label(), d.Built.Format(time.DateOnly))
	}
	if d.demo {
		return fmt.Sprintf("%s, demo excerpt, %s", d.Label(), d.Built.Format(time.DateOnly))
	}
	return fmt.Sprintf("%s %s", d.Label(), d.Built.Format(time.DateOnly))
}

// Label names the database for people: "DB-IP Lite city", "GeoLite2-City".
func (d *Database) Label() string {
	if d.label != "" {
		return d.label
	}
	switch d.shape {
	case flatCity:
		return "DB-IP Lite city (ip-location-db)"
	case flatCountry:
		return "DB-IP Lite country (ip-location-db)"
	case flatASN:
		return "ASN (ip-location-db)"
	}
	return d.Type
}

// flat records as github.com/sapics/ip-location-db writes them.
type flatCityRecord struct {
	CountryCode string  `maxminddb:"country_code"`
	State1      string  `maxminddb:"state1"`
	City        string  `maxminddb:"city"`
	Latitude    float64 `maxminddb:"latitude"`
	Longitude   float64 `maxminddb:"longitude"`
}

type flatASNRecord struct {
	Number       uint32 `maxminddb:"autonomous_system_number"`
	Organization string `maxminddb:"autonomous_system_organization"`
}

// locate fills a's location fields and says whether the database covers
// addr.
func (d *Database) locate(addr netip.Addr, a *Answer) (bool, error) {
	if d.v4 && !addr.Is4() {
		return false, nil
	}
	switch d.shape {
	case geoIP2City:
		c, err := d.g.City(addr)
		if err != nil || c.Country.ISOCode == "" && c.RegisteredCountry.ISOCode == "" {
			return false, err
		}
		a.CountryCode, a.Country = c.Country.ISOCode, c.Country.Names.English
		if a.CountryCode == "" { // an anycast or satellite block: where it is registered
			a.CountryCode, a.Country = c.RegisteredCountry.ISOCode, c.RegisteredCountry.Names.English
		}
		if len(c.Subdivisions) > 0 {
			a.Region = c.Subdivisions[0].Names.English
		}
		a.City = c.City.Names.English
		if c.Location.Latitude != nil && c.Location.Longitude != nil {
			a.Lat, a.Lon, a.HasCoords = *c.Location.Latitude, *c.Location.Longitude, true
		}
		a.AccuracyKm = c.Location.AccuracyRadius
		return true, nil
	case flatCity, flatCountry:
		var r flatCityRecord
		res := d.m.Lookup(addr)
		if err := res.Decode(&r); err != nil || !res.Found() || r.CountryCode == "" {
			return false, err
		}
		a.CountryCode, a.Region, a.City = r.CountryCode, r.State1, r.City
		if d.shape == flatCity && (r.Latitude != 0 || r.Longitude != 0) {
			a.Lat, a.Lon, a.HasCoords = r.Latitude, r.Longitude, true
		}
		return true, nil
	}
	return false, nil
}

// asn fills a's ASN fields and says whether the database covers addr.
func (d *Database) asn(addr netip.Addr, a *Answer) (bool, error) {
	if d.v4 && !addr.Is4() {
		return false, nil
	}
	switch d.shape {
	case geoIP2ASN:
		r, err := d.g.ASN(addr)
		if err != nil || r.AutonomousSystemNumber == 0 {
			return false, err
		}
		a.ASN, a.ASOrg = uint32(r.AutonomousSystemNumber), r.AutonomousSystemOrganization
		return true, nil
	case flatASN:
		var r flatASNRecord
		res := d.m.Lookup(addr)
		if err := res.Decode(&r); err != nil || !res.Found() || r.Number == 0 {
			return false, err
		}
		a.ASN, a.ASOrg = r.Number, r.Organization
		return true, nil
	}
	return false, nil
}

// Credit is the attribution the data's licence asks for wherever results
// from it are shown.
func Credit(source string) string {
	s := strings.ToLower(source)
	switch {
	case strings.Contains(s, "routeviews"):
		return "ASN data by RouteViews (https://www.routeviews.org), NRO (https://www.nro.net) and DB-IP (https://db-ip.com), CC BY 4.0"
	case strings.Contains(s, "dbip") || strings.Contains(s, "db-ip") || strings.Contains(s, "ip-location-db"):
		return "IP geolocation by DB-IP (https://db-ip.com), CC BY 4.0"
	case strings.Contains(s, "geolite") || strings.Contains(s, "geoip2"):
		return "This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com"
	case strings.Contains(s, "ip2location"):
		return "This site or product includes IP2Location LITE data available from https://lite.ip2location.com, CC BY-SA 4.0"
	}
	return source
}

package geoip

import (
	"cmp"
	"net/netip"
	"slices"
	"time"

	"github.com/phuslu/iploc"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Scope says what kind of address a source is. Only public addresses are
// looked up.
type Scope uint8

const (
	Public        Scope = iota + 1
	Private             // RFC 1918, RFC 4193 unique local, shared address space (CGNAT)
	Loopback            // 127/8, ::1
	LinkLocal           // 169.254/16, fe80::/10
	Documentation       // 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32
	Reserved            // unspecified, multicast, 240/4 and other special-purpose blocks
	Hostname            // sshd logged a name (UseDNS), not an address
)

var scopeNames = [...]string{"", "public", "private", "loopback", "link-local", "documentation", "reserved", "hostname"}

func (s Scope) String() string {
	if int(s) < len(scopeNames) {
		return scopeNames[s]
	}
	return "unknown"
}

var (
	documentation = []netip.Prefix{
		netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("198.51.100.0/24"),
		netip.MustParsePrefix("203.0.113.0/24"),
		netip.MustParsePrefix("2001:db8::/32"),
		netip.MustParsePrefix("3fff::/20"), // RFC 9637
	}
	private = []netip.Prefix{
		netip.MustParsePrefix("100.64.0.0/10"), // shared address space, RFC 6598
	}
	reserved = []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),
		netip.MustParsePrefix("192.0.0.0/24"),
		netip.MustParsePrefix("198.18.0.0/15"), // benchmarking
		netip.MustParsePrefix("240.0.0.0/4"),
		netip.MustParsePrefix("100::/64"), // discard
	}
)

// ScopeOf classifies an address as sshd logged it.
func ScopeOf(s string) (netip.Addr, Scope) {
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, Hostname
	}
	addr = addr.Unmap().WithZone("")
	in := func(ps []netip.Prefix) bool {
		return slices.ContainsFunc(ps, func(p netip.Prefix) bool { return p.Contains(addr) })
	}
	switch {
	case addr.IsLoopback():
		return addr, Loopback
	case addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast():
		return addr, LinkLocal
	case in(documentation):
		return addr, Documentation
	case addr.IsPrivate() || in(private):
		return addr, Private
	case addr.IsUnspecified() || addr.IsMulticast() || in(reserved) || addr == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return addr, Reserved
	}
	return addr, Public
}

// Answer is what is known of one address.
type Answer struct {
	Scope       Scope
	CountryCode string // ISO 3166-1 alpha-2
	Country     string // English name
	Region      string // first-level subdivision
	City        string
	Lat, Lon    float64
	HasCoords   bool
	AccuracyKm  uint16 // 0: the database gives none
	ASN         uint32 // 0: unknown
	ASOrg       string
	Source      string // the database that located it, with its build date
	SourceBuilt time.Time
	Fallback    bool // located by a table embedded in knockmap, not a configured database
	ASNSource   string
	ASNBuilt    time.Time
}

// IPLoc names the last country table asked, embedded in
// github.com/phuslu/iploc.
var IPLoc = "IP2Location LITE country (github.com/phuslu/iploc " + iploc.Version + ")"

// Locator answers lookups from an ordered list of databases: each address
// goes to the first database that covers it, for its location and for its
// ASN separately. When none gives a location, the embedded country tables
// are asked: DB-IP Lite country, then IP2Location LITE.
type Locator struct {
	location []*Database
	asn      []*Database
	fallback *Database // the embedded DB-IP Lite country; nil if it failed to open
	names    display.Namer
}

// NewLocator uses dbs in the order given, except that databases with
// cities come before those with only countries.
func NewLocator(dbs []*Database) *Locator {
	l := &Locator{names: display.English.Regions()}
	l.fallback, _ = Embedded() // iploc still answers if it cannot open
	for _, d := range dbs {
		if d.Roles&Location != 0 {
			l.location = append(l.location, d)
		}
		if d.Roles&ASN != 0 {
			l.asn = append(l.asn, d)
		}
	}
	slices.SortStableFunc(l.location, func(a, b *Database) int {
		return cmp.Compare(b2i(!a.City), b2i(!b.City))
	})
	return l
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Databases lists the databases in the order they are asked.
func (l *Locator) Databases() []*Database {
	out := slices.Clone(l.location)
	for _, d := range l.asn {
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// HasCities says whether any database gives cities and coordinates.
func (l *Locator) HasCities() bool {
	return slices.ContainsFunc(l.location, func(d *Database) bool { return d.City })
}

// Lookup answers for the address s as sshd logged it. A database that
// fails on one address is passed over for it.
func (l *Locator) Lookup(s string, a *Answer) {
	*a = Answer{}
	addr, scope := ScopeOf(s)
	a.Scope = scope
	if scope != Public {
		return
	}
	for _, d := range l.location {
		if ok, _ := d.locate(addr, a); ok {
			a.Source, a.SourceBuilt = d.Name(), d.Built
			break
		}
	}
	if a.CountryCode == "" && l.fallback != nil {
		if ok, _ := l.fallback.locate(addr, a); ok {
			a.Source, a.SourceBuilt, a.Fallback = l.fallback.Name(), l.fallback.Built, true
		}
	}
	if a.CountryCode == "" {
		if cc := iploc.IPCountry(addr); cc != "" && cc != "ZZ" {
			a.CountryCode, a.Source, a.Fallback = cc, IPLoc, true
		}
	}
	if a.CountryCode != "" && a.Country == "" {
		if r, err := language.ParseRegion(a.CountryCode); err == nil {
			a.Country = l.names.Name(r)
		}
	}
	for _, d := range l.asn {
		if ok, _ := d.asn(addr, a); ok {
			a.ASNSource, a.ASNBuilt = d.Name(), d.Built
			break
		}
	}
}

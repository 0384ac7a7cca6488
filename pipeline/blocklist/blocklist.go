// Package blocklist makes advisory block lists of the addresses that
// failed to log in, for a firewall or a reputation service to take:
// knockmap itself never bans anything.
//
// An address is never listed when it is not a public unicast address
// (private, shared, loopback, link-local, documentation, reserved,
// multicast, or IPv6 outside 2000::/3), when it is one of the owner's own
// (an accepted login and no failure ever), or when an allowed address or
// network covers it. A network (--aggregate /24: a.b.c.0/24 for IPv4,
// /48 for IPv6) that holds any address never listed, or overlaps an
// allowed network, is not listed whole: its addresses that qualify are
// listed one by one instead. With --aggregate asn, each address of an AS
// whose listable addresses made at least the minimum of attempts between
// them is listed (an address of no known AS stands alone). Every address is printed as netip formats
// it, never as the log wrote it.
package blocklist

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/knockmap/knockmap/pipeline/geoip"
	sqlfiles "github.com/knockmap/knockmap/sql"
)

// Aggregations.
const (
	ByAddress = "ip"
	ByNetwork = "/24"
	ByASN     = "asn"
)

// Source is one address that failed to log in.
type Source struct {
	Addr        netip.Addr
	Attempts    int64
	First, Last time.Time
	ASN         uint32 // 0: unknown
}

// Entry is one line of a block list: an address (a /32 or /128) or a
// network, with the attempts of the addresses in it.
type Entry struct {
	Prefix      netip.Prefix
	Attempts    int64
	Addresses   int
	First, Last time.Time
}

// Options choose what is listed.
type Options struct {
	MinAttempts int64          // of an entry (an address, a network, an ASN); at least 1
	Aggregate   string         // ByAddress (default), ByNetwork or ByASN
	Allow       []netip.Prefix // never listed, nor any network overlapping one
	Owner       []netip.Addr   // the owner's own addresses: never listed
}

var notGlobal = []netip.Prefix{
	netip.MustParsePrefix("192.88.99.0/24"), // 6to4 relay anycast, deprecated
	netip.MustParsePrefix("64:ff9b::/96"),   // NAT64
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2001:2::/48"),  // benchmarking
	netip.MustParsePrefix("2001:10::/28"), // ORCHID
	netip.MustParsePrefix("2001:20::/28"), // ORCHIDv2
	netip.MustParsePrefix("5f00::/16"),    // SRv6 SIDs
}

var global6 = netip.MustParsePrefix("2000::/3")

// Listable says whether an address may be on a block list at all: a
// public unicast address (geoip.ScopeOf's public), and for IPv6 one in
// 2000::/3.
func Listable(a netip.Addr) bool {
	a = a.Unmap()
	if _, s := geoip.ScopeOf(a.String()); s != geoip.Public || !a.IsGlobalUnicast() || a.Zone() != "" {
		return false
	}
	if a.Is6() && !global6.Contains(a) {
		return false
	}
	return !slices.ContainsFunc(notGlobal, func(p netip.Prefix) bool { return p.Contains(a) })
}

// Select makes the entries of a block list from the sources, sorted IPv4
// first, then by address.
func Select(srcs []Source, opt Options) ([]Entry, error) {
	owner := map[netip.Addr]bool{}
	for _, a := range opt.Owner {
		owner[a.Unmap()] = true
	}
	excluded := func(a netip.Addr) bool {
		return !Listable(a) || owner[a] || slices.ContainsFunc(opt.Allow, func(p netip.Prefix) bool { return p.Contains(a) })
	}
	min := max(opt.MinAttempts, 1)
	one := func(s Source) Entry {
		return Entry{Prefix: netip.PrefixFrom(s.Addr, s.Addr.BitLen()), Attempts: s.Attempts, Addresses: 1, First: s.First, Last: s.Last}
	}
	var out []Entry
	singles := func(group []Source) {
		for _, s := range group {
			if !excluded(s.Addr) && s.Attempts >= min {
				out = append(out, one(s))
			}
		}
	}
	sum := func(e *Entry, s Source) {
		e.Attempts += s.Attempts
		e.Addresses++
		if e.First.IsZero() || s.First.Before(e.First) {
			e.First = s.First
		}
		if s.Last.After(e.Last) {
			e.Last = s.Last
		}
	}
	clean := make([]Source, 0, len(srcs))
	for _, s := range srcs {
		s.Addr = s.Addr.Unmap()
		if s.Addr.IsValid() {
			clean = append(clean, s)
		}
	}
	switch opt.Aggregate {
	case "", ByAddress:
		singles(clean)
	case ByNetwork:
		nets := map[netip.Prefix][]Source{}
		for _, s := range clean {
			bits := 24
			if s.Addr.Is6() {
				bits = 48
			}
			p, _ := s.Addr.Prefix(bits)
			nets[p] = append(nets[p], s)
		}
		for p, group := range nets {
			whole := !slices.ContainsFunc(group, func(s Source) bool { return excluded(s.Addr) }) &&
				!slices.ContainsFunc(opt.Allow, p.Overlaps) &&
				!slices.ContainsFunc(opt.Owner, func(a netip.Addr) bool { return p.Contains(a.Unmap()) }) &&
				Listable(p.Addr()) && Listable(lastOf(p))
			if !whole {
				singles(group)
				continue
			}
			e := Entry{Prefix: p}
			for _, s := range group {
				sum(&e, s)
			}
			if e.Attempts >= min {
				out = append(out, e)
			}
		}
	case ByASN:
		asns := map[uint32][]Source{}
		for _, s := range clean {
			if s.ASN == 0 {
				singles([]Source{s})
				continue
			}
			asns[s.ASN] = append(asns[s.ASN], s)
		}
		for _, group := range asns {
			// only the addresses that may be listed count
			group = slices.DeleteFunc(group, func(s Source) bool { return excluded(s.Addr) })
			var e Entry
			for _, s := range group {
				sum(&e, s)
			}
			if e.Attempts < min {
				continue
			}
			for _, s := range group {
				out = append(out, one(s))
			}
		}
	default:
		return nil, fmt.Errorf("--aggregate %q: want ip, /24 or asn", opt.Aggregate)
	}
	slices.SortFunc(out, func(a, b Entry) int {
		if c := cmp.Compare(b2i(a.Prefix.Addr().Is6()), b2i(b.Prefix.Addr().Is6())); c != 0 {
			return c
		}
		if c := a.Prefix.Addr().Compare(b.Prefix.Addr()); c != 0 {
			return c
		}
		return cmp.Compare(a.Prefix.Bits(), b.Prefix.Bits())
	})
	return slices.CompactFunc(out, func(a, b Entry) bool { return a.Prefix == b.Prefix }), nil
}

// lastOf is the last address of p.
func lastOf(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 1 << (7 - i%8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Load reads from db the addresses that failed to log in since since,
// and the owner's own addresses. Text in the address column that is not
// an address (a host name sshd logged) is skipped.
func Load(ctx context.Context, db *sql.DB, since time.Time) (srcs []Source, owner []netip.Addr, err error) {
	rs, err := db.QueryContext(ctx, sqlfiles.Statement("blocklist/addresses"), sql.Named("since", since))
	if err != nil {
		return nil, nil, fmt.Errorf("blocklist: reading addresses: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var ip string
		var s Source
		var asn int64
		if err := rs.Scan(&ip, &s.Attempts, &s.First, &s.Last, &asn); err != nil {
			return nil, nil, fmt.Errorf("blocklist: reading addresses: %w", err)
		}
		a, err := netip.ParseAddr(ip)
		if err != nil {
			continue
		}
		s.Addr, s.ASN = a, uint32(asn)
		srcs = append(srcs, s)
	}
	if err := rs.Err(); err != nil {
		return nil, nil, fmt.Errorf("blocklist: reading addresses: %w", err)
	}
	ro, err := db.QueryContext(ctx, sqlfiles.Statement("blocklist/owner"))
	if err != nil {
		return nil, nil, fmt.Errorf("blocklist: reading the owner's addresses: %w", err)
	}
	defer ro.Close()
	for ro.Next() {
		var ip string
		if err := ro.Scan(&ip); err != nil {
			return nil, nil, fmt.Errorf("blocklist: reading the owner's addresses: %w", err)
		}
		if a, err := netip.ParseAddr(ip); err == nil {
			owner = append(owner, a.Unmap())
		}
	}
	if err := ro.Err(); err != nil {
		return nil, nil, fmt.Errorf("blocklist: reading the owner's addresses: %w", err)
	}
	return srcs, owner, nil
}

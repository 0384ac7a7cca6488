package blocklist

import (
	"net/netip"
	"slices"
	"testing"
	"time"
)

func src(ip string, attempts int64, asn uint32) Source {
	t := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	return Source{Addr: netip.MustParseAddr(ip), Attempts: attempts, First: t, Last: t.Add(time.Hour), ASN: asn}
}

func texts(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, text(e))
	}
	return out
}

// never are addresses no block list may hold, whatever they tried.
var never = []string{
	"10.1.2.3", "172.16.0.9", "192.168.1.1", "100.64.0.1", // private, shared
	"127.0.0.1", "::1", // loopback
	"169.254.1.1", "fe80::1", // link-local
	"192.0.2.5", "198.51.100.7", "203.0.113.9", "2001:db8::1", "3fff::2", // documentation
	"0.0.0.0", "0.1.2.3", "240.0.0.1", "255.255.255.255", "224.0.0.1", "198.18.0.5", "192.0.0.8", // reserved, multicast
	"::", "ff02::1", "fc00::1", "fd12::3", "64:ff9b::102:304", "2001:2::1", "100::1", "::ffff:0:0", "4000::1", // IPv6 not global
	"192.88.99.1",
}

// TestSelect: what is listed, and what never is.
func TestSelect(t *testing.T) {
	var bad []Source
	for _, ip := range never {
		bad = append(bad, src(ip, 1000, 64500))
	}
	pub := []Source{
		src("1.2.3.4", 50, 64500), src("1.2.3.9", 30, 64504), src("8.8.4.4", 3, 64501),
		src("9.9.9.9", 200, 0), src("2a01:4f8:1:2::5", 40, 64502), src("2a01:4f8:1:7::6", 40, 64502),
		src("::ffff:5.6.7.8", 60, 64501), src("77.1.1.1", 80, 64503), src("77.1.1.2", 80, 64503),
	}
	all := append(append([]Source(nil), bad...), pub...)
	pfx := func(s ...string) []netip.Prefix {
		var out []netip.Prefix
		for _, x := range s {
			out = append(out, netip.MustParsePrefix(x))
		}
		return out
	}
	for _, tc := range []struct {
		name string
		opt  Options
		want []string
	}{
		{"addresses", Options{}, []string{"1.2.3.4", "1.2.3.9", "5.6.7.8", "8.8.4.4", "9.9.9.9", "77.1.1.1", "77.1.1.2", "2a01:4f8:1:2::5", "2a01:4f8:1:7::6"}},
		{"min attempts", Options{MinAttempts: 50}, []string{"1.2.3.4", "5.6.7.8", "9.9.9.9", "77.1.1.1", "77.1.1.2"}},
		{"owner", Options{Owner: []netip.Addr{netip.MustParseAddr("9.9.9.9"), netip.MustParseAddr("::ffff:77.1.1.1")}, MinAttempts: 50},
			[]string{"1.2.3.4", "5.6.7.8", "77.1.1.2"}},
		{"allowed address and network", Options{Allow: pfx("1.2.3.4/32", "2a01:4f8::/32"), MinAttempts: 10}, []string{"1.2.3.9", "5.6.7.8", "9.9.9.9", "77.1.1.1", "77.1.1.2"}},
		{"networks", Options{Aggregate: ByNetwork, MinAttempts: 70}, []string{"1.2.3.0/24", "9.9.9.0/24", "77.1.1.0/24", "2a01:4f8:1::/48"}},
		// 1.2.3.4 is the owner's: its /24 is not listed, 1.2.3.9 alone is
		{"network holding the owner's", Options{Aggregate: ByNetwork, MinAttempts: 20, Owner: []netip.Addr{netip.MustParseAddr("1.2.3.4")}},
			[]string{"1.2.3.9", "5.6.7.0/24", "9.9.9.0/24", "77.1.1.0/24", "2a01:4f8:1::/48"}},
		// an allowed network inside a /24 keeps the /24 off the list
		{"network overlapping an allowed one", Options{Aggregate: ByNetwork, MinAttempts: 20, Allow: pfx("77.1.1.128/25")},
			[]string{"1.2.3.0/24", "5.6.7.0/24", "9.9.9.0/24", "77.1.1.1", "77.1.1.2", "2a01:4f8:1::/48"}},
		// 64500: 1.2.3.4 (50; its never-listed addresses do not count); 64504: 30;
		// 64501: 8.8.4.4 (3) and 5.6.7.8 (60); 64502: 80; 0: 9.9.9.9 alone
		{"asn", Options{Aggregate: ByASN, MinAttempts: 61}, []string{"5.6.7.8", "8.8.4.4", "9.9.9.9", "77.1.1.1", "77.1.1.2", "2a01:4f8:1:2::5", "2a01:4f8:1:7::6"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Select(all, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if g := texts(got); !slices.Equal(g, tc.want) {
				t.Errorf("got  %v\nwant %v", g, tc.want)
			}
		})
	}
	// nothing never-listable passes, alone or in a network
	for _, agg := range []string{ByAddress, ByNetwork, ByASN} {
		got, err := Select(bad, Options{Aggregate: agg})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) > 0 {
			t.Errorf("%s: listed %v", agg, texts(got))
		}
	}
	if _, err := Select(all, Options{Aggregate: "/16"}); err == nil {
		t.Error("--aggregate /16 accepted")
	}
}

// TestListable: each address never listed, one by one, with its reason
// in its place in never.
func TestListable(t *testing.T) {
	for _, ip := range never {
		if Listable(netip.MustParseAddr(ip)) {
			t.Errorf("%s is listable", ip)
		}
	}
	for _, ip := range []string{"1.1.1.1", "8.8.8.8", "2a00:1450::1", "2600::1", "::ffff:1.2.3.4"} {
		if !Listable(netip.MustParseAddr(ip)) {
			t.Errorf("%s is not listable", ip)
		}
	}
}

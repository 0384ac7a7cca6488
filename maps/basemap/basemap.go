// Package basemap holds the shapes knockmap draws its maps on: the
// countries of the world and the US states and territories, embedded
// (Natural Earth and Census boundaries through the npm packages world-atlas
// and us-atlas, see data/SOURCES) or read from the user's original
// shapefiles; and the countries' flags.
package basemap

import (
	"bytes"
	"embed"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/text/language"

	"github.com/knockmap/knockmap/maps/geom"
	"github.com/knockmap/knockmap/maps/shapefile"
	"github.com/knockmap/knockmap/maps/topojson"
)

//go:embed data/countries-50m.json data/states-10m.json data/flags/*.png
var data embed.FS

// Area is one country, state or territory.
type Area struct {
	Code  string // ISO 3166-1 alpha-2 for countries; USPS code for states ("AK", "PR")
	Name  string
	Shape geom.MultiPolygon
}

// World returns the countries: from the Natural Earth shapefile (or
// GeoJSON file) at shp when it is not empty, else the embedded ones.
func World(shp string) ([]Area, error) {
	feats, err := features(shp, "data/countries-50m.json", "countries")
	if err != nil {
		return nil, fmt.Errorf("world basemap: %w", err)
	}
	out := make([]Area, 0, len(feats))
	for _, f := range feats {
		if len(f.Polygons) == 0 {
			continue
		}
		out = append(out, Area{Code: countryCode(f.Props), Name: firstOf(f.Props, "name", "NAME", "ADMIN", "NAME_LONG", "name_long"), Shape: f.Polygons})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("world basemap %s: no country shapes", shp)
	}
	return out, nil
}

// countryCode finds a feature's alpha-2 code: Natural Earth's ISO_A2 (which
// is -99 for France and Norway, so then WB_A2 or ADM0_A3), or world-atlas's
// numeric id.
func countryCode(p map[string]string) string {
	for _, k := range []string{"ISO_A2", "iso_a2", "ISO_A2_EH", "WB_A2", "ADM0_A3", "iso_a3", "ISO_A3", "id", "iso_n3", "ISO_N3"} {
		v := strings.TrimSpace(p[k])
		if v == "" || strings.HasPrefix(v, "-") {
			continue
		}
		if r, err := language.ParseRegion(v); err == nil && r.IsCountry() {
			return r.String()
		}
	}
	switch firstOf(p, "name", "NAME", "ADMIN") {
	case "Kosovo":
		return "XK"
	}
	return ""
}

func firstOf(p map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(p[k]); v != "" {
			return v
		}
	}
	return ""
}

// States returns the US states, DC and the territories: from the Census
// cartographic boundary shapefile at shp when it is not empty, else the
// embedded ones.
func States(shp string) ([]Area, error) {
	feats, err := features(shp, "data/states-10m.json", "states")
	if err != nil {
		return nil, fmt.Errorf("states basemap: %w", err)
	}
	var out []Area
	for _, f := range feats {
		fips := firstOf(f.Props, "STATEFP", "id")
		code := firstOf(f.Props, "STUSPS")
		if code == "" {
			code = usps[fips]
		}
		if code == "" || len(f.Polygons) == 0 {
			continue
		}
		out = append(out, Area{Code: code, Name: firstOf(f.Props, "NAME", "name"), Shape: f.Polygons})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("states basemap %s: no state shapes", shp)
	}
	return out, nil
}

// features reads the user's file at shp, or else the embedded TopoJSON
// file's object.
func features(shp, embedded, object string) ([]geom.Feature, error) {
	if shp != "" {
		return readFile(shp)
	}
	b, err := data.ReadFile(embedded)
	if err != nil {
		return nil, err
	}
	return topojson.Decode(b, object)
}

// readFile reads a shapefile, or a GeoJSON or TopoJSON file by its name.
func readFile(path string) ([]geom.Feature, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".json" && ext != ".geojson" && ext != ".topojson" {
		return shapefile.Open(path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if bytes.Contains(b[:min(len(b), 200)], []byte(`"Topology"`)) {
		return topojson.Decode(b, "")
	}
	return topojson.DecodeGeoJSON(b)
}

// usps maps the Census FIPS state codes to postal codes.
var usps = map[string]string{
	"01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT", "10": "DE",
	"11": "DC", "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL", "18": "IN", "19": "IA",
	"20": "KS", "21": "KY", "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN",
	"28": "MS", "29": "MO", "30": "MT", "31": "NE", "32": "NV", "33": "NH", "34": "NJ", "35": "NM",
	"36": "NY", "37": "NC", "38": "ND", "39": "OH", "40": "OK", "41": "OR", "42": "PA", "44": "RI",
	"45": "SC", "46": "SD", "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA",
	"54": "WV", "55": "WI", "56": "WY", "60": "AS", "66": "GU", "69": "MP", "72": "PR", "78": "VI",
}

// Territories are the US territories that GeoIP databases give a country
// code of their own: the code is both the ISO country and the postal code.
var Territories = map[string]bool{"PR": true, "GU": true, "VI": true, "AS": true, "MP": true}

// Conterminous says whether a state belongs on the map of the 48 states
// and DC... DC is drawn there too, and gets its own map as well.
func Conterminous(code string) bool {
	switch code {
	case "AK", "HI", "PR", "GU", "VI", "AS", "MP":
		return false
	}
	return true
}

var (
	flagMu sync.Mutex
	flags  = map[string]image.Image{}
)

// Flag returns the flag of a country by its alpha-2 code, or nil.
func Flag(code string) image.Image {
	code = strings.ToLower(code)
	if len(code) != 2 {
		return nil
	}
	flagMu.Lock()
	defer flagMu.Unlock()
	if img, ok := flags[code]; ok {
		return img
	}
	var img image.Image
	if b, err := data.ReadFile(filepath.ToSlash(filepath.Join("data/flags", code+".png"))); err == nil {
		img, _ = png.Decode(bytes.NewReader(b))
	}
	flags[code] = img
	return img
}

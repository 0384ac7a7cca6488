package basemap

import (
	"strings"

	"github.com/knockmap/knockmap/maps/geom"
)

// spots are places for the countries and territories GeoIP databases name
// that the embedded world atlas (Natural Earth 1:50m) has no polygon of:
// their capital or main island, longitude and latitude in degrees.
var spots = map[string]geom.Point{
	"BQ": {X: -68.27, Y: 12.15},  // Caribbean Netherlands: Kralendijk, Bonaire
	"BV": {X: 3.36, Y: -54.42},   // Bouvet Island
	"CC": {X: 96.83, Y: -12.19},  // Cocos (Keeling) Islands: West Island
	"CX": {X: 105.68, Y: -10.42}, // Christmas Island: Flying Fish Cove
	"GF": {X: -52.33, Y: 4.94},   // French Guiana: Cayenne
	"GI": {X: -5.35, Y: 36.14},   // Gibraltar
	"GP": {X: -61.53, Y: 16.24},  // Guadeloupe: Pointe-à-Pitre
	"MQ": {X: -61.07, Y: 14.6},   // Martinique: Fort-de-France
	"RE": {X: 55.45, Y: -20.88},  // Réunion: Saint-Denis
	"SJ": {X: 15.63, Y: 78.22},   // Svalbard and Jan Mayen: Longyearbyen
	"TK": {X: -171.85, Y: -9.2},  // Tokelau: Fakaofo
	"TV": {X: 179.2, Y: -8.52},   // Tuvalu: Funafuti
	"UM": {X: 166.62, Y: 19.29},  // U.S. Minor Outlying Islands: Wake Island
	"YT": {X: 45.23, Y: -12.78},  // Mayotte: Mamoudzou
}

// Spot is where to mark a country or territory that has no polygon in the
// embedded world atlas, by its alpha-2 code.
func Spot(code string) (geom.Point, bool) {
	p, ok := spots[strings.ToUpper(code)]
	return p, ok
}

package basemap

import "testing"

// TestSpots: a spot is given exactly for a country the embedded atlas has
// no polygon of, and lies on the globe; Hong Kong and Singapore have
// polygons, so they are marked where their polygons are.
func TestSpots(t *testing.T) {
	world, err := World("")
	if err != nil {
		t.Fatal(err)
	}
	w := codes(world)
	for code, p := range spots {
		if _, ok := w[code]; ok {
			t.Errorf("%s has a polygon in the atlas and a spot", code)
		}
		if !(p.X >= -180 && p.X <= 180 && p.Y >= -90 && p.Y <= 90) {
			t.Errorf("%s: spot %v is off the globe", code, p)
		}
	}
	for _, tt := range []struct {
		code string
		spot bool
	}{{"GI", true}, {"re", true}, {"HK", false}, {"SG", false}, {"FR", false}, {"", false}} {
		if _, ok := Spot(tt.code); ok != tt.spot {
			t.Errorf("Spot(%q): %v, want %v", tt.code, ok, tt.spot)
		}
		if _, ok := w[tt.code]; tt.code == "HK" || tt.code == "SG" {
			if !ok {
				t.Errorf("%s has no polygon in the atlas", tt.code)
			}
		}
	}
}

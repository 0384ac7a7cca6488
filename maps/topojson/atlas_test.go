package topojson

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/knockmap/knockmap/maps/geom"
)

// The npm packages world-atlas@2.0.2 and us-atlas@3.0.1 are not in the
// repository; KNOCKMAP_MAPS_TESTDATA names a folder holding their files,
// flat or in world-atlas/ and us-atlas/ (npm pack, then untar each there).
//
// Expected values were checked against topojson-client 3.1.0's feature(),
// which gives the same points bit for bit, except that it pads rings of
// fewer than 4 points (degenerate slivers) by repeating the first.
const testdataEnv = "KNOCKMAP_MAPS_TESTDATA"

// atlasFile reads name from KNOCKMAP_MAPS_TESTDATA, or skips the test.
func atlasFile(tb testing.TB, name string) []byte {
	tb.Helper()
	dir := os.Getenv(testdataEnv)
	if dir == "" {
		tb.Skipf("%s not set", testdataEnv)
	}
	for _, sub := range []string{"", "world-atlas", "us-atlas"} {
		b, err := os.ReadFile(filepath.Join(dir, sub, name))
		if err == nil {
			return b
		}
		if !errors.Is(err, fs.ErrNotExist) {
			tb.Fatal(err)
		}
	}
	tb.Skipf("%s not in %s (or its world-atlas/, us-atlas/)", name, dir)
	return nil
}

// naturalEarthGeoJSON is the shared Natural Earth file beside the project.
const naturalEarthGeoJSON = "../../../shared/maps/naturalearth/ne_110m_admin_0_countries.json"

type counts struct{ features, polygons, rings, points int }

func count(feats []geom.Feature) counts {
	c := counts{features: len(feats)}
	for _, f := range feats {
		c.polygons += len(f.Polygons)
		for _, p := range f.Polygons {
			c.rings += len(p)
			for _, r := range p {
				c.points += len(r)
			}
		}
	}
	return c
}

func byProp(feats []geom.Feature, key, value string) *geom.Feature {
	for i := range feats {
		if feats[i].Props[key] == value {
			return &feats[i]
		}
	}
	return nil
}

// checkShapes says every ring is closed and every point lies within box.
func checkShapes(t *testing.T, feats []geom.Feature, box geom.Bounds) {
	t.Helper()
	for _, f := range feats {
		for _, p := range f.Polygons {
			for _, r := range p {
				if len(r) == 0 || r[0] != r[len(r)-1] {
					t.Fatalf("feature %v: ring of %d points not closed", f.Props, len(r))
				}
				for _, pt := range r {
					if pt.X < box.Min.X || pt.X > box.Max.X || pt.Y < box.Min.Y || pt.Y > box.Max.Y || math.IsNaN(pt.X) {
						t.Fatalf("feature %v: point %v outside %v", f.Props, pt, box)
					}
				}
			}
		}
	}
}

var lonLat = geom.Bounds{Min: geom.Point{X: -180, Y: -90}, Max: geom.Point{X: 180, Y: 90}}

func TestWorldAtlas(t *testing.T) {
	tests := []struct {
		file string
		want counts
	}{
		{"countries-110m.json", counts{177, 285, 286, 10587}},
		{"countries-50m.json", counts{241, 1616, 1629, 99539}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			feats, err := Decode(atlasFile(t, tt.file), "countries")
			if err != nil {
				t.Fatal(err)
			}
			if got := count(feats); got != tt.want {
				t.Errorf("counts %+v, want %+v", got, tt.want)
			}
			checkShapes(t, feats, lonLat)
			fr := byProp(feats, "id", "250")
			if fr == nil || fr.Props["name"] != "France" {
				t.Fatalf("no France (id 250): %v", fr)
			}
			if tt.file == "countries-110m.json" {
				if len(fr.Polygons) != 3 {
					t.Errorf("France has %d polygons, want 3", len(fr.Polygons))
				}
				want := ring(-51.658716587165856, 4.155807753115468, -52.24912249122491, 3.241826107316186, -52.555125551255514, 2.503870556263422)
				if got := fr.Polygons[0][0][:3]; !sameRing(got, want) {
					t.Errorf("French Guiana starts %v, want %v", got, want)
				}
				fiji := byProp(feats, "name", "Fiji")
				want = ring(-180, -16.0668824394954, -179.79479794797948, -16.02118335720543, -179.9171991719917, -16.50187000055172, -180, -16.556031875858352)
				if got := fiji.Polygons[1][0][:4]; !sameRing(got, want) {
					t.Errorf("Fiji's second polygon starts %v, want %v", got, want)
				}
			}
			// features without an id in the file have none in Props
			if k := byProp(feats, "name", "Kosovo"); k == nil || k.Props["id"] != "" {
				t.Errorf("Kosovo: %v", k)
			}
		})
	}
}

func sameRing(a, b geom.Ring) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestUSAtlas(t *testing.T) {
	t.Run("states-10m.json", func(t *testing.T) {
		feats, err := Decode(atlasFile(t, "states-10m.json"), "states")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := count(feats), (counts{56, 305, 305, 14455}); got != want {
			t.Errorf("counts %+v, want %+v", got, want)
		}
		checkShapes(t, feats, lonLat)
		ak := byProp(feats, "id", "02")
		if ak == nil || ak.Props["name"] != "Alaska" || len(ak.Polygons) != 137 {
			t.Fatalf("Alaska: %v", ak)
		}
		want := ring(-150.24275547485473, 61.13748221911219, -150.2212197108971, 61.170126487354864, -150.15661241902419, 61.16067683075829)
		if got := ak.Polygons[0][0][:3]; !sameRing(got, want) {
			t.Errorf("Alaska starts %v, want %v", got, want)
		}
		// across the antimeridian: the Near Islands lie east of 172°E
		if b := ak.Polygons.Bounds(); b.Min.X > -179 || b.Max.X < 179 {
			t.Errorf("Alaska spans %v", b)
		}
	})
	t.Run("states-albers-10m.json", func(t *testing.T) {
		feats, err := Decode(atlasFile(t, "states-albers-10m.json"), "states")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := count(feats), (counts{51, 198, 198, 9347}); got != want {
			t.Errorf("counts %+v, want %+v", got, want)
		}
		// the topology's bbox, in pixels of a 975 × 610 picture
		checkShapes(t, feats, geom.Bounds{Min: geom.Point{X: -57.66491068874468, Y: 12.97635452036684}, Max: geom.Point{X: 957.5235629133763, Y: 606.5694262668667}})
		ak := byProp(feats, "id", "02")
		want := ring(104.16790221629849, 551.6021581504596, 104.64504557032502, 550.278432363207, 105.09173296558392, 550.4624480556054)
		if ak == nil || len(ak.Polygons) != 56 || !sameRing(ak.Polygons[0][0][:3], want) {
			t.Errorf("Alaska: %v", ak)
		}
	})
}

func TestNaturalEarthGeoJSON(t *testing.T) {
	b, err := os.ReadFile(naturalEarthGeoJSON)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not here", naturalEarthGeoJSON)
	}
	if err != nil {
		t.Fatal(err)
	}
	feats, err := DecodeGeoJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(feats) != 177 {
		t.Errorf("%d features, want 177", len(feats))
	}
	checkShapes(t, feats, lonLat)
	fr := byProp(feats, "ADM0_A3", "FRA")
	if fr == nil {
		t.Fatal("no France (ADM0_A3 FRA)")
	}
	if fr.Props["NAME"] != "France" || fr.Props["ISO_A2"] != "-99" || len(fr.Polygons) != 3 {
		t.Errorf("France: NAME %q, ISO_A2 %q, %d polygons", fr.Props["NAME"], fr.Props["ISO_A2"], len(fr.Polygons))
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"countries-50m.json", "states-10m.json"} {
		b.Run(name, func(b *testing.B) {
			data := atlasFile(b, name)
			object := "countries"
			if name == "states-10m.json" {
				object = "states"
			}
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Decode(data, object); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

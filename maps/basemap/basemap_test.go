package basemap

import (
	"os"
	"path/filepath"
	"testing"
)

func codes(as []Area) map[string]Area {
	m := map[string]Area{}
	for _, a := range as {
		m[a.Code] = a
	}
	return m
}

func TestEmbedded(t *testing.T) {
	world, err := World("")
	if err != nil {
		t.Fatal(err)
	}
	w := codes(world)
	for _, c := range []string{"US", "CN", "FR", "NO", "RU", "BR", "AU", "XK", "FJ"} {
		if len(w[c].Shape) == 0 {
			t.Errorf("embedded world: no shape for %s", c)
		}
	}
	if len(world) < 230 {
		t.Errorf("embedded world has %d countries", len(world))
	}
	states, err := States("")
	if err != nil {
		t.Fatal(err)
	}
	s := codes(states)
	if len(s) != 56 || s["AK"].Name != "Alaska" || s["PR"].Name != "Puerto Rico" || s["DC"].Name != "District of Columbia" {
		t.Errorf("embedded states: %d, AK %q, PR %q", len(s), s["AK"].Name, s["PR"].Name)
	}
	if b := s["CO"].Shape.Bounds(); b.Min.X < -109.2 || b.Max.X > -101.9 || b.Min.Y < 36.8 || b.Max.Y > 41.2 {
		t.Errorf("Colorado's bounds %+v", b)
	}
	for _, c := range []string{"us", "cn", "de"} {
		if img := Flag(c); img == nil || img.Bounds().Dx() != 100 {
			t.Errorf("flag %s: %v", c, img)
		}
	}
	if Flag("zz") != nil || Flag("../../etc/passwd") != nil {
		t.Error("a flag for a code that is none")
	}
}

func shared(t *testing.T, rel string) string {
	p := filepath.Join("..", "..", "..", "shared", "maps", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is absent", p)
	}
	return p
}

// TestOriginals reads the user-supplied basemaps: Census cartographic
// boundary shapefiles and Natural Earth countries.
func TestOriginals(t *testing.T) {
	for file, n := range map[string]int{"census/cb_2018_us_state_20m": 52, "census/cb_2018_us_state_5m": 56} {
		states, err := States(shared(t, file) + ".shp")
		if err != nil {
			t.Fatal(err)
		}
		s := codes(states)
		if len(s) != n || len(s["AK"].Shape) < 2 || len(s["HI"].Shape) < 5 || s["PR"].Name != "Puerto Rico" {
			t.Errorf("%s: %d states; AK %d polygons, HI %d", file, len(s), len(s["AK"].Shape), len(s["HI"].Shape))
		}
	}
	world, err := World(shared(t, "naturalearth/ne_110m_admin_0_countries.json"))
	if err != nil {
		t.Fatal(err)
	}
	w := codes(world)
	// ISO_A2 is -99 for France and Norway: their codes come from the other fields
	for _, c := range []string{"FR", "NO", "US", "CN", "AU"} {
		if len(w[c].Shape) == 0 {
			t.Errorf("Natural Earth: no shape for %s", c)
		}
	}
	if len(world) != 177 {
		t.Errorf("Natural Earth: %d countries, want 177", len(world))
	}
}

func TestBadBasemap(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.shp")
	os.WriteFile(bad, []byte("not a shapefile at all, not even close to one"), 0o644)
	if _, err := World(bad); err == nil {
		t.Error("a broken shapefile was accepted")
	}
	if _, err := States(filepath.Join(dir, "missing.shp")); err == nil {
		t.Error("a missing shapefile was accepted")
	}
	js := filepath.Join(dir, "x.json")
	os.WriteFile(js, []byte(`{"type":"FeatureCollection","features":[]}`), 0o644)
	if _, err := World(js); err == nil {
		t.Error("a world with no countries was accepted")
	}
}

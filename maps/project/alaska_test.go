package project_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/knockmap/knockmap/maps/geom"
	"github.com/knockmap/knockmap/maps/project"
	"github.com/knockmap/knockmap/maps/topojson"
)

// usStates reads us-atlas@3.0.1's states-10m.json from the folder named by
// KNOCKMAP_MAPS_TESTDATA (flat or in us-atlas/), or skips the test.
func usStates(t *testing.T) []geom.Feature {
	t.Helper()
	dir := os.Getenv("KNOCKMAP_MAPS_TESTDATA")
	if dir == "" {
		t.Skip("KNOCKMAP_MAPS_TESTDATA not set")
	}
	for _, sub := range []string{"", "us-atlas"} {
		b, err := os.ReadFile(filepath.Join(dir, sub, "states-10m.json"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		feats, err := topojson.Decode(b, "states")
		if err != nil {
			t.Fatal(err)
		}
		return feats
	}
	t.Skipf("states-10m.json not in %s", dir)
	return nil
}

// Alaska as us-atlas draws it: the Near Islands east of 172°E must land
// west of the mainland, and the whole state must stay compact.
func TestForBoundsRealAlaska(t *testing.T) {
	var ak geom.MultiPolygon
	for _, f := range usStates(t) {
		if f.Props["id"] == "02" {
			ak = f.Polygons
		}
	}
	if ak == nil {
		t.Fatal("no Alaska (id 02)")
	}
	b := project.UnwrappedBounds(ak)
	if b.Min.X < -188 || b.Min.X > -187 || b.Max.X < -130.1 || b.Max.X > -129.9 {
		t.Errorf("UnwrappedBounds(Alaska) = %+v, want about -187.5 to -130", b)
	}
	mainland := 0
	for i, p := range ak {
		if len(p[0]) > len(ak[mainland][0]) {
			mainland = i
		}
	}
	for name, p := range map[string]project.Projection{"unwrapped": project.ForBounds(b), "plain": project.ForBounds(ak.Bounds())} {
		main := project.Extent(p, []geom.MultiPolygon{{ak[mainland]}})
		all := project.Extent(p, []geom.MultiPolygon{ak})
		for _, poly := range ak {
			for _, pt := range poly[0] {
				if x, _ := p.Project(pt.X, pt.Y); pt.X > 0 && x >= main.Min.X {
					t.Errorf("%s: %v projects east of the mainland's west end", name, pt)
				}
			}
		}
		if all.Width() > 2*main.Width() || all.Height() > 2*main.Height() {
			t.Errorf("%s: Alaska %v × %v, mainland %v × %v", name, all.Width(), all.Height(), main.Width(), main.Height())
		}
		t.Logf("%s: Alaska %.3f × %.3f, mainland %.3f × %.3f", name, all.Width(), all.Height(), main.Width(), main.Height())
	}
}

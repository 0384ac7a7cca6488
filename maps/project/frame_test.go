package project

import (
	"fmt"
	"math"
	"testing"

	"github.com/knockmap/knockmap/maps/geom"
)

func pixelBounds(rs []geom.Ring) geom.Bounds {
	b := geom.Empty()
	for _, r := range rs {
		for _, p := range r {
			b = b.Extend(p)
		}
	}
	return b
}

// TestFit: the shapes fill the box along one side, centred, with their
// aspect ratio kept and y flipped.
func TestFit(t *testing.T) {
	us := []geom.MultiPolygon{{square(-124.7, 24.5, -67, 49.4)}}
	for _, box := range []geom.Bounds{
		{Min: geom.Point{X: 16, Y: 72}, Max: geom.Point{X: 944, Y: 512}},
		{Min: geom.Point{X: 0, Y: 0}, Max: geom.Point{X: 600, Y: 960}},
		{Min: geom.Point{X: 10, Y: 10}, Max: geom.Point{X: 90, Y: 90}},
	} {
		t.Run(fmt.Sprint(box), func(t *testing.T) {
			p := USAlbers()
			f := Fit(p, us, box)
			got := pixelBounds(f.Rings(us[0]))
			const eps = 1e-6
			if got.Min.X < box.Min.X-eps || got.Min.Y < box.Min.Y-eps || got.Max.X > box.Max.X+eps || got.Max.Y > box.Max.Y+eps {
				t.Errorf("shapes at %+v, outside the box %+v", got, box)
			}
			if !near(got.Width(), box.Width(), eps) && !near(got.Height(), box.Height(), eps) {
				t.Errorf("neither side fills: %v × %v in %v × %v", got.Width(), got.Height(), box.Width(), box.Height())
			}
			if !near(got.Min.X+got.Max.X, box.Min.X+box.Max.X, eps) || !near(got.Min.Y+got.Max.Y, box.Min.Y+box.Max.Y, eps) {
				t.Errorf("not centred: %+v in %+v", got, box)
			}
			ext := Extent(p, us)
			if r := got.Width() / got.Height(); !near(r, ext.Width()/ext.Height(), 1e-9) {
				t.Errorf("aspect %v, want %v", r, ext.Width()/ext.Height())
			}
			if north, south := f.At(-96, 49), f.At(-96, 25); north.Y >= south.Y {
				t.Errorf("y not flipped: north at %v, south at %v", north.Y, south.Y)
			}
		})
	}
}

func TestFitDegenerate(t *testing.T) {
	box := geom.Bounds{Min: geom.Point{X: 10, Y: 10}, Max: geom.Point{X: 90, Y: 70}}
	id := identity{}
	line := func(pts ...geom.Point) []geom.MultiPolygon { return []geom.MultiPolygon{{{pts}}} }
	tests := []struct {
		name   string
		shapes []geom.MultiPolygon
		want   Transform
	}{
		{"none", nil, Transform{Scale: 1, X0: 50, Y0: 40}},
		{"point", line(geom.Point{X: 2, Y: 3}), Transform{Scale: 1, X0: 48, Y0: 43}},
		{"vertical line", line(geom.Point{X: 0, Y: 0}, geom.Point{X: 0, Y: 6}), Transform{Scale: 10, X0: 50, Y0: 70}},
		{"horizontal line", line(geom.Point{X: 0, Y: 0}, geom.Point{X: 8, Y: 0}), Transform{Scale: 10, X0: 10, Y0: 40}},
	}
	for _, tt := range tests {
		if got := Fit(id, tt.shapes, box).Transform; got != tt.want {
			t.Errorf("%s: Fit = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

type identity struct{}

func (identity) Project(lon, lat float64) (float64, float64) { return lon, lat }

// TestWorldFrame: the globe fills the box along one side, centred, and
// longitudes beyond ±180 are not wrapped.
func TestWorldFrame(t *testing.T) {
	box := geom.Bounds{Min: geom.Point{X: 16, Y: 72}, Max: geom.Point{X: 944, Y: 512}}
	f := WorldFrame(box)
	got := pixelBounds([]geom.Ring{f.Outline()})
	if !near(got.Min.Y, box.Min.Y, 1e-6) || !near(got.Max.Y, box.Max.Y, 1e-6) {
		t.Errorf("outline spans y %v..%v, want the box's %v..%v (the box is wider than the globe)", got.Min.Y, got.Max.Y, box.Min.Y, box.Max.Y)
	}
	if got.Min.X < box.Min.X || got.Max.X > box.Max.X || !near(got.Min.X+got.Max.X, box.Min.X+box.Max.X, 1e-6) {
		t.Errorf("outline spans x %v..%v, not centred in %v..%v", got.Min.X, got.Max.X, box.Min.X, box.Max.X)
	}
	if c := f.At(0, 0); !near(c.X, 480, 1e-6) || !near(c.Y, 292, 1e-6) {
		t.Errorf("0°, 0° at %v, want the box's centre", c)
	}
	// unwrapped: 190°E lies beyond the right edge, where 170°W would wrap
	if e, w := f.At(190, 0), f.At(-170, 0); e.X <= box.Max.X || w.X >= box.Max.X {
		t.Errorf("190°E at x %v, 170°W at %v: the world frame wraps", e.X, w.X)
	}
	if Fit(USAlbers(), nil, box).Outline() != nil {
		t.Error("a frame that is not a world frame has an outline")
	}
}

// TestWorldRings: a ring crossing the 180th meridian is drawn once on
// each side, each piece continuous; a ring around a pole and one in the
// middle of the map are drawn once, as they are.
func TestWorldRings(t *testing.T) {
	box := geom.Bounds{Min: geom.Point{X: 0, Y: 0}, Max: geom.Point{X: 1000, Y: 500}}
	f := WorldFrame(box)
	fiji := geom.Ring{{X: 177, Y: -17}, {X: -179, Y: -17}, {X: -179, Y: -18}, {X: 177, Y: -18}}
	pole := geom.Ring{{X: -180, Y: -85}, {X: -90, Y: -80}, {X: 0, Y: -80}, {X: 90, Y: -80}, {X: 180, Y: -85}, {X: 180, Y: -90}, {X: -180, Y: -90}}
	tests := []struct {
		name   string
		ring   geom.Ring
		pieces int
	}{
		{"Fiji", fiji, 2},
		{"Antarctica", pole, 1},
		{"Kansas", geom.Ring{{X: -102, Y: 37}, {X: -94.6, Y: 37}, {X: -94.6, Y: 40}, {X: -102, Y: 40}}, 1},
	}
	for _, tt := range tests {
		rs := f.Rings(geom.MultiPolygon{{tt.ring}})
		if len(rs) != tt.pieces {
			t.Errorf("%s: %d rings, want %d", tt.name, len(rs), tt.pieces)
			continue
		}
		if tt.pieces == 1 {
			continue
		}
		// each piece is narrow (no edge-to-edge streak) and the two are
		// the globe's width at that latitude apart
		for _, r := range rs {
			if w := pixelBounds([]geom.Ring{r}).Width(); w > 20 {
				t.Errorf("%s: a piece %v pixels wide", tt.name, w)
			}
		}
		want := f.At(180, -17).X - f.At(-180, -17).X
		if d := math.Abs(rs[0][0].X - rs[1][0].X); !near(d, want, 1e-6) {
			t.Errorf("%s: the pieces are %v pixels apart, want the globe's width %v", tt.name, d, want)
		}
	}
	// outside a world frame the same ring is projected as it is
	if rs := Fit(identity{}, nil, box).Rings(geom.MultiPolygon{{fiji}}); len(rs) != 1 {
		t.Errorf("a plain frame split Fiji into %d rings", len(rs))
	}
}

// TestRegionFrame: Alaska fits its box with the Aleutians west of the
// mainland.
func TestRegionFrame(t *testing.T) {
	box := geom.Bounds{Min: geom.Point{X: 16, Y: 72}, Max: geom.Point{X: 704, Y: 512}}
	f := RegionFrame(alaska, box)
	got := pixelBounds(f.Rings(alaska))
	if got.Min.X < box.Min.X-1e-6 || got.Max.X > box.Max.X+1e-6 || got.Min.Y < box.Min.Y-1e-6 || got.Max.Y > box.Max.Y+1e-6 {
		t.Errorf("Alaska at %+v, outside %+v", got, box)
	}
	checkAlaska(t, f.Proj, alaska)
}

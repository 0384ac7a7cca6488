package project

import (
	"math"
	"testing"

	"github.com/knockmap/knockmap/maps/geom"
)

type invertible interface {
	Projection
	Invert(x, y float64) (lon, lat float64)
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// Reference values from d3-geo 3.1.1's geoEqualEarthRaw (an independent
// implementation of the published formulas), for the unit sphere.
func TestEqualEarthReference(t *testing.T) {
	tests := []struct{ lon, lat, x, y float64 }{
		{0, 0, 0, 0},
		{180, 0, 2.7066299836960748, 0},
		{0, 90, 0, 1.3173627591574133},
		{-180, -90, -1.6035886482840516, -1.3173627591574133},
		{10, 45, 0.12887272212255374, 0.86023108552201022},
		{-75.5, -33.25, -1.0454263205134047, -0.65332185206069582},
		{139.7, 35.7, 1.9094661078039663, 0.69803475587196506},
		{-120, 60, -1.3593733917143729, 1.0883008355053194},
	}
	for _, tt := range tests {
		x, y := EqualEarth{}.Project(tt.lon, tt.lat)
		if !near(x, tt.x, 1e-12) || !near(y, tt.y, 1e-12) {
			t.Errorf("Project(%v, %v) = %.15f, %.15f, want %.15f, %.15f", tt.lon, tt.lat, x, y, tt.x, tt.y)
		}
	}
}

// The paper's figures: the equator is 2.05 times as long as the central
// meridian, and the poles are lines 0.59 times as long as the equator.
func TestEqualEarthShape(t *testing.T) {
	e := EqualEarth{}
	xe, _ := e.Project(180, 0)
	xp, yp := e.Project(180, 90)
	if r := xe / yp; !near(r, 2.05, 0.005) {
		t.Errorf("equator / central meridian = %.4f, want 2.05", r)
	}
	if r := xp / xe; !near(r, 0.59, 0.005) {
		t.Errorf("pole line / equator = %.4f, want 0.59", r)
	}
	// a sphere of radius 1 keeps its area, 4π
	if a := equatorPoleArea(e); !near(a, 4*math.Pi, 1e-6) {
		t.Errorf("map area %.8f, want 4π = %.8f", a, 4*math.Pi)
	}
	// the central meridian moves the map, nothing else
	x, y := EqualEarth{Lon0: 150}.Project(-170, 20)
	wx, wy := e.Project(40, 20)
	if !near(x, wx, 1e-12) || !near(y, wy, 1e-12) {
		t.Errorf("Lon0 150: %v, %v, want %v, %v", x, y, wx, wy)
	}
}

// equatorPoleArea integrates the outline of the map by the shoelace formula.
func equatorPoleArea(p Projection) float64 {
	var ring []geom.Point
	for lat := -90.0; lat <= 90; lat += 0.01 {
		x, y := p.Project(180, lat)
		ring = append(ring, geom.Point{X: x, Y: y})
	}
	for lat := 90.0; lat >= -90; lat -= 0.01 {
		x, y := p.Project(-180, lat)
		ring = append(ring, geom.Point{X: x, Y: y})
	}
	return math.Abs(shoelace(ring))
}

func shoelace(r []geom.Point) float64 {
	var a float64
	for i := range r {
		j := (i + 1) % len(r)
		a += r[i].X*r[j].Y - r[j].X*r[i].Y
	}
	return a / 2
}

func TestAlbersSnyderExample(t *testing.T) {
	// Snyder 1987, p. 291: sphere, R = 1
	x, y := USAlbers().Project(-75, 35)
	if !near(x, 0.2952720, 5e-8) || !near(y, 0.2416774, 5e-8) {
		t.Errorf("USAlbers(-75, 35) = %.7f, %.7f, want 0.2952720, 0.2416774", x, y)
	}
	lon, lat := USAlbers().Invert(0.2952720, 0.2416774)
	if !near(lon, -75, 1e-5) || !near(lat, 35, 1e-5) {
		t.Errorf("Invert = %.7f, %.7f, want -75, 35", lon, lat)
	}
}

// Reference values from d3-geo 3.1.1's geoConicEqualAreaRaw, its y moved so
// that the origin latitude is 0.
func TestAlbersReference(t *testing.T) {
	tests := []struct{ lat1, lat2, lat0, lon0, lon, lat, x, y float64 }{
		{29.5, 45.5, 23, -96, -75, 35, 0.29527200699223533, 0.24167744921848078},
		{29.5, 45.5, 23, -96, -96, 23, 0, 0},
		{29.5, 45.5, 23, -96, -122.4, 37.8, -0.35591678190109693, 0.30800259898963844},
		{29.5, 45.5, 23, -96, -80.2, 25.8, 0.24954392832727035, 0.068969441935944120},
		{29.5, 45.5, 23, -96, -69, 47, 0.31854979277237866, 0.46521708346668000},
		{55, 65, 60, -154, -150, 61, 0.033698922910611787, 0.018534847103971686},
		{55, 65, 60, -154, -168, 54, -0.14276495100898673, -0.089813440977274839},
		{55, 65, 60, -154, -141, 69.5, 0.080093419930965373, 0.17343470267530114},
		{-20, -40, -30, 135, 151.2, -33.9, 0.23078735779599327, -0.085173393658427132},
		{-20, -40, -30, 135, 115.9, -32, -0.27725505620301760, -0.058248439178360423},
		{10, 10, 0, 0, 5, 5, 0.087258097030747689, 0.087172074068458727},
		{10, 10, 0, 0, -20, -30, -0.38275325631397655, -0.46184880521395755},
	}
	for _, tt := range tests {
		x, y := Albers(tt.lat1, tt.lat2, tt.lat0, tt.lon0).Project(tt.lon, tt.lat)
		if !near(x, tt.x, 1e-12) || !near(y, tt.y, 1e-12) {
			t.Errorf("Albers(%v, %v, %v, %v).Project(%v, %v) = %.15f, %.15f, want %.15f, %.15f",
				tt.lat1, tt.lat2, tt.lat0, tt.lon0, tt.lon, tt.lat, x, y, tt.x, tt.y)
		}
	}
}

// Parallels symmetric about the equator open the cone into Lambert's
// cylindrical equal-area projection.
func TestAlbersCylinder(t *testing.T) {
	a := Albers(30, -30, 10, 20)
	x, y := a.Project(50, 40)
	c := math.Cos(30 * rad)
	wx, wy := 30*rad*c, (math.Sin(40*rad)-math.Sin(10*rad))/c
	if !near(x, wx, 1e-12) || !near(y, wy, 1e-12) {
		t.Errorf("Project = %v, %v, want %v, %v", x, y, wx, wy)
	}
	// and the conic tends to it
	bx, by := Albers(30, -29.9999, 10, 20).Project(50, 40)
	if !near(x, bx, 1e-5) || !near(y, by, 1e-5) {
		t.Errorf("nearly symmetric cone %v, %v, cylinder %v, %v", bx, by, x, y)
	}
}

func TestRoundTrip(t *testing.T) {
	projs := map[string]invertible{
		"EqualEarth":           EqualEarth{},
		"EqualEarth Lon0 -150": EqualEarth{Lon0: -150},
		"USAlbers":             USAlbers(),
		"Albers south":         Albers(-20, -40, -30, 135),
		"Albers one parallel":  Albers(60, 60, 60, -150),
		"Albers polar":         Albers(90, 90, 90, 0),
		"cylinder":             Albers(30, -30, 0, 0),
	}
	for name, p := range projs {
		t.Run(name, func(t *testing.T) {
			for lat := -89.0; lat <= 89; lat += 4.5 {
				for lon := -179.0; lon <= 179; lon += 7.25 {
					x, y := p.Project(lon, lat)
					glon, glat := p.Invert(x, y)
					if !near(UnwrapLon(glon, lon), lon, 1e-9) || !near(glat, lat, 1e-9) {
						t.Fatalf("(%v, %v) → (%v, %v) → (%v, %v)", lon, lat, x, y, glon, glat)
					}
				}
			}
		})
	}
}

func TestInvertOutside(t *testing.T) {
	for name, p := range map[string]invertible{"EqualEarth": EqualEarth{}, "USAlbers": USAlbers(), "cylinder": Albers(30, -30, 0, 0)} {
		lon, lat := p.Invert(50, 50)
		if !math.IsNaN(lon) || !math.IsNaN(lat) {
			t.Errorf("%s: Invert(50, 50) = %v, %v, want NaN", name, lon, lat)
		}
	}
}

// cellArea projects the outline of the cell lon..lon+d, lat..lat+d, with
// k points on each side, and returns its planar area.
func cellArea(p Projection, lon, lat, d float64, k int) float64 {
	var ring []geom.Point
	add := func(lo, la float64) {
		x, y := p.Project(lo, la)
		ring = append(ring, geom.Point{X: x, Y: y})
	}
	for i := range k {
		add(lon+d*float64(i)/float64(k), lat)
	}
	for i := range k {
		add(lon+d, lat+d*float64(i)/float64(k))
	}
	for i := range k {
		add(lon+d-d*float64(i)/float64(k), lat+d)
	}
	for i := range k {
		add(lon, lat+d-d*float64(i)/float64(k))
	}
	return math.Abs(shoelace(ring))
}

// sphereArea is the area of the cell on the unit sphere.
func sphereArea(lat, d float64) float64 {
	return d * rad * (math.Sin((lat+d)*rad) - math.Sin(lat*rad))
}

// The projected area of small cells is their area on the sphere (R = 1
// keeps it, so the ratio is 1, not only constant).
func TestEqualArea(t *testing.T) {
	projs := map[string]struct {
		p                      Projection
		lon0, lon1, lat0, lat1 float64
	}{
		"EqualEarth":   {EqualEarth{}, -179, 178, -85, 84},
		"USAlbers":     {USAlbers(), -275, 82, -80, 80},
		"Albers south": {Albers(-20, -40, -30, 135), -40, 300, -88, 80},
		"ForBounds AK": {ForBounds(geom.Bounds{Min: geom.Point{X: -188, Y: 51}, Max: geom.Point{X: -130, Y: 71.5}}), -188, -131, 50, 72},
	}
	for name, c := range projs {
		t.Run(name, func(t *testing.T) {
			worst := 0.0
			for lat := c.lat0; lat < c.lat1; lat += 3.7 {
				for lon := c.lon0; lon < c.lon1; lon += 6.3 {
					got, want := cellArea(c.p, lon, lat, 1, 8), sphereArea(lat, 1)
					r := got / want
					worst = math.Max(worst, math.Abs(r-1))
					if math.Abs(r-1) > 0.005 {
						t.Fatalf("cell %v, %v: projected area %g, sphere %g, ratio %.5f", lon, lat, got, want, r)
					}
				}
			}
			t.Logf("largest area error %.2g", worst)
		})
	}
}

func TestUnwrapLon(t *testing.T) {
	tests := []struct{ lon, center, want float64 }{
		{10, 0, 10},
		{180, 0, 180},
		{-180, 0, -180},
		{190, 0, -170},
		{-190, 0, 170},
		{540, 0, -180},
		{172, -150, -188},
		{-140, 170, 220},
		{725, 0, 5},
		{-725, 0, -5},
	}
	for _, tt := range tests {
		if got := UnwrapLon(tt.lon, tt.center); !near(got, tt.want, 1e-12) {
			t.Errorf("UnwrapLon(%v, %v) = %v, want %v", tt.lon, tt.center, got, tt.want)
		}
	}
}

func square(x0, y0, x1, y1 float64) geom.Polygon {
	return geom.Polygon{{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}}}
}

// alaska is a crude Alaska as the atlases cut it at the antimeridian: the
// mainland, the Aleutians east of 180° and the Near Islands west of it.
var alaska = geom.MultiPolygon{
	square(-168, 55, -141, 71.5),
	square(-179.9, 51.2, -160, 55),
	square(172.4, 52.3, 180, 53.1),
}

func TestUnwrappedBounds(t *testing.T) {
	b := UnwrappedBounds(alaska)
	if !near(b.Min.X, 172.4-360, 1e-9) || b.Max.X != -141 || b.Min.Y != 51.2 || b.Max.Y != 71.5 {
		t.Errorf("UnwrappedBounds(alaska) = %+v", b)
	}
	// not crossing: the plain bounds
	m := geom.MultiPolygon{square(-10, 40, 30, 60), square(100, -10, 120, 10)}
	if got, want := UnwrappedBounds(m), m.Bounds(); got != want {
		t.Errorf("UnwrappedBounds = %+v, want %+v", got, want)
	}
	// Russia-like: mostly east, Chukotka past 180°; centre stays within ±180
	r := geom.MultiPolygon{square(19.6, 41, 180, 82), square(-180, 64, -169, 70)}
	b = UnwrappedBounds(r)
	if b.Min.X != 19.6 || !near(b.Max.X, 191, 1e-9) {
		t.Errorf("UnwrappedBounds(russia) = %+v", b)
	}
	if got := UnwrappedBounds(nil); !got.IsEmpty() {
		t.Errorf("UnwrappedBounds(nil) = %+v, want empty", got)
	}
}

// The Aleutians past 180° must land west of the mainland, and the map
// must not be spread over the whole width of the cone.
func TestForBoundsAlaska(t *testing.T) {
	for _, tt := range []struct {
		name string
		b    geom.Bounds
	}{
		{"unwrapped", UnwrappedBounds(alaska)},
		{"plain", alaska.Bounds()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkAlaska(t, ForBounds(tt.b), alaska)
		})
	}
}

func checkAlaska(t *testing.T, p Projection, m geom.MultiPolygon) {
	t.Helper()
	mainland := Extent(p, []geom.MultiPolygon{{m[0]}})
	for _, pt := range []geom.Point{{X: 172.5, Y: 52.5}, {X: 179.9, Y: 51.5}, {X: -179.9, Y: 52}} {
		x, _ := p.Project(pt.X, pt.Y)
		if x >= mainland.Min.X {
			t.Errorf("%v projects to x = %v, east of the mainland's west end %v", pt, x, mainland.Min.X)
		}
	}
	all := Extent(p, []geom.MultiPolygon{m})
	if all.Width() > 3*mainland.Width() {
		t.Errorf("map %v wide, mainland %v", all.Width(), mainland.Width())
	}
}

func TestForBounds(t *testing.T) {
	b := geom.Bounds{Min: geom.Point{X: -109.05, Y: 36.99}, Max: geom.Point{X: -102.04, Y: 41}}
	p := ForBounds(b)
	if _, ok := p.(AlbersEqualArea); !ok {
		t.Fatalf("ForBounds gave %T", p)
	}
	want := Albers(36.99+4.01/6, 36.99+5*4.01/6, 38.995, -105.545)
	for _, pt := range []geom.Point{b.Min, b.Max, {X: -104.99, Y: 39.74}} {
		x, y := p.Project(pt.X, pt.Y)
		wx, wy := want.Project(pt.X, pt.Y)
		if !near(x, wx, 1e-12) || !near(y, wy, 1e-12) {
			t.Errorf("ForBounds: %v projects to %v, %v, want %v, %v", pt, x, y, wx, wy)
		}
	}
	// the centre of the extent is the origin
	if x, y := p.Project(-105.545, 38.995); !near(x, 0, 1e-12) || !near(y, 0, 1e-12) {
		t.Errorf("centre projects to %v, %v", x, y)
	}
	if _, ok := ForBounds(geom.Empty()).(EqualEarth); !ok {
		t.Errorf("ForBounds(empty) is not EqualEarth")
	}
	// a point, or an extent straddling the equator, still projects
	for _, b := range []geom.Bounds{
		{Min: geom.Point{X: 144.7, Y: 13.4}, Max: geom.Point{X: 144.7, Y: 13.4}},
		{Min: geom.Point{X: -10, Y: -5}, Max: geom.Point{X: 10, Y: 5}},
	} {
		x, y := ForBounds(b).Project(b.Max.X, b.Max.Y)
		if !finite(x) || !finite(y) {
			t.Errorf("ForBounds(%+v) projects its corner to %v, %v", b, x, y)
		}
	}
}

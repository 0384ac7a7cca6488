package project

import (
	"math"
	"slices"

	"github.com/knockmap/knockmap/maps/geom"
)

// AlbersEqualArea is the Albers equal-area conic projection of the unit
// sphere (Snyder, Map Projections: A Working Manual, USGS Professional Paper
// 1395, 1987, pp. 98-100, formulas 14-1 to 14-6 and 14-8 to 14-11). Make
// one with Albers, USAlbers or ForBounds.
type AlbersEqualArea struct {
	n, c, rho0 float64 // cone constant, C, ρ at the origin latitude
	lon0       float64 // central meridian, degrees
	// When the standard parallels straddle the equator symmetrically the
	// cone opens into a cylinder: Lambert's cylindrical equal-area with
	// standard parallel lat1 (cos1 = cos φ1), the limit of the conic.
	cyl        bool
	cos1, sin0 float64
}

// Albers returns the Albers equal-area conic with standard parallels lat1
// and lat2, origin latitude lat0 and central meridian lon0, all in degrees.
// The origin (lon0, lat0) projects to 0, 0.
func Albers(lat1, lat2, lat0, lon0 float64) AlbersEqualArea {
	s1 := math.Sin(lat1 * rad)
	n := (s1 + math.Sin(lat2*rad)) / 2
	if math.Abs(n) < 1e-9 {
		return AlbersEqualArea{lon0: lon0, cyl: true, cos1: math.Cos(lat1 * rad), sin0: math.Sin(lat0 * rad)}
	}
	c := 1 - s1*s1 + 2*n*s1 // cos²φ1 + 2n sin φ1
	a := AlbersEqualArea{n: n, c: c, lon0: lon0}
	a.rho0 = a.rho(lat0)
	return a
}

// USAlbers is the usual projection of the conterminous United States:
// standard parallels 29.5°N and 45.5°N, origin 23°N 96°W.
func USAlbers() AlbersEqualArea { return Albers(29.5, 45.5, 23, -96) }

// rho is ρ (14-3), signed like n. C - 2n sin φ is (1-sin φ1)(1-sin φ2) at
// the north pole and (1+sin φ1)(1+sin φ2) at the south one, never negative
// but for rounding.
func (a AlbersEqualArea) rho(lat float64) float64 {
	return math.Sqrt(math.Max(0, a.c-2*a.n*math.Sin(lat*rad))) / a.n
}

// Project maps lon, lat in degrees; longitudes are taken within 180° of the
// central meridian.
func (a AlbersEqualArea) Project(lon, lat float64) (x, y float64) {
	lam := (UnwrapLon(lon, a.lon0) - a.lon0) * rad
	if a.cyl {
		return lam * a.cos1, (math.Sin(lat*rad) - a.sin0) / a.cos1
	}
	rho := a.rho(lat)
	th := a.n * lam
	return rho * math.Sin(th), a.rho0 - rho*math.Cos(th)
}

// Invert maps a projected point back to lon, lat in degrees (14-8 to
// 14-11); points outside the projected sphere give NaN.
func (a AlbersEqualArea) Invert(x, y float64) (lon, lat float64) {
	if a.cyl {
		s := y*a.cos1 + a.sin0
		lam := x / a.cos1
		if !(math.Abs(s) <= 1+1e-12 && math.Abs(lam) <= math.Pi*(1+1e-12)) {
			return math.NaN(), math.NaN()
		}
		return a.lon0 + lam*deg, math.Asin(math.Max(-1, math.Min(1, s))) * deg
	}
	dy := a.rho0 - y
	sign := 1.0
	if a.n < 0 {
		sign = -1
	}
	rho := math.Hypot(x, dy)
	th := math.Atan2(sign*x, sign*dy)
	s := (a.c - rho*rho*a.n*a.n) / (2 * a.n)
	lam := th / a.n
	if !(math.Abs(s) <= 1+1e-12 && math.Abs(lam) <= math.Pi*(1+1e-12)) {
		return math.NaN(), math.NaN()
	}
	return a.lon0 + lam*deg, math.Asin(math.Max(-1, math.Min(1, s))) * deg
}

// ForBounds returns an Albers conic for a map of one region whose extent in
// degrees is b: standard parallels at 1/6 and 5/6 of its latitude span,
// centred on it. b may hold unwrapped longitudes (Min.X < -180 or Max.X >
// 180), as UnwrappedBounds gives for a region crossing the antimeridian;
// plain bounds over 180° wide are taken for such a region cut at ±180° and
// centred on the antimeridian. Empty bounds give Equal Earth.
func ForBounds(b geom.Bounds) Projection {
	if b.IsEmpty() || math.IsNaN(b.Width()) || math.IsNaN(b.Height()) || math.IsInf(b.Width(), 0) {
		return EqualEarth{}
	}
	lon0 := (b.Min.X + b.Max.X) / 2
	if b.Width() > 180 {
		lon0 = 180
	}
	lon0 = UnwrapLon(lon0, 0)
	lo := math.Max(-90, math.Min(90, b.Min.Y))
	hi := math.Max(-90, math.Min(90, b.Max.Y))
	h := hi - lo
	return Albers(lo+h/6, lo+5*h/6, (lo+hi)/2, lon0)
}

// UnwrappedBounds is m.Bounds() with longitudes unwrapped across the widest
// gap between the outer rings' longitudes, so that a region crossing the
// antimeridian gets its real extent: Alaska with the Aleutians spans about
// -188° to -130°, not -180° to 180°. The centre longitude lies within
// [-180, 180].
func UnwrappedBounds(m geom.MultiPolygon) geom.Bounds {
	b := m.Bounds()
	if b.IsEmpty() || b.Width() <= 180 {
		return b
	}
	var lons []float64
	for _, p := range m {
		if len(p) == 0 {
			continue
		}
		for _, pt := range p[0] {
			if !math.IsNaN(pt.X) {
				lons = append(lons, UnwrapLon(pt.X, 0))
			}
		}
	}
	if len(lons) == 0 {
		return b
	}
	slices.Sort(lons)
	// The gap from the last longitude round to the first is the one plain
	// bounds leave out; look for a wider one inside.
	gap, at := lons[0]+360-lons[len(lons)-1], -1
	for i := 1; i < len(lons); i++ {
		if g := lons[i] - lons[i-1]; g > gap {
			gap, at = g, i
		}
	}
	if at < 0 {
		return b
	}
	lo, hi := lons[at], lons[at-1]+360
	if (lo+hi)/2 > 180 {
		lo, hi = lo-360, hi-360
	}
	b.Min.X, b.Max.X = lo, hi
	return b
}

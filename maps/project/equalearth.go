package project

import "math"

// Polynomial coefficients of Equal Earth (Šavrič, Patterson and Jenny, "The
// Equal Earth map projection", IJGIS 33:3, 2019).
const (
	eeA1 = 1.340264
	eeA2 = -0.081106
	eeA3 = 0.000893
	eeA4 = 0.003796
	eeM  = 0.8660254037844386 // √3/2
)

// EqualEarth is the Equal Earth pseudocylindrical equal-area projection of
// the unit sphere, for world maps. The zero value is centred on Greenwich.
type EqualEarth struct {
	Lon0 float64 // central meridian, degrees
}

// Project maps lon, lat in degrees; longitudes are taken around Lon0, so the
// map runs from x = -2.7066 to 2.7066 and y = -1.3174 to 1.3174.
func (e EqualEarth) Project(lon, lat float64) (x, y float64) {
	lam := (UnwrapLon(lon, e.Lon0) - e.Lon0) * rad
	th := math.Asin(eeM * math.Sin(lat*rad))
	t2 := th * th
	t6 := t2 * t2 * t2
	x = lam * math.Cos(th) / (eeM * (eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)))
	y = th * (eeA1 + eeA2*t2 + t6*(eeA3+eeA4*t2))
	return x, y
}

// Invert maps a projected point back to lon, lat in degrees by Newton's
// method on the parametric latitude; points outside the map are NaN.
func (e EqualEarth) Invert(x, y float64) (lon, lat float64) {
	const yMax = 1.3173627591574133 // y at the pole
	if !(math.Abs(y) <= yMax*(1+1e-12)) {
		return math.NaN(), math.NaN()
	}
	th := y / eeA1
	for range 20 {
		t2 := th * th
		t6 := t2 * t2 * t2
		f := th*(eeA1+eeA2*t2+t6*(eeA3+eeA4*t2)) - y
		d := f / (eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2))
		th -= d
		if math.Abs(d) < 1e-15 {
			break
		}
	}
	t2 := th * th
	t6 := t2 * t2 * t2
	lam := eeM * x * (eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)) / math.Cos(th)
	if !(math.Abs(lam) <= math.Pi*(1+1e-12)) {
		return math.NaN(), math.NaN()
	}
	s := math.Max(-1, math.Min(1, math.Sin(th)/eeM))
	return e.Lon0 + lam*deg, math.Asin(s) * deg
}

package project

import (
	"math"

	"github.com/knockmap/knockmap/maps/geom"
)

// Transform scales projected units into pixels, y down:
// px = X0 + x·Scale, py = Y0 - y·Scale.
type Transform struct {
	Scale  float64 // pixels per projected unit
	X0, Y0 float64 // pixel position of the projected origin
}

// Apply maps projected x, y (y up) to pixel px, py (y down).
func (t Transform) Apply(x, y float64) (px, py float64) {
	return t.X0 + x*t.Scale, t.Y0 - y*t.Scale
}

// Invert maps pixel px, py back to projected x, y.
func (t Transform) Invert(px, py float64) (x, y float64) {
	return (px - t.X0) / t.Scale, (t.Y0 - py) / t.Scale
}

// Fit returns the Transform that fits the projected extent of feats (their
// polygons' outer rings and their points) into a width × height picture,
// keeping margin pixels free on every side, centred and with its aspect
// ratio kept.
func Fit(p Projection, feats []geom.Feature, width, height, margin float64) Transform {
	return FitBounds(Extent(p, feats), width, height, margin)
}

// Extent is the bounds of feats' outer rings and points in projected units;
// points the projection cannot place are left out.
func Extent(p Projection, feats []geom.Feature) geom.Bounds {
	b := geom.Empty()
	add := func(pt geom.Point) {
		x, y := p.Project(pt.X, pt.Y)
		if finite(x) && finite(y) {
			b = b.Extend(geom.Point{X: x, Y: y})
		}
	}
	for _, f := range feats {
		for _, poly := range f.Polygons {
			if len(poly) > 0 {
				for _, pt := range poly[0] {
					add(pt)
				}
			}
		}
		for _, pt := range f.Points {
			add(pt)
		}
	}
	return b
}

// FitBounds returns the Transform that fits b, in projected units, into a
// width × height picture less margin on every side, centred and with its
// aspect ratio kept. A zero-width or zero-height b is fitted by its other
// side; a single point or empty bounds get scale 1, centred; a picture with
// no room inside its margins gets scale 0.
func FitBounds(b geom.Bounds, width, height, margin float64) Transform {
	w := math.Max(0, width-2*margin)
	h := math.Max(0, height-2*margin)
	if b.IsEmpty() || !finite(b.Width()) || !finite(b.Height()) {
		return Transform{Scale: 1, X0: width / 2, Y0: height / 2}
	}
	s := math.Inf(1)
	if b.Width() > 0 {
		s = w / b.Width()
	}
	if b.Height() > 0 {
		s = math.Min(s, h/b.Height())
	}
	if math.IsInf(s, 1) {
		s = 1
	}
	cx := (b.Min.X + b.Max.X) / 2
	cy := (b.Min.Y + b.Max.Y) / 2
	return Transform{Scale: s, X0: width/2 - cx*s, Y0: height/2 + cy*s}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

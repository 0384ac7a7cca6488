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

// Frame places longitudes and latitudes on a map's pixels: a projection
// and the transform that fits it into the map. A World frame shows the
// whole globe: rings crossing the 180th meridian are drawn on both sides
// of the map, and Outline is the globe's edge, which the drawer clips to.
type Frame struct {
	Proj Projection
	Transform
	World bool
}

// At is the pixel of lon, lat; NaN where the projection cannot place it.
func (f Frame) At(lon, lat float64) geom.Point {
	x, y := f.Apply(f.Proj.Project(lon, lat))
	return geom.Point{X: x, Y: y}
}

// Extent is the bounds of shapes in projected units; points the
// projection cannot place are left out.
func Extent(p Projection, shapes []geom.MultiPolygon) geom.Bounds {
	b := geom.Empty()
	for _, m := range shapes {
		for _, poly := range m {
			for _, r := range poly {
				for _, pt := range r {
					x, y := p.Project(pt.X, pt.Y)
					if finite(x) && finite(y) {
						b = b.Extend(geom.Point{X: x, Y: y})
					}
				}
			}
		}
	}
	return b
}

// Fit returns the frame that fits the projected extent of shapes into box
// (pixels, y down), centred and with its aspect ratio kept. An extent of
// zero width or height is fitted by its other side; a single point or no
// extent at all gets scale 1, centred in box.
func Fit(p Projection, shapes []geom.MultiPolygon, box geom.Bounds) Frame {
	b := Extent(p, shapes)
	cbx, cby := (box.Min.X+box.Max.X)/2, (box.Min.Y+box.Max.Y)/2
	if b.IsEmpty() {
		return Frame{Proj: p, Transform: Transform{Scale: 1, X0: cbx, Y0: cby}}
	}
	s := math.Inf(1)
	if b.Width() > 0 {
		s = math.Max(0, box.Width()) / b.Width()
	}
	if b.Height() > 0 {
		s = math.Min(s, math.Max(0, box.Height())/b.Height())
	}
	if math.IsInf(s, 1) {
		s = 1
	}
	cx, cy := (b.Min.X+b.Max.X)/2, (b.Min.Y+b.Max.Y)/2
	return Frame{Proj: p, Transform: Transform{Scale: s, X0: cbx - cx*s, Y0: cby + cy*s}}
}

// WorldFrame fits the whole globe, in Equal Earth centred on Greenwich,
// into box.
func WorldFrame(box geom.Bounds) Frame {
	var globe geom.Ring
	for lat := -90.0; lat <= 90; lat += 2 {
		globe = append(globe, geom.Point{X: -180, Y: lat}, geom.Point{X: 180, Y: lat})
	}
	f := Fit(linearEqualEarth{}, []geom.MultiPolygon{{{globe}}}, box)
	f.World = true
	return f
}

// USFrame fits the conterminous states, in USAlbers, into box.
func USFrame(conterminous []geom.MultiPolygon, box geom.Bounds) Frame {
	return Fit(USAlbers(), conterminous, box)
}

// RegionFrame fits one region (a state or territory) into box, in the
// Albers conic ForBounds gives for its extent unwrapped across the
// antimeridian, so that Alaska's Aleutians stay beside the mainland.
func RegionFrame(m geom.MultiPolygon, box geom.Bounds) Frame {
	return Fit(ForBounds(UnwrappedBounds(m)), []geom.MultiPolygon{m}, box)
}

// linearEqualEarth is Equal Earth centred on Greenwich without wrapping
// longitudes into ±180, so that a shape drawn beyond the edge stays beyond
// it (x is proportional to longitude in Equal Earth).
type linearEqualEarth struct{}

func (linearEqualEarth) Project(lon, lat float64) (x, y float64) {
	x, y = EqualEarth{}.Project(90, lat)
	return x * lon / 90, y
}

// Rings projects m's rings into pixels. In a World frame a ring that
// crosses the 180th meridian (Chukotka, Fiji) is made continuous and given
// twice, once on each side, for the outline to clip; a ring around a pole
// (Antarctica) is given as it is.
func (f Frame) Rings(m geom.MultiPolygon) []geom.Ring {
	var out []geom.Ring
	for _, poly := range m {
		for _, r := range poly {
			if len(r) == 0 {
				continue
			}
			if !f.World {
				out = append(out, f.ring(r, 0))
				continue
			}
			out = append(out, f.split(r)...)
		}
	}
	return out
}

func (f Frame) split(r geom.Ring) []geom.Ring {
	un := make(geom.Ring, len(r))
	un[0] = r[0]
	crosses := false
	for i := 1; i < len(r); i++ {
		lon := r[i].X
		for lon-un[i-1].X > 180 {
			lon -= 360
			crosses = true
		}
		for lon-un[i-1].X < -180 {
			lon += 360
			crosses = true
		}
		un[i] = geom.Point{X: lon, Y: r[i].Y}
	}
	if !crosses || math.Abs(un[len(un)-1].X-un[0].X) > 180 {
		return []geom.Ring{f.ring(r, 0)}
	}
	b := geom.Empty()
	for _, p := range un {
		b = b.Extend(p)
	}
	out := []geom.Ring{f.ring(un, 0)}
	if b.Max.X > 180 {
		out = append(out, f.ring(un, -360))
	}
	if b.Min.X < -180 {
		out = append(out, f.ring(un, 360))
	}
	return out
}

// ring projects r shifted by shift degrees of longitude; the projection
// is asked for longitudes beyond ±180 as they are, so a World frame's
// must not wrap.
func (f Frame) ring(r geom.Ring, shift float64) geom.Ring {
	pr := make(geom.Ring, len(r))
	for i, pt := range r {
		pr[i] = f.At(pt.X+shift, pt.Y)
	}
	return pr
}

// Outline is the edge of a World frame's globe, the meridians ±180 from
// pole to pole, in pixels; nil for other frames.
func (f Frame) Outline() geom.Ring {
	if !f.World {
		return nil
	}
	var r geom.Ring
	for lat := -90.0; lat <= 90; lat += 2 {
		r = append(r, f.At(-180, lat))
	}
	for lat := 90.0; lat >= -90; lat -= 2 {
		r = append(r, f.At(180, lat))
	}
	return r
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

package render

import (
	"image"
	"image/color"
	"math"
	"sort"

	"github.com/fogleman/gg"

	"github.com/knockmap/knockmap/maps/geom"
	"github.com/knockmap/knockmap/maps/project"
)

// Shape is an area to fill, in longitude and latitude.
type Shape struct {
	Area geom.MultiPolygon
	Fill color.RGBA
	// Mark asks for a marker, a small disc in Fill with a dark outline
	// and a white halo, where the shape covers under MarkArea square
	// pixels of the map (or has no polygon, then at At), so that a
	// city-state with many attempts is seen.
	Mark bool
	At   *geom.Point // lon, lat of the marker of a shape without a polygon
}

// MarkArea is the area in unscaled square pixels under which a Mark shape
// gets a marker: Hong Kong and Singapore cover about one on the world map.
const MarkArea = 20

// markRadius is a marker's radius in unscaled pixels.
const markRadius = 3.5

// Dot is a place with attempts: a translucent disc whose area grows with
// the count.
type Dot struct {
	Lon, Lat float64
	R        float64 // radius in unscaled pixels
}

// Legend explains the colours of a choropleth: a logarithmic ramp from 1
// to Max.
type Legend struct {
	Label string
	Max   float64
}

// Map is a map picture: shapes, then markers, then dots (largest first, so
// that small ones stay visible on top), then the legend. Like a
// go-staticmaps Context it takes longitudes and latitudes and projects
// them itself, through Frame.
type Map struct {
	Title, Subtitle, Note string
	Width, Height         int           // unscaled; 0: 960 x 560
	Frame                 project.Frame // lon, lat to unscaled pixels; a World frame's globe is filled as sea and shapes are clipped to it
	Shapes                []Shape
	Dots                  []Dot
	Legend                *Legend
	DotLegend             []float64 // counts to show as sample discs, with DotRadius
	DotRadius             func(n float64) float64
}

// Size is the unscaled picture size.
func (m Map) Size() (w, h float64) {
	w, h = float64(m.Width), float64(m.Height)
	if w == 0 {
		w = 960
	}
	if h == 0 {
		h = 560
	}
	return w, h
}

// Box is the rectangle a frame fits the map into: below the title, above
// the legend.
func (m Map) Box() geom.Bounds {
	w, h := m.Size()
	return geom.Bounds{Min: geom.Point{X: 16, Y: 72}, Max: geom.Point{X: w - 16, Y: h - 48}}
}

// marker is where a Mark shape's marker goes, if it gets one.
func (m Map) marker(sh Shape) (geom.Point, bool) {
	if !sh.Mark {
		return geom.Point{}, false
	}
	if len(sh.Area) == 0 {
		if sh.At == nil {
			return geom.Point{}, false
		}
		p := m.Frame.At(sh.At.X, sh.At.Y)
		return p, finite(p)
	}
	area, c := m.centroid(sh.Area)
	if area >= MarkArea {
		return geom.Point{}, false
	}
	return c, finite(c)
}

// centroid is the area on the map of a shape (holes taken off, whichever
// way its rings wind) and the centre of its outer rings weighted by each
// polygon's area; for a shape of no area, the mean of its outer rings'
// points.
func (m Map) centroid(shape geom.MultiPolygon) (float64, geom.Point) {
	var total, cx, cy, sx, sy float64
	n := 0
	for _, poly := range shape {
		var outer, holes, ox, oy float64
		for i, r := range poly {
			for _, pr := range m.Frame.Rings(geom.MultiPolygon{{r}}) {
				a, c := ringCentroid(pr)
				if i > 0 {
					holes += a
					continue
				}
				outer += a
				if a > 0 {
					ox, oy = ox+a*c.X, oy+a*c.Y
				}
				for _, p := range pr {
					sx, sy = sx+p.X, sy+p.Y
					n++
				}
			}
		}
		if net := outer - holes; net > 0 && outer > 0 {
			total += net
			cx, cy = cx+net*ox/outer, cy+net*oy/outer
		}
	}
	switch {
	case total > 0:
		return total, geom.Point{X: cx / total, Y: cy / total}
	case n > 0:
		return 0, geom.Point{X: sx / float64(n), Y: sy / float64(n)}
	}
	return 0, geom.Point{X: math.NaN(), Y: math.NaN()}
}

// ringCentroid is the unsigned area and the centroid of a ring.
func ringCentroid(r geom.Ring) (float64, geom.Point) {
	var a, cx, cy float64
	for i, p := range r {
		q := r[(i+1)%len(r)]
		c := p.X*q.Y - q.X*p.Y
		a += c
		cx += (p.X + q.X) * c
		cy += (p.Y + q.Y) * c
	}
	if a == 0 || math.IsNaN(a) {
		return 0, geom.Point{}
	}
	return math.Abs(a / 2), geom.Point{X: cx / (3 * a), Y: cy / (3 * a)}
}

func finite(p geom.Point) bool {
	return !math.IsNaN(p.X) && !math.IsNaN(p.Y) && !math.IsInf(p.X, 0) && !math.IsInf(p.Y, 0)
}

// Draw renders the map.
func (m Map) Draw(s Style) image.Image {
	w, h := m.Size()
	k := scaleOf(s)
	dc := gg.NewContext(int(w*k), int(h*k))
	dc.Scale(k, k)
	dc.SetColor(Background)
	dc.Clear()
	header(dc, s, m.Title, m.Subtitle)
	dc.SetFillRuleEvenOdd()
	dc.SetLineJoin(gg.LineJoinRound)
	if outline := m.Frame.Outline(); len(outline) > 2 {
		path(dc, outline)
		dc.SetColor(Sea)
		dc.FillPreserve()
		dc.Clip()
	}
	type mark struct {
		at   geom.Point
		fill color.RGBA
	}
	var marks []mark
	for _, sh := range m.Shapes {
		if at, ok := m.marker(sh); ok {
			marks = append(marks, mark{at, sh.Fill})
		}
		for _, r := range m.Frame.Rings(sh.Area) {
			if len(r) < 3 {
				continue
			}
			path(dc, r)
		}
		dc.SetColor(sh.Fill)
		dc.FillPreserve()
		dc.SetColor(Border)
		dc.SetLineWidth(0.5)
		dc.Stroke()
	}
	dc.ResetClip()
	for _, mk := range marks {
		// a white halo parts the disc from a neighbour of like colour
		dc.DrawCircle(mk.at.X, mk.at.Y, markRadius+1.2)
		dc.SetColor(Background)
		dc.Fill()
		dc.DrawCircle(mk.at.X, mk.at.Y, markRadius)
		dc.SetColor(mk.fill)
		dc.FillPreserve()
		dc.SetColor(Ink)
		dc.SetLineWidth(0.8 * k) // gg does not scale line widths
		dc.Stroke()
	}
	dots := make([]geom.Point, 0, len(m.Dots))
	radii := make([]float64, 0, len(m.Dots))
	byR := append([]Dot(nil), m.Dots...)
	sort.SliceStable(byR, func(i, j int) bool { return byR[i].R > byR[j].R })
	for _, d := range byR {
		if p := m.Frame.At(d.Lon, d.Lat); finite(p) {
			dots, radii = append(dots, p), append(radii, d.R)
		}
	}
	dc.SetRGBA255(int(DotColor.R), int(DotColor.G), int(DotColor.B), 90)
	for i, d := range dots {
		dc.DrawCircle(d.X, d.Y, radii[i])
		dc.Fill()
	}
	dc.SetRGBA255(120, 40, 0, 160)
	dc.SetLineWidth(0.6)
	for i, d := range dots {
		dc.DrawCircle(d.X, d.Y, radii[i])
		dc.Stroke()
	}
	small := newFace(false, s.px(11))
	if m.Legend != nil && m.Legend.Max >= 1 {
		x0, y0, lw := 20.0, h-30, 240.0
		for i := 0; i < 120; i++ {
			dc.SetColor(Sequential(1 - float64(i)/119))
			dc.DrawRectangle(x0+lw*float64(i)/120, y0, lw/120+0.5, 10)
			dc.Fill()
		}
		dc.SetColor(Faint)
		text(dc, s, small, "1", x0, y0+20, 0, 0.5)
		text(dc, s, small, Thousands(m.Legend.Max), x0+lw, y0+20, 1, 0.5)
		if m.Legend.Max >= 100 {
			mid := math.Pow(10, math.Round(math.Log10(m.Legend.Max)/2))
			text(dc, s, small, Thousands(mid), x0+lw*math.Log(mid)/math.Log(m.Legend.Max), y0+20, 0.5, 0.5)
		}
		dc.SetColor(NoData)
		dc.DrawRectangle(x0+lw+50, y0, 14, 10)
		dc.Fill()
		dc.SetColor(Faint)
		text(dc, s, small, "none", x0+lw+68, y0+5, 0, 0.5)
		text(dc, s, small, m.Legend.Label+" (log scale)", x0+lw+110, y0+5, 0, 0.5)
	}
	if len(m.DotLegend) > 0 && m.DotRadius != nil {
		x := 20.0
		for _, n := range m.DotLegend {
			r := m.DotRadius(n)
			dc.SetRGBA255(int(DotColor.R), int(DotColor.G), int(DotColor.B), 90)
			dc.DrawCircle(x+r, h-24, r)
			dc.Fill()
			dc.SetColor(Faint)
			text(dc, s, small, Thousands(n), x+2*r+4, h-24, 0, 0.5)
			x += 2*r + 4 + measure(dc, s, small, Thousands(n)) + 16
		}
	}
	if m.Note != "" {
		dc.SetColor(Faint)
		text(dc, s, small, m.Note, w-16, h-12, 1, 0.5)
	}
	return dc.Image()
}

func path(dc *gg.Context, r geom.Ring) {
	dc.MoveTo(r[0].X, r[0].Y)
	for _, p := range r[1:] {
		dc.LineTo(p.X, p.Y)
	}
	dc.ClosePath()
}

// Choropleth colours a count on a log scale from 1 to max: more is darker.
func Choropleth(n, max float64) color.RGBA {
	if n < 1 || max < 1 {
		return NoData
	}
	t := 1.0
	if max > 1 {
		t = math.Log(n) / math.Log(max)
	}
	return Sequential(0.95 - 0.95*t)
}

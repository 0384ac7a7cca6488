package render

import (
	"image"
	"image/color"
	"math"

	"github.com/fogleman/gg"

	"github.com/knockmap/knockmap/maps/geom"
)

// Shape is an area to fill, its rings already projected into the map's
// frame (unscaled pixels, y down).
type Shape struct {
	Rings []geom.Ring
	Fill  color.RGBA
}

// Dot is a place with attempts: a translucent disc whose area grows with
// the count.
type Dot struct {
	X, Y float64 // in the map's frame
	R    float64 // radius in unscaled pixels
}

// Legend explains the colours of a choropleth: a logarithmic ramp from 1
// to Max.
type Legend struct {
	Label string
	Max   float64
}

// Map is a map picture: shapes, then dots, then the legend.
type Map struct {
	Title, Subtitle, Note string
	Width, Height         int       // unscaled; 0: 960 x 560
	Outline               geom.Ring // the globe's edge in the map's frame: filled as sea, and shapes are clipped to it
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

// Frame is the rectangle the shapes and dots are fitted into: below the
// title, above the legend.
func (m Map) Frame() geom.Bounds {
	w, h := m.Size()
	return geom.Bounds{Min: geom.Point{X: 16, Y: 72}, Max: geom.Point{X: w - 16, Y: h - 48}}
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
	if len(m.Outline) > 2 {
		path(dc, m.Outline)
		dc.SetColor(Sea)
		dc.FillPreserve()
		dc.Clip()
	}
	for _, sh := range m.Shapes {
		for _, r := range sh.Rings {
			if len(r) < 3 {
				continue
			}
			dc.MoveTo(r[0].X, r[0].Y)
			for _, p := range r[1:] {
				dc.LineTo(p.X, p.Y)
			}
			dc.ClosePath()
		}
		dc.SetColor(sh.Fill)
		dc.FillPreserve()
		dc.SetColor(Border)
		dc.SetLineWidth(0.5)
		dc.Stroke()
	}
	dc.ResetClip()
	dc.SetRGBA255(int(DotColor.R), int(DotColor.G), int(DotColor.B), 90)
	for _, d := range m.Dots {
		dc.DrawCircle(d.X, d.Y, d.R)
		dc.Fill()
	}
	dc.SetRGBA255(120, 40, 0, 160)
	dc.SetLineWidth(0.6)
	for _, d := range m.Dots {
		dc.DrawCircle(d.X, d.Y, d.R)
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

package render

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"time"

	"github.com/fogleman/gg"
	"golang.org/x/image/font"
)

// Bar is one bar of a bar chart.
type Bar struct {
	Label string // attacker-controlled text is fine: it is drawn through Label
	Value float64
	Icon  image.Image // drawn before the label (a flag), or nil
	Color color.RGBA  // the bar's colour; zero: Categorical[0]
}

// BarChart is a horizontal bar chart, largest first as given.
type BarChart struct {
	Title    string
	Subtitle string // what is counted, e.g. "failed logins"
	Note     string // a line under the chart
	Bars     []Bar
	Width    int // in unscaled pixels; 0: 960
}

// Draw renders the chart.
func (c BarChart) Draw(s Style) image.Image {
	w := float64(c.Width)
	if w == 0 {
		w = 960
	}
	rowH, top, bottom := 26.0, 78.0, 44.0
	h := top + rowH*math.Max(1, float64(len(c.Bars))) + bottom
	dc := gg.NewContext(int(s.px(w)), int(s.px(h)))
	dc.Scale(scaleOf(s), scaleOf(s))
	dc.SetColor(Background)
	dc.Clear()
	header(dc, s, c.Title, c.Subtitle)

	labelFace := newFace(false, s.px(13))
	labels := make([]string, len(c.Bars))
	labelW := 0.0
	hasIcon := false
	maxV := 0.0
	for i, b := range c.Bars {
		labels[i] = Label(b.Label, 32)
		labelW = math.Max(labelW, measure(dc, s, labelFace, labels[i]))
		hasIcon = hasIcon || b.Icon != nil
		maxV = math.Max(maxV, b.Value)
	}
	labelW = math.Min(labelW, 320)
	iconW := 0.0
	if hasIcon {
		iconW = 34
	}
	x0 := 20 + iconW + labelW + 10
	x1 := w - 90
	if len(c.Bars) == 0 {
		dc.SetColor(Faint)
		text(dc, s, labelFace, "no data in this period", 20, top+rowH/2, 0, 0.5)
	}
	for i, b := range c.Bars {
		y := top + float64(i)*rowH
		if b.Icon != nil {
			drawIcon(dc, b.Icon, 20, y+4, 28, rowH-8)
		}
		dc.SetColor(Ink)
		text(dc, s, labelFace, labels[i], x0-10, y+rowH/2, 1, 0.5)
		bw := 0.0
		if maxV > 0 {
			bw = (x1 - x0) * b.Value / maxV
		}
		if b.Color == (color.RGBA{}) {
			dc.SetColor(Categorical[0])
		} else {
			dc.SetColor(b.Color)
		}
		dc.DrawRectangle(x0, y+4, math.Max(bw, 1), rowH-8)
		dc.Fill()
		dc.SetColor(Faint)
		text(dc, s, labelFace, Thousands(b.Value), x0+bw+6, y+rowH/2, 0, 0.5)
	}
	if c.Note != "" {
		dc.SetColor(Faint)
		text(dc, s, newFace(false, s.px(11)), c.Note, 20, h-18, 0, 0.5)
	}
	return dc.Image()
}

func scaleOf(s Style) float64 {
	if s.Scale <= 0 {
		return 1
	}
	return s.Scale
}

// text draws s at (x, y) in unscaled units with the anchor (ax, ay), in a
// face that was made at the scaled size.
func text(dc *gg.Context, s Style, face font.Face, str string, x, y, ax, ay float64) {
	k := scaleOf(s)
	dc.Push()
	dc.Scale(1/k, 1/k)
	dc.SetFontFace(face)
	dc.DrawStringAnchored(str, x*k, y*k, ax, ay)
	dc.Pop()
}

// measure is the width of str in face, in unscaled units.
func measure(dc *gg.Context, s Style, face font.Face, str string) float64 {
	dc.SetFontFace(face)
	w, _ := dc.MeasureString(str)
	return w / scaleOf(s)
}

func header(dc *gg.Context, s Style, title, subtitle string) {
	dc.SetColor(Ink)
	text(dc, s, newFace(true, s.px(20)), title, 20, 30, 0, 0.5)
	if subtitle != "" {
		dc.SetColor(Faint)
		text(dc, s, newFace(false, s.px(13)), subtitle, 20, 54, 0, 0.5)
	}
}

// FlagBorder frames every flag, so that a white field (Japan's, Poland's)
// does not merge into the white background.
var FlagBorder = color.RGBA{150, 150, 150, 255}

// drawIcon fits img into the box (x, y, w, h) on whole pixels, framed by
// a one-pixel FlagBorder inside its edge.
func drawIcon(dc *gg.Context, img image.Image, x, y, w, h float64) {
	b := img.Bounds()
	k := math.Min(w/float64(b.Dx()), h/float64(b.Dy()))
	iw, ih := math.Round(float64(b.Dx())*k), math.Round(float64(b.Dy())*k)
	ix, iy := math.Round(x), math.Round(y+(h-ih)/2)
	dc.Push()
	dc.Translate(ix, iy)
	dc.Scale(iw/float64(b.Dx()), ih/float64(b.Dy()))
	dc.DrawImage(img, 0, 0)
	dc.Pop()
	// filled, not stroked: a fill scales with the picture, a line does not
	dc.SetColor(FlagBorder)
	dc.DrawRectangle(ix, iy, iw, 1)
	dc.DrawRectangle(ix, iy+ih-1, iw, 1)
	dc.DrawRectangle(ix, iy+1, 1, ih-2)
	dc.DrawRectangle(ix+iw-1, iy+1, 1, ih-2)
	dc.Fill()
}

// Thousands formats a count with thousands separators: 12,345.
func Thousands(v float64) string {
	n := strconv.FormatInt(int64(math.Round(v)), 10)
	neg := n[0] == '-'
	if neg {
		n = n[1:]
	}
	out := make([]byte, 0, len(n)+len(n)/3)
	for i := range n {
		if i > 0 && (len(n)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, n[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// Series is one band of a stacked timeline.
type Series struct {
	Name   string
	Values []float64 // one per time of the timeline
	Color  color.RGBA
}

// Timeline is a stacked area chart of counts per day or per hour.
type Timeline struct {
	Title, Subtitle string
	Times           []time.Time // the start of each day or hour, evenly spaced
	Series          []Series    // bottom first
	Width, Height   int
}

// Draw renders the timeline; the time axis is marked by TimeTicks.
func (t Timeline) Draw(s Style) image.Image {
	w, h := float64(t.Width), float64(t.Height)
	if w == 0 {
		w = 960
	}
	if h == 0 {
		h = 420
	}
	dc := gg.NewContext(int(s.px(w)), int(s.px(h)))
	dc.Scale(scaleOf(s), scaleOf(s))
	dc.SetColor(Background)
	dc.Clear()
	header(dc, s, t.Title, t.Subtitle)
	small := newFace(false, s.px(11))
	left, right, top, bottom := 70.0, w-20, 100.0, h-40
	// legend
	lx := 20.0
	for _, se := range t.Series {
		dc.SetColor(se.Color)
		dc.DrawRectangle(lx, 70, 12, 12)
		dc.Fill()
		dc.SetColor(Ink)
		name := Label(se.Name, 24)
		text(dc, s, small, name, lx+16, 76, 0, 0.5)
		lx += 16 + measure(dc, s, small, name) + 18
	}
	n := len(t.Times)
	total := make([]float64, n)
	for _, se := range t.Series {
		for i := 0; i < n && i < len(se.Values); i++ {
			total[i] += se.Values[i]
		}
	}
	maxV := 0.0
	for _, v := range total {
		maxV = math.Max(maxV, v)
	}
	step := niceStep(maxV, 5)
	top2 := math.Max(step, math.Ceil(maxV/step)*step)
	var first, last time.Time
	if n > 0 {
		first, last = t.Times[0], t.Times[n-1]
	}
	at := func(tm time.Time) float64 {
		if !last.After(first) {
			return (left + right) / 2
		}
		return left + (right-left)*float64(tm.Sub(first))/float64(last.Sub(first))
	}
	X := func(i int) float64 { return at(t.Times[i]) }
	Y := func(v float64) float64 { return bottom - (bottom-top)*v/top2 }
	dc.SetLineWidth(1)
	for v := 0.0; v <= top2+step/2; v += step {
		dc.SetColor(Grid)
		dc.DrawLine(left, Y(v), right, Y(v))
		dc.Stroke()
		dc.SetColor(Faint)
		text(dc, s, small, Thousands(v), left-6, Y(v), 1, 0.5)
	}
	if n == 0 {
		dc.SetColor(Faint)
		text(dc, s, small, "no data in this period", (left+right)/2, (top+bottom)/2, 0.5, 0.5)
		return dc.Image()
	}
	base := make([]float64, n)
	for _, se := range t.Series {
		if n == 1 {
			// one time: a bar, since an area of one point has no width
			v := val(se.Values, 0)
			dc.SetColor(se.Color)
			dc.DrawRectangle(X(0)-8, Y(base[0]+v), 16, Y(base[0])-Y(base[0]+v))
			dc.Fill()
			base[0] += v
			continue
		}
		dc.NewSubPath()
		for i := 0; i < n; i++ {
			dc.LineTo(X(i), Y(base[i]+val(se.Values, i)))
		}
		for i := n - 1; i >= 0; i-- {
			dc.LineTo(X(i), Y(base[i]))
		}
		dc.ClosePath()
		dc.SetColor(se.Color)
		dc.Fill()
		for i := 0; i < n; i++ {
			base[i] += val(se.Values, i)
		}
	}
	for _, tk := range TimeTicks(first, last, right-left) {
		x := at(tk.At)
		dc.SetColor(Grid)
		dc.DrawLine(x, bottom, x, bottom+4)
		dc.Stroke()
		dc.SetColor(Faint)
		text(dc, s, small, tk.Label, x, bottom+14, 0.5, 0.5)
	}
	return dc.Image()
}

func val(v []float64, i int) float64 {
	if i < len(v) {
		return v[i]
	}
	return 0
}

// niceStep is a round step (1, 2 or 5 times a power of ten) that cuts
// [0, max] into about n parts.
func niceStep(max float64, n int) float64 {
	if max <= 0 {
		return 1
	}
	raw := max / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return math.Max(1, m*p)
		}
	}
	return 10 * p
}

// Heatmap is a weekday-by-hour grid of counts.
type Heatmap struct {
	Title, Subtitle string
	Cells           [7][24]float64 // Monday first
	// Cell says what one cell counts, under the legend; "" says the
	// attempts in that hour of that weekday, summed over the period.
	Cell string
}

// Empty is a heatmap cell with no attempts: pale grey, hatched, so that it
// is told apart from the lowest count (the palest viridis).
var Empty = color.RGBA{238, 238, 238, 255}

// emptyHatch is the hatching of an empty cell.
var emptyHatch = color.RGBA{190, 190, 190, 255}

// heatColour is the colour of a count v in a grid whose non-zero counts
// run from lo to hi: viridis over [lo, hi], darker for more, and ok false
// for no count (drawn as Empty).
func heatColour(v, lo, hi float64) (c color.RGBA, ok bool) {
	if v <= 0 {
		return Empty, false
	}
	t := 1.0
	if hi > lo {
		t = (v - lo) / (hi - lo)
	}
	return Sequential(1 - t), true
}

// Draw renders the heatmap, darker for more, with a legend bar of the
// whole scale from the smallest non-zero count to the largest.
func (hm Heatmap) Draw(s Style) image.Image {
	w, h := 960.0, 350.0
	dc := gg.NewContext(int(s.px(w)), int(s.px(h)))
	dc.Scale(scaleOf(s), scaleOf(s))
	dc.SetColor(Background)
	dc.Clear()
	header(dc, s, hm.Title, hm.Subtitle)
	small := newFace(false, s.px(11))
	left, top := 60.0, 80.0
	cw, ch := (w-left-20)/24, 26.0
	lo, hi := 0.0, 0.0
	for _, row := range hm.Cells {
		for _, v := range row {
			if v > 0 && (lo == 0 || v < lo) {
				lo = v
			}
			hi = math.Max(hi, v)
		}
	}
	days := []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	for d, row := range hm.Cells {
		dc.SetColor(Ink)
		text(dc, s, small, days[d], left-8, top+float64(d)*ch+ch/2, 1, 0.5)
		for hr, v := range row {
			c, ok := heatColour(v, lo, hi)
			x, y := left+float64(hr)*cw+1, top+float64(d)*ch+1
			dc.SetColor(c)
			dc.DrawRectangle(x, y, cw-2, ch-2)
			dc.Fill()
			if !ok {
				hatch(dc, x, y, cw-2, ch-2)
			}
		}
	}
	dc.SetColor(Faint)
	for hr := 0; hr < 24; hr += 3 {
		text(dc, s, small, fmt.Sprintf("%02d:00", hr), left+float64(hr)*cw+cw/2, top+7*ch+12, 0.5, 0.5)
	}
	// legend: the empty swatch, then the scale from lo to hi
	ly := top + 7*ch + 34
	dc.SetColor(Empty)
	dc.DrawRectangle(left, ly, 24, 14)
	dc.Fill()
	hatch(dc, left, ly, 24, 14)
	dc.SetColor(Ink)
	text(dc, s, small, "no attempts", left+30, ly+7, 0, 0.5)
	bx, bw := left+130, 300.0
	if hi > 0 {
		for i := 0.0; i < bw; i++ {
			dc.SetColor(Sequential(1 - i/(bw-1)))
			dc.DrawRectangle(bx+i, ly, 1.5, 14)
			dc.Fill()
		}
		dc.SetColor(Ink)
		text(dc, s, small, Thousands(lo), bx, ly+24, 0, 0.5)
		text(dc, s, small, Thousands(hi), bx+bw, ly+24, 1, 0.5)
	} else {
		dc.SetColor(Faint)
		text(dc, s, small, "no attempts in this period", bx, ly+7, 0, 0.5)
	}
	cell := hm.Cell
	if cell == "" {
		cell = "a cell: the attempts in that hour of that weekday, summed over the period"
	}
	dc.SetColor(Faint)
	text(dc, s, small, cell, bx+bw+20, ly+7, 0, 0.5)
	return dc.Image()
}

// hatch strokes diagonal lines over the rectangle, clipped to it.
func hatch(dc *gg.Context, x, y, w, h float64) {
	dc.Push()
	dc.DrawRectangle(x, y, w, h)
	dc.Clip()
	dc.SetColor(emptyHatch)
	dc.SetLineWidth(1)
	for d := -h; d < w; d += 5 {
		dc.DrawLine(x+d, y+h, x+d+h, y)
	}
	dc.Stroke()
	dc.ResetClip()
	dc.Pop()
}

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
		dc.SetColor(Categorical[0])
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

func drawIcon(dc *gg.Context, img image.Image, x, y, w, h float64) {
	b := img.Bounds()
	k := math.Min(w/float64(b.Dx()), h/float64(b.Dy()))
	dc.Push()
	dc.Translate(x, y+(h-float64(b.Dy())*k)/2)
	dc.Scale(k, k)
	dc.DrawImage(img, 0, 0)
	dc.Pop()
	dc.SetColor(Grid)
	dc.SetLineWidth(0.5)
	dc.DrawRectangle(x, y+(h-float64(b.Dy())*k)/2, float64(b.Dx())*k, float64(b.Dy())*k)
	dc.Stroke()
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
	Values []float64 // one per day
	Color  color.RGBA
}

// Timeline is a stacked area chart of daily counts.
type Timeline struct {
	Title, Subtitle string
	Days            []time.Time
	Series          []Series // bottom first
	Width, Height   int
}

// Draw renders the timeline.
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
	n := len(t.Days)
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
	X := func(i int) float64 {
		if n <= 1 {
			return left
		}
		return left + (right-left)*float64(i)/float64(n-1)
	}
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
	// month ticks
	dc.SetColor(Faint)
	last := -1
	for i, d := range t.Days {
		if d.Day() == 1 || i == 0 {
			if i-last < 8 && last >= 0 {
				continue
			}
			last = i
			dc.SetColor(Grid)
			dc.DrawLine(X(i), bottom, X(i), bottom+4)
			dc.Stroke()
			dc.SetColor(Faint)
			text(dc, s, small, d.Format("Jan 2006"), X(i), bottom+14, 0.5, 0.5)
		}
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
}

// Draw renders the heatmap, darker for more.
func (hm Heatmap) Draw(s Style) image.Image {
	w, h := 960.0, 330.0
	dc := gg.NewContext(int(s.px(w)), int(s.px(h)))
	dc.Scale(scaleOf(s), scaleOf(s))
	dc.SetColor(Background)
	dc.Clear()
	header(dc, s, hm.Title, hm.Subtitle)
	small := newFace(false, s.px(11))
	left, top := 60.0, 80.0
	cw, ch := (w-left-20)/24, 26.0
	maxV := 0.0
	for _, row := range hm.Cells {
		for _, v := range row {
			maxV = math.Max(maxV, v)
		}
	}
	days := []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	for d, row := range hm.Cells {
		dc.SetColor(Ink)
		text(dc, s, small, days[d], left-8, top+float64(d)*ch+ch/2, 1, 0.5)
		for hr, v := range row {
			t := 0.0
			if maxV > 0 {
				t = v / maxV
			}
			dc.SetColor(Sequential(1 - t))
			dc.DrawRectangle(left+float64(hr)*cw+1, top+float64(d)*ch+1, cw-2, ch-2)
			dc.Fill()
		}
	}
	dc.SetColor(Faint)
	for hr := 0; hr < 24; hr += 3 {
		text(dc, s, small, fmt.Sprintf("%02d:00", hr), left+float64(hr)*cw+cw/2, top+7*ch+12, 0.5, 0.5)
	}
	text(dc, s, small, "darkest: "+Thousands(maxV)+" an hour", w-20, top+7*ch+30, 1, 0.5)
	return dc.Image()
}

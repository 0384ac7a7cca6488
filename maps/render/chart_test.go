package render

import (
	"image"
	"image/color"
	"math"
	"testing"
	"time"

	"golang.org/x/image/font"
)

// linear is an sRGB channel in linear light.
func linear(c uint8) float64 {
	v := float64(c) / 255
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// contrast is the WCAG contrast ratio of c against white.
func contrast(c color.RGBA) float64 {
	l := 0.2126*linear(c.R) + 0.7152*linear(c.G) + 0.0722*linear(c.B)
	return 1.05 / (l + 0.05)
}

// cielab is c in CIE L*a*b* (D65).
func cielab(c color.RGBA) [3]float64 {
	r, g, b := linear(c.R), linear(c.G), linear(c.B)
	x := (0.4124*r + 0.3576*g + 0.1805*b) / 0.95047
	y := 0.2126*r + 0.7152*g + 0.0722*b
	z := (0.0193*r + 0.1192*g + 0.9505*b) / 1.08883
	f := func(t float64) float64 {
		if t > 0.008856 {
			return math.Cbrt(t)
		}
		return 7.787*t + 16.0/116
	}
	return [3]float64{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}

// TestPaletteOnWhite: every categorical colour stands on the white
// background as a thin line (contrast at least 3:1, so no yellow) and
// every two differ clearly (CIELAB distance at least 30).
func TestPaletteOnWhite(t *testing.T) {
	if len(Categorical) < 8 {
		t.Errorf("%d categorical colours; the timeline picks more", len(Categorical))
	}
	for i, c := range Categorical {
		if r := contrast(c); r < 3 {
			t.Errorf("colour %d %v: contrast %.2f:1 against white, want at least 3", i, c, r)
		}
		for j := i + 1; j < len(Categorical); j++ {
			a, b := cielab(c), cielab(Categorical[j])
			if d := math.Hypot(math.Hypot(a[0]-b[0], a[1]-b[1]), a[2]-b[2]); d < 30 {
				t.Errorf("colours %d %v and %d %v differ by %.0f in CIELAB, want at least 30", i, c, j, Categorical[j], d)
			}
		}
	}
	seen := map[string]bool{}
	for _, d := range Dashes {
		if seen[d] {
			t.Errorf("dash %q twice", d)
		}
		seen[d] = true
	}
	if OtherCountries == NotLocated {
		t.Error("other countries and not located share a colour")
	}
}

// TestTimeTicks: for any span the axis gets a handful of ticks, in order,
// inside the span, and no two labels overlap.
func TestTimeTicks(t *testing.T) {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	face := newFace(false, 11)
	const px = 870.0
	tests := []struct {
		name     string
		span     time.Duration
		min, max int
	}{
		{"3 hours", 3 * time.Hour, 3, 4},
		{"1 day", 23 * time.Hour, 4, 24},
		{"2 days", 47 * time.Hour, 4, 24},
		{"1 week", 7 * 24 * time.Hour, 4, 14},
		{"2 months", 60 * 24 * time.Hour, 4, 20},
		{"1 year", 365 * 24 * time.Hour, 4, 13},
		{"5 years", 5 * 365 * 24 * time.Hour, 3, 10},
		{"40 years", 40 * 365 * 24 * time.Hour, 3, 10},
	}
	for _, tt := range tests {
		last := start.Add(tt.span)
		ticks := TimeTicks(start, last, px)
		if len(ticks) < tt.min || len(ticks) > tt.max {
			t.Errorf("%s: %d ticks %v, want %d to %d", tt.name, len(ticks), ticks, tt.min, tt.max)
			continue
		}
		t.Logf("%s: %d ticks, %s … %s", tt.name, len(ticks), ticks[0].Label, ticks[len(ticks)-1].Label)
		x := func(tm time.Time) float64 { return px * float64(tm.Sub(start)) / float64(tt.span) }
		w := func(s string) float64 { return float64(font.MeasureString(face, s)) / 64 }
		for i, tk := range ticks {
			if tk.At.Before(start) || tk.At.After(last) || tk.Label == "" {
				t.Errorf("%s: tick %d %v outside the span or unlabelled", tt.name, i, tk)
			}
			if i == 0 {
				continue
			}
			prev := ticks[i-1]
			gap := x(tk.At) - x(prev.At) - (w(tk.Label)+w(prev.Label))/2
			if gap < TickGap {
				t.Errorf("%s: labels %q and %q are %.1f px apart, want at least %d", tt.name, prev.Label, tk.Label, gap, TickGap)
			}
		}
	}
	if got := TimeTicks(start, start, px); len(got) != 1 {
		t.Errorf("an axis of no length: %d ticks, want 1", len(got))
	}
}

// TestHeatColour: a cell without attempts is not the colour of the
// lowest count, and is a quiet grey rather than the loudest colour.
func TestHeatColour(t *testing.T) {
	empty, ok := heatColour(0, 3, 90)
	if ok {
		t.Error("no attempts reads as a count")
	}
	lowest, _ := heatColour(3, 3, 90)
	highest, _ := heatColour(90, 3, 90)
	if lowest == empty {
		t.Error("the lowest count has the empty cell's colour")
	}
	lum := func(c color.RGBA) int { return int(c.R)*299 + int(c.G)*587 + int(c.B)*114 }
	if lum(highest) >= lum(lowest) {
		t.Error("more attempts is not darker")
	}
	chroma := func(c color.RGBA) int {
		return int(max(c.R, c.G, c.B)) - int(min(c.R, c.G, c.B))
	}
	if chroma(empty) > 10 || chroma(empty) >= chroma(lowest) {
		t.Errorf("the empty cell %v is not a quiet grey beside the lowest count %v", empty, lowest)
	}
}

// TestHeatmapDrawsEmptyAndLegend: the drawn empty cell is grey (with its
// hatch), the lowest cell the palest of the scale, and the legend bar
// shows both ends of the scale.
func TestHeatmapDrawsEmptyAndLegend(t *testing.T) {
	var hm Heatmap
	for d := range 7 {
		for h := range 24 {
			hm.Cells[d][h] = float64(10 + d*24 + h)
		}
	}
	hm.Cells[0][0] = 0
	hm.Cells[0][1] = 10
	img := hm.Draw(Style{})
	cw := (960.0 - 60 - 20) / 24
	at := func(x, y float64) color.RGBA {
		r, g, b, _ := img.At(int(x), int(y)).RGBA()
		return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}
	}
	seen := map[color.RGBA]bool{}
	for dx := 2.0; dx < cw-2; dx++ {
		seen[at(60+dx, 80+13)] = true
	}
	for c := range seen {
		if c != Empty && c != emptyHatch && math.Abs(float64(c.R)-float64(c.B)) > 10 {
			t.Errorf("the empty cell has colour %v", c)
		}
	}
	if len(seen) < 2 {
		t.Errorf("the empty cell is not hatched: %v", seen)
	}
	if got := at(60+cw*1.5, 80+13); got != Sequential(1) {
		t.Errorf("the lowest cell is %v, want the palest %v", got, Sequential(1))
	}
	ly := 80 + 7*26 + 34 + 7.0
	bx := 60 + 130.0
	near := func(a, b color.RGBA) bool {
		return math.Abs(float64(a.R)-float64(b.R))+math.Abs(float64(a.G)-float64(b.G))+math.Abs(float64(a.B)-float64(b.B)) < 30
	}
	if lo, hi := at(bx+1, ly), at(bx+298, ly); !near(lo, Sequential(1)) || !near(hi, Sequential(0)) {
		t.Errorf("the legend bar runs from %v to %v, want %v to %v", lo, hi, Sequential(1), Sequential(0))
	}
}

// TestFlagBorder: a white flag is framed in grey at every scale.
func TestFlagBorder(t *testing.T) {
	white := image.NewRGBA(image.Rect(0, 0, 90, 60))
	for i := range white.Pix {
		white.Pix[i] = 255
	}
	for _, k := range []float64{1, 2} {
		img := BarChart{Title: "t", Bars: []Bar{{Label: "Japan", Value: 1, Icon: white}}}.Draw(Style{Scale: k})
		// the flag's box starts at x 20, rows 78+4 to 78+22: its left edge,
		// one unscaled pixel wide, is the border's grey
		y := int((78 + 13) * k)
		for x := int(20 * k); x < int(21*k); x++ {
			if r, g, b, _ := img.At(x, y).RGBA(); math.Abs(float64(r>>8)-float64(FlagBorder.R)) > 20 || r != g || g != b {
				t.Errorf("scale %v: pixel (%d, %d) of the white flag's frame is %d %d %d, want the grey %v", k, x, y, r>>8, g>>8, b>>8, FlagBorder)
			}
		}
		if r, g, b, _ := img.At(int(34*k), y).RGBA(); r>>8 != 255 || g>>8 != 255 || b>>8 != 255 {
			t.Errorf("scale %v: the flag's middle is not white", k)
		}
	}
}

// TestTimelineOneTime: a timeline of one time draws a bar, not nothing.
func TestTimelineOneTime(t *testing.T) {
	tl := Timeline{Title: "t", Times: []time.Time{time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)},
		Series: []Series{{Name: "a", Values: []float64{10}, Color: Categorical[0]}}}
	img := tl.Draw(Style{})
	r, g, b, _ := img.At(505, 300).RGBA()
	if got := (color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}); got != Categorical[0] {
		t.Error("one time drew no bar")
	}
}

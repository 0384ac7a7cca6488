package render

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/maps/geom"
	"github.com/knockmap/knockmap/maps/project"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata")

// golden compares img with testdata/name: the mean difference per channel
// must stay under 1.5 (of 255) and no more than 0.5% of the pixels may
// differ by more than 64, so that font rasterising differences between
// machines pass and a moved bar or a lost label does not.
func golden(t *testing.T, name string, img image.Image) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (go test ./maps/render -update writes it)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if want.Bounds() != img.Bounds() {
		t.Fatalf("%s: size %v, want %v", name, img.Bounds(), want.Bounds())
	}
	var sum float64
	var far, n int
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			d := diff(img.At(x, y), want.At(x, y))
			sum += d
			if d > 64 {
				far++
			}
			n++
		}
	}
	if mean := sum / float64(n); mean > 1.5 || float64(far) > 0.005*float64(n) {
		out := filepath.Join(t.TempDir(), name)
		var buf bytes.Buffer
		png.Encode(&buf, img)
		os.WriteFile(out, buf.Bytes(), 0o644)
		t.Errorf("%s differs from the golden image: mean %.2f, %d pixels far off; got %s", name, mean, far, out)
	}
}

func diff(a, b color.Color) float64 {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	d := math.Abs(float64(r1)-float64(r2)) + math.Abs(float64(g1)-float64(g2)) + math.Abs(float64(b1)-float64(b2))
	return d / 3 / 257
}

func TestBarChartGolden(t *testing.T) {
	flag := image.NewRGBA(image.Rect(0, 0, 100, 60))
	for y := 0; y < 60; y++ {
		for x := 0; x < 100; x++ {
			flag.Set(x, y, []color.RGBA{{200, 16, 46, 255}, {255, 255, 255, 255}, {1, 33, 105, 255}}[y/20])
		}
	}
	c := BarChart{Title: "Top usernames", Subtitle: "failed logins by username", Note: "a note",
		Bars: []Bar{{Label: "root", Value: 12345, Icon: flag}, {Label: "admin", Value: 6000}, {Label: "<script>\x1b[31m", Value: 17}}}
	golden(t, "bars.png", c.Draw(Style{Scale: 1}))
}

func TestTimelineAndHeatmapGolden(t *testing.T) {
	days := make([]time.Time, 60)
	a, b := make([]float64, 60), make([]float64, 60)
	for i := range days {
		days[i] = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		a[i] = float64(100 + 50*math.Sin(float64(i)/5))
		b[i] = float64(i * 3)
	}
	tl := Timeline{Title: "Per day", Times: days, Series: []Series{{Name: "China", Values: a, Color: Categorical[0]}, {Name: "other", Values: b, Color: Other}}}
	golden(t, "timeline.png", tl.Draw(Style{}))
	var hm Heatmap
	hm.Title = "When"
	for d := range 7 {
		for h := range 24 {
			hm.Cells[d][h] = float64(d*24 + h)
		}
	}
	golden(t, "heatmap.png", hm.Draw(Style{}))
}

// pixels is a projection whose longitude and latitude are the unscaled
// pixel's x and y, through pixelFrame.
type pixels struct{}

func (pixels) Project(lon, lat float64) (float64, float64) { return lon, -lat }

var pixelFrame = project.Frame{Proj: pixels{}, Transform: project.Transform{Scale: 1}}

func rgb(img image.Image, x, y float64) (r, g, b uint32) {
	r, g, b, _ = img.At(int(x), int(y)).RGBA()
	return r >> 8, g >> 8, b >> 8
}

// TestMapDrawsWhereTold: shapes are filled and dots appear at their
// coordinates, at any scale.
func TestMapDrawsWhereTold(t *testing.T) {
	for _, k := range []float64{1, 2} {
		sq := geom.MultiPolygon{{{{X: 100, Y: 100}, {X: 300, Y: 100}, {X: 300, Y: 300}, {X: 100, Y: 300}}}}
		m := Map{Title: "t", Frame: pixelFrame, Shapes: []Shape{{Area: sq, Fill: color.RGBA{0, 0, 255, 255}}}, Dots: []Dot{{Lon: 600, Lat: 400, R: 10}}}
		img := m.Draw(Style{Scale: k})
		if got := img.Bounds().Dx(); got != int(960*k) {
			t.Fatalf("scale %v: width %d", k, got)
		}
		if r, g, b := rgb(img, 200*k, 200*k); b < 200 || r > 50 || g > 50 {
			t.Errorf("scale %v: the square is not filled blue", k)
		}
		if r, _, b := rgb(img, 600*k, 400*k); r < 230 || b > 200 {
			t.Errorf("scale %v: no dot at its place (%d,%d)", k, r, b)
		}
		if r, g, b := rgb(img, 800*k, 200*k); r != 255 || g != 255 || b != 255 {
			t.Errorf("scale %v: background is not white", k)
		}
	}
}

// TestMapWorldFrame: a world map fills its globe as sea, leaves the
// corners outside it white, and draws a shape crossing the 180th meridian
// at both edges.
func TestMapWorldFrame(t *testing.T) {
	m := Map{}
	m.Frame = project.WorldFrame(m.Box())
	fiji := geom.MultiPolygon{{{{X: 170, Y: -10}, {X: -170, Y: -10}, {X: -170, Y: -30}, {X: 170, Y: -30}}}}
	m.Shapes = []Shape{{Area: fiji, Fill: color.RGBA{0, 0, 255, 255}}}
	img := m.Draw(Style{})
	blue := func(p geom.Point) bool { r, g, b := rgb(img, p.X, p.Y); return b > 200 && r < 60 && g < 60 }
	for _, lon := range []float64{175, -175} {
		if p := m.Frame.At(lon, -20); !blue(p) {
			t.Errorf("Fiji's piece at %v° is not drawn (%v)", lon, p)
		}
	}
	if p := m.Frame.At(0, -20); blue(p) {
		t.Error("Fiji is smeared across the map")
	}
	if r, g, b := rgb(img, m.Frame.At(-30, 0).X, m.Frame.At(-30, 0).Y); r != uint32(Sea.R) || g != uint32(Sea.G) || b != uint32(Sea.B) {
		t.Errorf("the Atlantic is %d,%d,%d, not the sea's colour", r, g, b)
	}
	if r, g, b := rgb(img, 20, 80); r != 255 || g != 255 || b != 255 {
		t.Errorf("outside the globe is %d,%d,%d, not white", r, g, b)
	}
}

// TestMapMarkers: a Mark shape too small to see gets a disc in its fill
// at its centroid, as does one with no polygon at its At; a large one, and
// a small one not asking for a mark, get none.
func TestMapMarkers(t *testing.T) {
	fill := color.RGBA{200, 0, 200, 255}
	square := func(x, y, side float64) geom.MultiPolygon {
		return geom.MultiPolygon{{{{X: x, Y: y}, {X: x + side, Y: y}, {X: x + side, Y: y + side}, {X: x, Y: y + side}}}}
	}
	tests := []struct {
		name   string
		shape  Shape
		at     geom.Point // where a marker would be
		marked bool
	}{
		{"tiny", Shape{Area: square(200, 200, 2), Mark: true}, geom.Point{X: 201, Y: 201}, true},
		{"no polygon", Shape{At: &geom.Point{X: 400, Y: 300}, Mark: true}, geom.Point{X: 400, Y: 300}, true},
		{"unasked", Shape{Area: square(600, 200, 2)}, geom.Point{X: 601, Y: 201}, false},
		{"large", Shape{Area: square(100, 400, 40), Mark: true}, geom.Point{X: 120, Y: 420}, false},
	}
	near := func(a, b uint32) bool { return a+8 >= b && b+8 >= a }
	for _, tt := range tests {
		sh := tt.shape
		sh.Fill = fill
		for _, k := range []float64{1, 2} {
			img := Map{Frame: pixelFrame, Shapes: []Shape{sh}}.Draw(Style{Scale: k})
			// the outline: dark at the disc's top
			r, g, b := rgb(img, tt.at.X*k, (tt.at.Y-markRadius)*k-0.5)
			if dark := r < 120 && g < 120 && b < 120; dark != tt.marked {
				t.Errorf("%s, scale %v: the marker's top is %d,%d,%d; marked %v, want %v", tt.name, k, r, g, b, dark, tt.marked)
			}
			// the fill: beside the centre, outside a tiny shape, inside
			// the disc
			if !tt.marked {
				continue
			}
			if r, g, b := rgb(img, (tt.at.X+2)*k, tt.at.Y*k); !near(r, 200) || !near(g, 0) || !near(b, 200) {
				t.Errorf("%s, scale %v: the marker is %d,%d,%d, not the shape's fill", tt.name, k, r, g, b)
			}
		}
	}
}

func TestLabel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"root", "root"},
		{"a\x1b[31mb", `a\x1b[31mb`},
		{"x\ry", `x\ry`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"admin\u202egnp", `admin\u202egnp`},
		{strings.Repeat("a", 50), strings.Repeat("a", 10) + "…"},
	}
	for _, tt := range tests {
		max := 32
		if len(tt.in) == 50 {
			max = 10
		}
		if got := Label(tt.in, max); got != tt.want {
			t.Errorf("Label(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestThousands(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := Thousands(v); got != want {
			t.Errorf("Thousands(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestChoroplethScale(t *testing.T) {
	if Choropleth(0, 100) != NoData {
		t.Error("no attempts is not the no-data grey")
	}
	lo, hi := Choropleth(1, 1000), Choropleth(1000, 1000)
	lum := func(c color.RGBA) int { return int(c.R)*299 + int(c.G)*587 + int(c.B)*114 }
	if lum(hi) >= lum(lo) {
		t.Error("more attempts is not darker")
	}
}

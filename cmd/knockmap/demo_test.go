//go:build duckdb_arrow

package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoPictures: the demo, with no GeoIP database on the machine and no
// way out to the network, writes a page whose every picture has content:
// each PNG has data colours over a meaningful part of it, each map has
// dots, the bar charts have bars, and nothing says there is no data.
func TestDemoPictures(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("KNOCKMAP_GEOIP", filepath.Join(home, "no-such-geoip"))
	for _, v := range []string{"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"} {
		t.Setenv(v, "http://127.0.0.1:9") // discard: a request would fail, not reach out
	}
	t.Setenv("NO_PROXY", "")
	out := filepath.Join(t.TempDir(), "demo")
	root := newRoot()
	var stdout bytes.Buffer
	root.SetOut(&stdout)
	root.SetErr(&stdout)
	root.SetArgs([]string{"demo", "--out", out})
	if err := root.Execute(); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	dir := filepath.Join(out, "report")
	html, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, no := range []string{"no data", "no coordinates", "No ASN database", "no located attempts"} {
		if bytes.Contains(html, []byte(no)) {
			t.Errorf("index.html says %q", no)
		}
	}
	for _, credit := range []string{"DB-IP", "RouteViews"} {
		if !bytes.Contains(html, []byte(credit)) {
			t.Errorf("index.html does not credit %s", credit)
		}
	}

	pngs, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	kinds := map[string]int{}
	for _, path := range pngs {
		name := filepath.Base(path)
		img := readPNG(t, path)
		c := countPixels(img)
		kind := pictureKind(name)
		kinds[kind]++
		t.Logf("%s (%s): %dx%d, %d colours, %.1f%% off the commonest colour, %d data pixels, %d dot pixels",
			name, kind, c.w, c.h, c.colours, 100*c.offBackground, c.data, c.dots)
		if c.colours < 2 || c.offBackground < 0.02 {
			t.Errorf("%s is blank: %d colours, %.2f%% of it off the commonest colour", name, c.colours, 100*c.offBackground)
		}
		switch kind {
		case "dot map":
			// a dot of the smallest radius covers about 30 pixels
			if c.dots < 100 {
				t.Errorf("%s has %d pixels of the dot colour in its map area, want dots", name, c.dots)
			}
		default:
			// bars, filled countries, areas and cells: 0.5% of the picture
			if c.data < c.w*c.h/200 {
				t.Errorf("%s has %d pixels of data colours in %dx%d, want bars, areas or cells", name, c.data, c.w, c.h)
			}
		}
	}
	for _, want := range []struct {
		kind string
		n    int
	}{{"dot map", 6}, {"chart", 6}, {"choropleth", 1}} { // world and US cities, AK, HI, DC, PR
		if kinds[want.kind] < want.n {
			t.Errorf("%d pictures of kind %s, want at least %d (%v)", kinds[want.kind], want.kind, want.n, kinds)
		}
	}
}

// pictureKind sorts the report's pictures by what shows their data.
func pictureKind(name string) string {
	switch {
	case name == "world.png":
		return "choropleth"
	case strings.HasSuffix(name, "-cities.png") || strings.HasPrefix(name, "state-"):
		return "dot map"
	}
	return "chart"
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

type pixelCount struct {
	w, h, colours int
	offBackground float64 // the share of pixels not of the commonest colour
	data          int     // saturated pixels: bars, choropleth fills, areas, cells, flags
	dots          int     // vermillion-tinted pixels in the map area (the translucent dots)
}

// countPixels counts the colours of img; dots are counted between the
// title (top 70 px) and the legend (bottom 50 px).
func countPixels(img image.Image) pixelCount {
	b := img.Bounds()
	c := pixelCount{w: b.Dx(), h: b.Dy()}
	hist := map[[3]uint8]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r32, g32, b32, _ := img.At(x, y).RGBA()
			r, g, bl := int(r32>>8), int(g32>>8), int(b32>>8)
			hist[[3]uint8{uint8(r), uint8(g), uint8(bl)}]++
			if max(r, g, bl)-min(r, g, bl) > 60 {
				c.data++
			}
			inMap := y-b.Min.Y >= 70 && b.Max.Y-y > 50
			if inMap && r >= 150 && r-g > 25 && g-bl > 15 {
				c.dots++
			}
		}
	}
	most := 0
	for _, n := range hist {
		most = max(most, n)
	}
	c.colours = len(hist)
	c.offBackground = 1 - float64(most)/float64(c.w*c.h)
	return c
}

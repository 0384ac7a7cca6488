// Package render draws knockmap's pictures with fogleman/gg: bar charts,
// a daily timeline, a weekday-by-hour heatmap, and maps (choropleth and dot
// maps) of already projected shapes. It owns the one font (Go's, embedded)
// and the one palette; it knows nothing of databases or files.
package render

import (
	"image/color"
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// Style sets the size of everything: Scale 2 draws each picture at twice
// the pixels, for high-density screens and print.
type Style struct {
	Scale float64
}

func (s Style) px(v float64) float64 {
	if s.Scale <= 0 {
		return v
	}
	return v * s.Scale
}

var (
	fontOnce      sync.Once
	regular, bold *truetype.Font
)

// newFace returns Go's font at size points (already scaled). A face is for
// one goroutine at a time, so each picture makes its own.
func newFace(isBold bool, size float64) font.Face {
	fontOnce.Do(func() {
		regular, _ = truetype.Parse(goregular.TTF)
		bold, _ = truetype.Parse(gobold.TTF)
	})
	f := regular
	if isBold {
		f = bold
	}
	return truetype.NewFace(f, &truetype.Options{Size: size, Hinting: font.HintingFull})
}

// Colours: for categories, Okabe-Ito's hues that stand on white and Paul
// Tol's (muted and vibrant) for the rest, distinguishable with the common
// forms of colour blindness; each has a contrast of at least 3:1 against
// the white background (no yellow, orange or sky blue, which vanish as thin
// lines) and they differ pairwise by at least 30 in CIELAB. Viridis for
// quantities.
var (
	Categorical = []color.RGBA{
		{0, 114, 178, 255},   // Okabe-Ito blue
		{213, 94, 0, 255},    // Okabe-Ito vermillion
		{0, 158, 115, 255},   // Okabe-Ito bluish green
		{204, 121, 167, 255}, // Okabe-Ito reddish purple
		{51, 34, 136, 255},   // Tol indigo
		{153, 153, 51, 255},  // Tol olive
		{136, 34, 85, 255},   // Tol wine
		{238, 51, 119, 255},  // Tol magenta
		{0, 0, 0, 255},       // black
	}
	// Dashes are the line patterns (SVG stroke-dasharray) that, with the
	// palette, tell up to len(Categorical)*len(Dashes) lines apart: the
	// first round of colours is solid, the next dashed, and so on.
	Dashes = []string{"", "6 3", "2 2", "8 3 2 3", "1 4"}
	// OtherCountries is the band of the countries outside the top N;
	// NotLocated of the attempts whose address has no country.
	OtherCountries = color.RGBA{118, 118, 118, 255}
	NotLocated     = color.RGBA{200, 200, 200, 255}
	Other          = color.RGBA{170, 170, 170, 255} // "other" and "none"
	Ink            = color.RGBA{34, 34, 34, 255}
	Faint          = color.RGBA{110, 110, 110, 255}
	Grid           = color.RGBA{225, 225, 225, 255}
	Background     = color.RGBA{255, 255, 255, 255}
	Sea            = color.RGBA{240, 244, 248, 255}
	NoData         = color.RGBA{215, 215, 215, 255}
	Border         = color.RGBA{255, 255, 255, 255}
	DotColor       = color.RGBA{213, 94, 0, 255} // vermillion
)

// viridis at nine even stops.
var viridis = []color.RGBA{
	{68, 1, 84, 255}, {71, 44, 122, 255}, {59, 81, 139, 255}, {44, 113, 142, 255},
	{33, 144, 141, 255}, {39, 173, 129, 255}, {92, 200, 99, 255}, {170, 220, 50, 255},
	{253, 231, 37, 255},
}

// Sequential returns the viridis colour at t in [0, 1], 0 dark, 1 light;
// maps use it reversed so that more is darker.
func Sequential(t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	f := t * float64(len(viridis)-1)
	i := int(f)
	if i >= len(viridis)-1 {
		return viridis[len(viridis)-1]
	}
	a, b, u := viridis[i], viridis[i+1], f-float64(i)
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*u)) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}

// Label makes attacker-controlled text safe and short for a picture:
// control characters and invalid UTF-8 become visible escapes (\x1b, \r),
// and long text is cut with an ellipsis after max runes.
func Label(s string, max int) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x` + hex2(s[i]))
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case unicode.IsControl(r) || r == 0x2028 || r == 0x2029 || unicode.Is(unicode.Bidi_Control, r):
			if r < 0x100 {
				b.WriteString(`\x` + hex2(byte(r)))
			} else {
				b.WriteString(`\u` + hex2(byte(r>>8)) + hex2(byte(r)))
			}
		default:
			b.WriteRune(r)
		}
		i += size
		n++
		if n >= max && i < len(s) {
			b.WriteString("…")
			break
		}
	}
	return b.String()
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

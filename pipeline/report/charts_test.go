//go:build duckdb_arrow

package report

import (
	"context"
	"fmt"
	"image/color"
	"testing"
	"time"

	"github.com/knockmap/knockmap/maps/render"
	"github.com/knockmap/knockmap/pipeline/geoip"
)

// oneDayDB holds a day of failed logins, every hour from 00 to 23, from
// London, Sydney and a private address (which no database locates).
func oneDayDB(t *testing.T) *Data {
	t.Helper()
	dbs, err := geoip.OpenAll([]string{writeCityDB(t)}, true)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for h := range 24 {
		for k, ip := range []string{"81.2.69.7", "1.0.0.7", "10.1.2.3"} {
			lines = append(lines, fmt.Sprintf("Mar  4 %02d:%02d:07 pi sshd[%d]: Failed password for root from %s port %d ssh2", h, 10*k, 100+h*3+k, ip, 40000+h))
		}
	}
	db := logDB(t, lines, geoip.NewLocator(dbs))
	d, err := load(context.Background(), db.DB, period{since: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), until: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestOneDayTimeline: a log of one day is drawn by the hour, 24 points
// with their areas filled, its axis marked in hours; not as one day of
// no width.
func TestOneDayTimeline(t *testing.T) {
	d := oneDayDB(t)
	ts := timeSeries(d, topCodes(d.ByCountry, 6))
	if ts.unit != "hour" || len(ts.times) != 24 {
		t.Fatalf("one day: %d times by the %s, want 24 by the hour", len(ts.times), ts.unit)
	}
	img := render.Timeline{Title: "t", Times: ts.times, Series: ts.series}.Draw(render.Style{})
	// the plot is x 70..940, y 100..380: count its pixels of a band's colour
	bands := map[color.RGBA]bool{}
	for _, s := range ts.series {
		bands[s.Color] = true
	}
	drawn := 0
	for y := 100; y < 380; y += 2 {
		for x := 70; x < 940; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			if bands[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}] {
				drawn++
			}
		}
	}
	if drawn < 1000 {
		t.Errorf("one day: %d sampled pixels of the bands, want the plot filled", drawn)
	}
	page := timelineData(d)
	if page.Unit != "hour" || len(page.Days) != 24 || page.Days[0] != "2026-03-04 00:00" {
		t.Errorf("page timeline: %s, %d times from %q", page.Unit, len(page.Days), page.Days[0])
	}
	if len(page.Ticks) < 4 {
		t.Errorf("page timeline: ticks %v", page.Ticks)
	}
	for _, tk := range page.Ticks {
		if tk.I < 0 || tk.I >= len(page.Days) {
			t.Errorf("page tick %v outside the times", tk)
		}
	}
	// a long span stays by the day
	long := &Data{Daily: []Day{{Day: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), N: 1}, {Day: time.Date(2026, 1, 9, 0, 0, 0, 0, time.UTC), N: 1}}}
	if ts := timeSeries(long, nil); ts.unit != "day" || len(ts.times) != 9 {
		t.Errorf("nine days: %d times by the %s", len(ts.times), ts.unit)
	}
}

// TestOtherApartFromNotLocated: the countries outside the top and the
// attempts of no known country are two bars and two bands, with their own
// labels, colours and codes.
func TestOtherApartFromNotLocated(t *testing.T) {
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name              string
		d                 Data
		other, notLocated int64 // 0: no such bar or band
	}{
		{"both", Data{
			Totals:    Totals{Attempts: 100},
			Countries: []Count{{Code: "CN", N: 50}},
			ByCountry: []Count{{Code: "CN", N: 50}, {Code: "FR", N: 30}},
			Daily:     []Day{{Day: day, Code: "CN", N: 50}, {Day: day, Code: "FR", N: 30}, {Day: day, Code: "", N: 20}},
		}, 30, 20},
		{"only not located", Data{
			Totals:    Totals{Attempts: 60},
			Countries: []Count{{Code: "CN", N: 50}},
			ByCountry: []Count{{Code: "CN", N: 50}},
			Daily:     []Day{{Day: day, Code: "CN", N: 50}, {Day: day, Code: "", N: 10}},
		}, 0, 10},
		{"only other", Data{
			Totals:    Totals{Attempts: 80},
			Countries: []Count{{Code: "CN", N: 50}},
			ByCountry: []Count{{Code: "CN", N: 50}, {Code: "FR", N: 30}},
			Daily:     []Day{{Day: day, Code: "CN", N: 50}, {Day: day, Code: "FR", N: 30}},
		}, 30, 0},
	}
	for _, tt := range tests {
		bars := map[string]render.Bar{}
		for _, b := range countryBars(&tt.d) {
			bars[b.Label] = b
		}
		ts := timeSeries(&tt.d, tt.d.Countries)
		bands := map[string]render.Series{}
		for _, s := range ts.series {
			bands[s.Name] = s
		}
		codes := map[string]int64{}
		for _, s := range timelineData(&tt.d).Series {
			codes[s.Code] = s.Total
		}
		for _, c := range []struct {
			label, code string
			want        int64
			colour      color.RGBA
		}{{otherLabel, "other", tt.other, render.OtherCountries}, {notLocatedLabel, "unlocated", tt.notLocated, render.NotLocated}} {
			b, ok := bars[c.label]
			if ok != (c.want > 0) || int64(b.Value) != c.want || ok && b.Color != c.colour {
				t.Errorf("%s: bar %q %+v, want %d in %v", tt.name, c.label, b, c.want, c.colour)
			}
			s, ok := bands[c.label]
			if ok != (c.want > 0) || ok && (s.Values[0] != float64(c.want) || s.Color != c.colour) {
				t.Errorf("%s: band %q %+v, want %d in %v", tt.name, c.label, s, c.want, c.colour)
			}
			// the page shows 40 countries: here every country is its own line
			if c.code == "unlocated" && codes[c.code] != c.want {
				t.Errorf("%s: page series %q totals %d, want %d", tt.name, c.code, codes[c.code], c.want)
			}
		}
	}
}

// TestTimelineLineStyles: every series the page gets has a colour (and
// dash) of its own, up to the most countries it shows.
func TestTimelineLineStyles(t *testing.T) {
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := &Data{Totals: Totals{Attempts: 10_000}}
	var all int64
	for i := range maxTimelineCountries + 5 {
		code := string(rune('A'+i/26)) + string(rune('A'+i%26))
		n := int64(200 - i)
		d.ByCountry = append(d.ByCountry, Count{Code: code, Label: code, N: n})
		d.Daily = append(d.Daily, Day{Day: day, Code: code, N: n})
		all += n
	}
	d.Daily = append(d.Daily, Day{Day: day, Code: "", N: d.Totals.Attempts - all})
	seen := map[string]string{}
	page := timelineData(d)
	if len(page.Series) != maxTimelineCountries+2 {
		t.Fatalf("%d series, want %d countries, other and not located", len(page.Series), maxTimelineCountries)
	}
	for _, s := range page.Series {
		if len(s.Colour) != 7 || s.Colour[0] != '#' {
			t.Errorf("%s: colour %q", s.Code, s.Colour)
		}
		style := s.Colour + " " + s.Dash
		if prev, ok := seen[style]; ok {
			t.Errorf("%s and %s are both drawn %q", prev, s.Code, style)
		}
		seen[style] = s.Code
	}
	codes := map[string]bool{}
	for _, s := range page.Series {
		codes[s.Code] = true
	}
	if !codes["other"] || !codes["unlocated"] {
		t.Errorf("the page lacks the other countries or the not located: %v", codes)
	}
}

package report

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/knockmap/knockmap/maps/basemap"
	"github.com/knockmap/knockmap/maps/geom"
	"github.com/knockmap/knockmap/maps/project"
	"github.com/knockmap/knockmap/maps/render"
)

// Picture is one image of the report.
type Picture struct {
	File  string // name in the output folder
	Title string
	Alt   string
	draw  func(render.Style) image.Image
}

func bars(cs []Count, flags bool) []render.Bar {
	out := make([]render.Bar, len(cs))
	for i, c := range cs {
		out[i] = render.Bar{Label: c.Label, Value: float64(c.N)}
		if flags {
			out[i].Icon = basemap.Flag(c.Code)
		}
	}
	return out
}

// The two bands that are not one country: they are kept apart, so that
// the countries outside the top never hide the attempts not located.
const (
	otherLabel      = "other countries"
	notLocatedLabel = "not located"
)

// countryBars are the top countries with their flags, then the attempts
// from every other country and those from addresses of no known country,
// as two bars in their own colours (each only when it has attempts).
func countryBars(d *Data) []render.Bar {
	out := bars(d.Countries, true)
	var top, all int64
	for _, c := range d.Countries {
		top += c.N
	}
	for _, c := range d.ByCountry {
		all += c.N
	}
	if n := all - top; n > 0 {
		out = append(out, render.Bar{Label: otherLabel, Value: float64(n), Color: render.OtherCountries})
	}
	if n := d.Totals.Attempts - all; n > 0 {
		out = append(out, render.Bar{Label: notLocatedLabel, Value: float64(n), Color: render.NotLocated})
	}
	return out
}

// charts are the pictures that need no basemap.
func charts(d *Data, span string) []Picture {
	top := topCodes(d.ByCountry, 6)
	ts := timeSeries(d, top)
	return []Picture{
		{File: "ports.png", Title: "Top source ports", Alt: "Bar chart of the clients' source ports most used",
			draw: func(s render.Style) image.Image {
				return render.BarChart{Title: "Top source ports", Subtitle: "failed logins by the client's source port, " + span,
					Note: "The source port is chosen by the connecting system; the server's port is 22, which is why 22 is rare here.",
					Bars: bars(d.Ports, false)}.Draw(s)
			}},
		{File: "usernames.png", Title: "Top usernames", Alt: "Bar chart of the usernames most tried",
			draw: func(s render.Style) image.Image {
				return render.BarChart{Title: "Top usernames", Subtitle: "failed logins by the username tried, " + span,
					Bars: bars(d.Usernames, false)}.Draw(s)
			}},
		{File: "countries.png", Title: "Top countries", Alt: "Bar chart of the countries most attempts come from, with flags",
			draw: func(s render.Style) image.Image {
				return render.BarChart{Title: "Top countries", Subtitle: "failed logins by the country of the source address, " + span,
					Note: "IP geolocation gives a nominal location: where an address block is registered or routed.",
					Bars: countryBars(d)}.Draw(s)
			}},
		{File: "asns.png", Title: "Top networks", Alt: "Bar chart of the autonomous systems most attempts come from",
			draw: func(s render.Style) image.Image {
				note := ""
				if len(d.ASNs) == 0 {
					note = "No ASN database: `knockmap geoip update` fetches one."
				}
				return render.BarChart{Title: "Top networks (ASNs)", Subtitle: "failed logins by the autonomous system of the source address, " + span,
					Note: note, Bars: bars(d.ASNs, false)}.Draw(s)
			}},
		{File: "timeline.png", Title: ts.title("Attempts"), Alt: "Stacked area chart of attempts per " + ts.unit + " by country",
			draw: func(s render.Style) image.Image {
				return render.Timeline{Title: ts.title("Failed logins"), Subtitle: "stacked by the top countries (UTC " + ts.unit + "s), " + span,
					Times: ts.times, Series: ts.series}.Draw(s)
			}},
		{File: "heatmap.png", Title: "Weekday and hour", Alt: "Heatmap of attempts by weekday and hour",
			draw: func(s render.Style) image.Image {
				return render.Heatmap{Title: "When they try", Subtitle: "failed logins by weekday and hour (UTC), " + span, Cells: d.Hours,
					Cell: "a cell: the attempts in that hour of that weekday, summed over the whole period"}.Draw(s)
			}},
	}
}

// topCodes are the n countries with most attempts.
func topCodes(cs []Count, n int) []Count {
	if len(cs) > n {
		return cs[:n]
	}
	return cs
}

// series are counts over evenly spaced times, one band per top country,
// then the other countries' and the not located attempts.
type series struct {
	unit   string // "day" or "hour"
	step   time.Duration
	times  []time.Time
	series []render.Series
	codes  []string // per band: the country's code, "other" or "unlocated"
}

func (s series) title(what string) string { return what + " per " + s.unit }

// lineStyle is the colour and dash of the i-th country's line: the palette
// once solid, then again with each dash in turn.
func lineStyle(i int) (color.RGBA, string) {
	n := len(render.Categorical)
	return render.Categorical[i%n], render.Dashes[(i/n)%len(render.Dashes)]
}

// timeSeries makes one band per top country, one for the other countries
// and one for the attempts not located (these two only when they have
// attempts), over every hour from the first to the last when the report
// counted by the hour (Data.Hourly), else over every day.
func timeSeries(d *Data, top []Count) series {
	s := series{unit: "day", step: 24 * time.Hour}
	counts := d.Daily
	if len(d.Hourly) > 0 {
		s.unit, s.step, counts = "hour", time.Hour, d.Hourly
	}
	if len(counts) == 0 {
		return s
	}
	first, last := counts[0].Day, counts[0].Day
	for _, x := range counts {
		if x.Day.Before(first) {
			first = x.Day
		}
		if x.Day.After(last) {
			last = x.Day
		}
	}
	n := int(last.Sub(first)/s.step) + 1
	s.times = make([]time.Time, n)
	for i := range s.times {
		s.times[i] = first.Add(time.Duration(i) * s.step)
	}
	idx := map[string]int{}
	for i, c := range top {
		idx[c.Code] = i
		col, _ := lineStyle(i)
		s.series = append(s.series, render.Series{Name: c.Label, Values: make([]float64, n), Color: col})
		s.codes = append(s.codes, c.Code)
	}
	other := render.Series{Name: otherLabel, Values: make([]float64, n), Color: render.OtherCountries}
	none := render.Series{Name: notLocatedLabel, Values: make([]float64, n), Color: render.NotLocated}
	var nOther, nNone int64
	for _, x := range counts {
		i := int(x.Day.Sub(first) / s.step)
		switch k, ok := idx[x.Code]; {
		case ok:
			s.series[k].Values[i] += float64(x.N)
		case x.Code == "":
			none.Values[i] += float64(x.N)
			nNone += x.N
		default:
			other.Values[i] += float64(x.N)
			nOther += x.N
		}
	}
	if nOther > 0 {
		s.series = append(s.series, other)
		s.codes = append(s.codes, "other")
	}
	if nNone > 0 {
		s.series = append(s.series, none)
		s.codes = append(s.codes, "unlocated")
	}
	return s
}

// frame maps projected coordinates into a map's frame.
type frame struct {
	proj          project.Projection
	scale, ox, oy float64
}

// fitFrame fits the projected extent of shapes into the rectangle f.
func fitFrame(p project.Projection, shapes []geom.MultiPolygon, f geom.Bounds) frame {
	b := geom.Empty()
	for _, m := range shapes {
		for _, poly := range m {
			for _, r := range poly {
				for _, pt := range r {
					x, y := p.Project(pt.X, pt.Y)
					if !math.IsNaN(x) && !math.IsNaN(y) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
						b = b.Extend(geom.Point{X: x, Y: y})
					}
				}
			}
		}
	}
	if b.IsEmpty() || b.Width() == 0 || b.Height() == 0 {
		return frame{proj: p, scale: 1}
	}
	s := math.Min(f.Width()/b.Width(), f.Height()/b.Height())
	// centre; y flips (projected y is up, pixels down)
	ox := f.Min.X + (f.Width()-b.Width()*s)/2 - b.Min.X*s
	oy := f.Min.Y + (f.Height()-b.Height()*s)/2 + b.Max.Y*s
	return frame{proj: p, scale: s, ox: ox, oy: oy}
}

func (fr frame) at(lon, lat float64) geom.Point {
	x, y := fr.proj.Project(lon, lat)
	return geom.Point{X: fr.ox + x*fr.scale, Y: fr.oy - y*fr.scale}
}

// linearEqualEarth is Equal Earth centred on Greenwich without wrapping
// longitudes into ±180, so that a shape drawn beyond the edge stays beyond
// it (x is proportional to longitude in Equal Earth).
type linearEqualEarth struct{}

func (linearEqualEarth) Project(lon, lat float64) (x, y float64) {
	x, y = project.EqualEarth{}.Project(90, lat)
	return x * lon / 90, y
}

// worldRings projects rings for a whole-world map. A ring that crosses the
// 180th meridian (Chukotka, Fiji) is made continuous and drawn twice, once
// on each side; the map's outline clips what falls beyond the edge. A ring
// around a pole (Antarctica) is drawn as it is.
func (fr frame) worldRings(m geom.MultiPolygon) []geom.Ring {
	var out []geom.Ring
	for _, poly := range m {
		for _, r := range poly {
			if len(r) == 0 {
				continue
			}
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
				out = append(out, fr.ring(r, 0))
				continue
			}
			b := geom.Empty()
			for _, p := range un {
				b = b.Extend(p)
			}
			out = append(out, fr.ring(un, 0))
			if b.Max.X > 180 {
				out = append(out, fr.ring(un, -360))
			}
			if b.Min.X < -180 {
				out = append(out, fr.ring(un, 360))
			}
		}
	}
	return out
}

// ring projects r shifted by shift degrees of longitude; the projection
// is asked for longitudes beyond ±180 as they are, so it must not wrap.
func (fr frame) ring(r geom.Ring, shift float64) geom.Ring {
	pr := make(geom.Ring, len(r))
	for i, pt := range r {
		pr[i] = fr.at(pt.X+shift, pt.Y)
	}
	return pr
}

// outline is the edge of the globe: the meridians ±180 from pole to pole.
func (fr frame) outline() geom.Ring {
	var r geom.Ring
	for lat := -90.0; lat <= 90; lat += 2 {
		r = append(r, fr.at(-180, lat))
	}
	for lat := 90.0; lat >= -90; lat -= 2 {
		r = append(r, fr.at(180, lat))
	}
	return r
}

func (fr frame) rings(m geom.MultiPolygon) []geom.Ring {
	var out []geom.Ring
	for _, poly := range m {
		for _, r := range poly {
			pr := make(geom.Ring, len(r))
			for i, pt := range r {
				pr[i] = fr.at(pt.X, pt.Y)
			}
			out = append(out, pr)
		}
	}
	return out
}

// dotRadius makes a disc's area proportional to its count, the largest
// maxR pixels across.
func dotRadius(max int64, maxR float64) func(float64) float64 {
	return func(n float64) float64 {
		if max <= 0 {
			return 2
		}
		return math.Max(1.5, maxR*math.Sqrt(n/float64(max)))
	}
}

func dots(fr frame, places []Place, r func(float64) float64, keep func(Place) bool) []render.Dot {
	var out []render.Dot
	// largest first, so that small dots stay visible on top
	sorted := append([]Place(nil), places...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].N > sorted[j].N })
	for _, p := range sorted {
		if keep != nil && !keep(p) {
			continue
		}
		pt := fr.at(p.Lon, p.Lat)
		if math.IsNaN(pt.X) || math.IsNaN(pt.Y) {
			continue
		}
		out = append(out, render.Dot{X: pt.X, Y: pt.Y, R: r(float64(p.N))})
	}
	return out
}

// sampleCounts are the counts the dot legend shows.
func sampleCounts(max int64) []float64 {
	if max <= 0 {
		return nil
	}
	var out []float64
	for v := math.Pow(10, math.Floor(math.Log10(float64(max)))); v >= 1 && len(out) < 3; v /= 10 {
		out = append([]float64{v}, out...)
	}
	return out
}

func maxN(places []Place, keep func(Place) bool) int64 {
	var m int64
	for _, p := range places {
		if (keep == nil || keep(p)) && p.N > m {
			m = p.N
		}
	}
	return m
}

// worldFrame fits the whole globe into a world map's frame.
func worldFrame() frame {
	var globe geom.Ring
	for lat := -90.0; lat <= 90; lat += 2 {
		globe = append(globe, geom.Point{X: -180, Y: lat}, geom.Point{X: 180, Y: lat})
	}
	return fitFrame(linearEqualEarth{}, []geom.MultiPolygon{{{globe}}}, render.Map{}.Frame())
}

// usFrame fits the conterminous states into the US map's frame.
func usFrame(states []basemap.Area) frame {
	var lower []geom.MultiPolygon
	for _, a := range states {
		if basemap.Conterminous(a.Code) {
			lower = append(lower, a.Shape)
		}
	}
	return fitFrame(project.USAlbers(), lower, render.Map{}.Frame())
}

// stateMap is the size of a state's own map.
var stateMap = render.Map{Width: 720, Height: 560}

// stateFrame fits one state or territory into its own map, projected for
// its extent.
func stateFrame(a basemap.Area) frame {
	// Alaska's Aleutians cross the 180th meridian: bounds unwrapped
	// around the state's own middle
	proj := project.ForBounds(project.UnwrappedBounds(a.Shape))
	return fitFrame(proj, []geom.MultiPolygon{a.Shape}, stateMap.Frame())
}

// worldMaps are the choropleth and the world dot map.
func worldMaps(d *Data, world []basemap.Area, span string) []Picture {
	counts := map[string]int64{}
	var max int64
	for _, c := range d.ByCountry {
		counts[c.Code] = c.N
		max = int64(math.Max(float64(max), float64(c.N)))
	}
	shapes := make([]geom.MultiPolygon, len(world))
	for i, a := range world {
		shapes[i] = a.Shape
	}
	fr := worldFrame()
	grey := make([]render.Shape, len(world))
	coloured := make([]render.Shape, len(world))
	outline := fr.outline()
	for i, a := range world {
		rings := fr.worldRings(a.Shape)
		grey[i] = render.Shape{Rings: rings, Fill: render.NoData}
		coloured[i] = render.Shape{Rings: rings, Fill: render.Choropleth(float64(counts[a.Code]), float64(max))}
	}
	placeMax := maxN(d.Places, nil)
	r := dotRadius(placeMax, 16)
	return []Picture{
		{File: "world.png", Title: "Attempts by country", Alt: "World map coloured by the number of attempts from each country",
			draw: func(s render.Style) image.Image {
				return render.Map{Title: "Failed logins by country", Subtitle: span + " · Equal Earth projection",
					Outline: outline, Shapes: coloured, Legend: &render.Legend{Label: "failed logins", Max: float64(max)},
					Note: "nominal locations from IP geolocation"}.Draw(s)
			}},
		{File: "world-cities.png", Title: "Attempts by city", Alt: "World map with a dot for each located place, sized by attempts",
			draw: func(s render.Style) image.Image {
				note := "nominal locations from IP geolocation"
				if len(d.Places) == 0 {
					note = "no coordinates: `knockmap geoip update` fetches a city database"
				}
				return render.Map{Title: "Failed logins by place", Subtitle: span + " · disc area by attempts",
					Outline: outline, Shapes: grey, Dots: dots(fr, d.Places, r, nil), DotLegend: sampleCounts(placeMax), DotRadius: r, Note: note}.Draw(s)
			}},
	}
}

// stateOf says which US state or territory a place is in, by the region
// name its database gave or, for territories, its country code.
func stateOf(states []basemap.Area) func(Place) string {
	byName := map[string]string{}
	for _, a := range states {
		byName[strings.ToLower(a.Name)] = a.Code
	}
	byName["washington, d.c."] = "DC"
	byName["d.c."] = "DC"
	byName["northern mariana islands"] = "MP"
	byName["u.s. virgin islands"] = "VI"
	return func(p Place) string {
		if basemap.Territories[p.Code] {
			return p.Code
		}
		if p.Code != "US" {
			return ""
		}
		return byName[strings.ToLower(p.Region)]
	}
}

// usMaps are the conterminous US and one map for each state or territory
// outside it (and DC) that has hits; Alaska, Hawaii, DC and Puerto Rico are
// always drawn.
func usMaps(d *Data, states []basemap.Area, span string) []Picture {
	state := stateOf(states)
	fr := usFrame(states)
	var shapes []render.Shape
	for _, a := range states {
		if basemap.Conterminous(a.Code) {
			shapes = append(shapes, render.Shape{Rings: fr.rings(a.Shape), Fill: render.NoData})
		}
	}
	inLower := func(p Place) bool { s := state(p); return s != "" && basemap.Conterminous(s) }
	max := maxN(d.Places, inLower)
	r := dotRadius(max, 16)
	pics := []Picture{{File: "us-cities.png", Title: "Attempts by US city", Alt: "Map of the conterminous US with a dot for each located place",
		draw: func(s render.Style) image.Image {
			return render.Map{Title: "Failed logins from the conterminous US", Subtitle: span + " · Albers equal-area conic (29.5°N, 45.5°N)",
				Shapes: shapes, Dots: dots(fr, d.Places, r, inLower), DotLegend: sampleCounts(max), DotRadius: r,
				Note: "nominal locations from IP geolocation"}.Draw(s)
		}}}
	hits := map[string]int64{}
	for _, p := range d.Places {
		if s := state(p); s != "" {
			hits[s] += p.N
		}
	}
	for _, a := range states {
		always := a.Code == "AK" || a.Code == "HI" || a.Code == "DC" || a.Code == "PR"
		if basemap.Conterminous(a.Code) && a.Code != "DC" || !always && hits[a.Code] == 0 {
			continue
		}
		a := a
		in := func(p Place) bool { return state(p) == a.Code }
		sfr := stateFrame(a)
		rings := sfr.rings(a.Shape)
		smax := maxN(d.Places, in)
		sr := dotRadius(smax, 16)
		pics = append(pics, Picture{File: "state-" + a.Code + ".png", Title: a.Name, Alt: "Map of " + a.Name + " with a dot for each located place",
			draw: func(s render.Style) image.Image {
				note := "nominal locations from IP geolocation"
				if hits[a.Code] == 0 {
					note = "no located attempts here in this period"
				}
				return render.Map{Width: stateMap.Width, Height: stateMap.Height, Title: a.Name, Subtitle: fmt.Sprintf("%s failed logins · %s", render.Thousands(float64(hits[a.Code])), span),
					Shapes: []render.Shape{{Rings: rings, Fill: render.NoData}}, Dots: dots(sfr, d.Places, sr, in),
					DotLegend: sampleCounts(smax), DotRadius: sr, Note: note}.Draw(s)
			}})
	}
	return pics
}

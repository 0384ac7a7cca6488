package report

import (
	"fmt"
	"image"
	"math"
	"strings"

	"github.com/knockmap/knockmap/maps/basemap"
	"github.com/knockmap/knockmap/maps/geom"
	"github.com/knockmap/knockmap/maps/project"
	"github.com/knockmap/knockmap/maps/render"
)

// Omitted is a map left out of the report because it would show nothing,
// and the one line the page gives for it.
type Omitted struct {
	Title  string `json:"title"`
	Reason string `json:"reason"`
}

// noCoordinates is why the maps of places are left out when no attempt
// has coordinates: only a city database gives them.
const noCoordinates = "no attempt has coordinates: `knockmap geoip update` fetches a city database, then `knockmap enrich --refresh` locates what is loaded"

// the frames of the report's maps
func worldFrame() project.Frame { return project.WorldFrame(render.Map{}.Box()) }

// stateMap is the size of a state's own map.
var stateMap = render.Map{Width: 720, Height: 560}

func usFrame(states []basemap.Area) project.Frame {
	var lower []geom.MultiPolygon
	for _, a := range states {
		if basemap.Conterminous(a.Code) {
			lower = append(lower, a.Shape)
		}
	}
	return project.USFrame(lower, render.Map{}.Box())
}

func stateFrame(a basemap.Area) project.Frame { return project.RegionFrame(a.Shape, stateMap.Box()) }

// mapFiles are the names of every map the report may draw, so that one
// left out this time does not stay in the folder from an earlier report.
func mapFiles(states []basemap.Area) []string {
	out := []string{"world.png", "world-cities.png", "us-cities.png"}
	for _, a := range states {
		out = append(out, "state-"+a.Code+".png")
	}
	return out
}

// mapPictures are the maps that show something, and those left out.
func mapPictures(d *Data, world, states []basemap.Area, span string) ([]Picture, []Omitted) {
	pics, omitted := worldMaps(d, world, span)
	us, usOmitted := usMaps(d, states, span)
	return append(pics, us...), append(omitted, usOmitted...)
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

func dots(places []Place, r func(float64) float64, keep func(Place) bool) []render.Dot {
	var out []render.Dot
	for _, p := range places {
		if keep == nil || keep(p) {
			out = append(out, render.Dot{Lon: p.Lon, Lat: p.Lat, R: r(float64(p.N))})
		}
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

// countryShape is one country's polygons (an atlas may give a country in
// several features, as Natural Earth gives Australia's Ashmore Islands),
// so that a marker is drawn for a country that is small as a whole.
type countryShape struct {
	code  string
	shape geom.MultiPolygon
}

func byCountry(world []basemap.Area) []countryShape {
	var out []countryShape
	at := map[string]int{}
	for _, a := range world {
		if i, ok := at[a.Code]; ok && a.Code != "" {
			out[i].shape = append(out[i].shape, a.Shape...)
			continue
		}
		at[a.Code] = len(out)
		out = append(out, countryShape{a.Code, append(geom.MultiPolygon(nil), a.Shape...)})
	}
	return out
}

// worldMaps are the choropleth and the world dot map. A country with
// attempts that is too small to see, or that the atlas has no polygon of,
// is marked in its colour.
func worldMaps(d *Data, world []basemap.Area, span string) ([]Picture, []Omitted) {
	counts := map[string]int64{}
	var max int64
	for _, c := range d.ByCountry {
		if c.Code != "" && c.N > 0 {
			counts[c.Code] = c.N
			max = int64(math.Max(float64(max), float64(c.N)))
		}
	}
	countries := byCountry(world)
	inAtlas := map[string]bool{}
	grey := make([]render.Shape, len(countries))
	coloured := make([]render.Shape, len(countries))
	for i, c := range countries {
		inAtlas[c.code] = true
		grey[i] = render.Shape{Area: c.shape, Fill: render.NoData}
		coloured[i] = render.Shape{Area: c.shape, Fill: render.Choropleth(float64(counts[c.code]), float64(max)), Mark: c.code != "" && counts[c.code] > 0}
	}
	for _, c := range d.ByCountry {
		if at, ok := basemap.Spot(c.Code); ok && !inAtlas[c.Code] && counts[c.Code] > 0 {
			coloured = append(coloured, render.Shape{At: &at, Mark: true, Fill: render.Choropleth(float64(c.N), float64(max))})
		}
	}
	fr := worldFrame()
	var pics []Picture
	var omitted []Omitted
	const worldTitle, citiesTitle = "Attempts by country", "Attempts by city"
	if max > 0 {
		pics = append(pics, Picture{File: "world.png", Title: worldTitle, Alt: "World map coloured by the number of attempts from each country",
			draw: func(s render.Style) image.Image {
				return render.Map{Title: "Failed logins by country", Subtitle: span + " · Equal Earth projection",
					Frame: fr, Shapes: coloured, Legend: &render.Legend{Label: "failed logins", Max: float64(max)},
					Note: "nominal locations from IP geolocation"}.Draw(s)
			}})
	} else {
		omitted = append(omitted, Omitted{worldTitle, "no attempt was located in a country"})
	}
	placeMax := maxN(d.Places, nil)
	r := dotRadius(placeMax, 16)
	if len(d.Places) > 0 {
		pics = append(pics, Picture{File: "world-cities.png", Title: citiesTitle, Alt: "World map with a dot for each located place, sized by attempts",
			draw: func(s render.Style) image.Image {
				return render.Map{Title: "Failed logins by place", Subtitle: span + " · disc area by attempts",
					Frame: fr, Shapes: grey, Dots: dots(d.Places, r, nil), DotLegend: sampleCounts(placeMax), DotRadius: r,
					Note: "nominal locations from IP geolocation"}.Draw(s)
			}})
	} else {
		omitted = append(omitted, Omitted{citiesTitle, noCoordinates})
	}
	return pics, omitted
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

// usMaps are the conterminous US, when a located attempt is in it, and one
// map for each state or territory outside it (and DC) with located
// attempts; a map with nothing on it is not drawn.
func usMaps(d *Data, states []basemap.Area, span string) ([]Picture, []Omitted) {
	state := stateOf(states)
	const usTitle = "Attempts by US city"
	if len(d.Places) == 0 {
		return nil, []Omitted{{usTitle, noCoordinates}}
	}
	hits := map[string]int64{}
	for _, p := range d.Places {
		if s := state(p); s != "" {
			hits[s] += p.N
		}
	}
	var pics []Picture
	var omitted []Omitted
	inLower := func(p Place) bool { s := state(p); return s != "" && basemap.Conterminous(s) }
	if max := maxN(d.Places, inLower); max == 0 {
		omitted = append(omitted, Omitted{usTitle, "no located attempt is in the conterminous US"})
	} else {
		fr := usFrame(states)
		var shapes []render.Shape
		for _, a := range states {
			if basemap.Conterminous(a.Code) {
				shapes = append(shapes, render.Shape{Area: a.Shape, Fill: render.NoData})
			}
		}
		r := dotRadius(max, 16)
		pics = append(pics, Picture{File: "us-cities.png", Title: usTitle, Alt: "Map of the conterminous US with a dot for each located place",
			draw: func(s render.Style) image.Image {
				return render.Map{Title: "Failed logins from the conterminous US", Subtitle: span + " · Albers equal-area conic (29.5°N, 45.5°N)",
					Frame: fr, Shapes: shapes, Dots: dots(d.Places, r, inLower), DotLegend: sampleCounts(max), DotRadius: r,
					Note: "nominal locations from IP geolocation"}.Draw(s)
			}})
	}
	for _, a := range states {
		if basemap.Conterminous(a.Code) && a.Code != "DC" || hits[a.Code] == 0 {
			continue
		}
		a := a
		in := func(p Place) bool { return state(p) == a.Code }
		sfr := stateFrame(a)
		smax := maxN(d.Places, in)
		sr := dotRadius(smax, 16)
		pics = append(pics, Picture{File: "state-" + a.Code + ".png", Title: a.Name, Alt: "Map of " + a.Name + " with a dot for each located place",
			draw: func(s render.Style) image.Image {
				return render.Map{Width: stateMap.Width, Height: stateMap.Height, Title: a.Name, Subtitle: fmt.Sprintf("%s failed logins · %s", render.Thousands(float64(hits[a.Code])), span),
					Frame: sfr, Shapes: []render.Shape{{Area: a.Shape, Fill: render.NoData}}, Dots: dots(d.Places, sr, in),
					DotLegend: sampleCounts(smax), DotRadius: sr, Note: "nominal locations from IP geolocation"}.Draw(s)
			}})
	}
	return pics, omitted
}

//go:build duckdb_arrow

package report

import (
	"image"
	"image/color"
	"reflect"
	"testing"

	"github.com/knockmap/knockmap/maps/basemap"
	"github.com/knockmap/knockmap/maps/render"
)

func files(pics []Picture) []string {
	var out []string
	for _, p := range pics {
		out = append(out, p.File)
	}
	return out
}

// TestUSMapsOnlyWhereLocated: a state or territory gets a map only when
// located attempts are in it, and the conterminous map only when one of
// them is there.
func TestUSMapsOnlyWhereLocated(t *testing.T) {
	states, err := basemap.States("")
	if err != nil {
		t.Fatal(err)
	}
	texas := Place{Lat: 30.27, Lon: -97.74, Code: "US", Region: "Texas", City: "Austin", N: 4}
	alaska := Place{Lat: 61.22, Lon: -149.9, Code: "US", Region: "Alaska", City: "Anchorage", N: 3}
	hawaii := Place{Lat: 21.31, Lon: -157.86, Code: "US", Region: "Hawaii", City: "Honolulu", N: 2}
	guam := Place{Lat: 13.47, Lon: 144.75, Code: "GU", City: "Hagåtña", N: 5}
	london := Place{Lat: 51.51, Lon: -0.09, Code: "GB", Region: "England", City: "London", N: 9}
	tests := []struct {
		name    string
		places  []Place
		want    []string
		omitted []string
	}{
		{"Hawaii and Guam", []Place{hawaii, guam, london}, []string{"state-HI.png", "state-GU.png"}, []string{"Attempts by US city"}},
		{"Texas and Alaska", []Place{texas, alaska}, []string{"us-cities.png", "state-AK.png"}, nil},
		{"abroad only", []Place{london}, nil, []string{"Attempts by US city"}},
		{"no coordinates", nil, nil, []string{"Attempts by US city"}},
	}
	for _, tt := range tests {
		pics, om := usMaps(&Data{Places: tt.places}, states, "span")
		if got := files(pics); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: maps %v, want %v", tt.name, got, tt.want)
		}
		var titles []string
		for _, o := range om {
			titles = append(titles, o.Title)
		}
		if !reflect.DeepEqual(titles, tt.omitted) {
			t.Errorf("%s: omitted %v, want %v", tt.name, titles, tt.omitted)
		}
	}
}

// TestWorldMarksSmallCountries: with attempts only from Hong Kong,
// Singapore and Gibraltar (which the atlas has no polygon of), the
// choropleth shows each as a disc in its colour where it is; Monaco, with
// none, gets no disc, and the map of places is left out.
func TestWorldMarksSmallCountries(t *testing.T) {
	world, err := basemap.World("")
	if err != nil {
		t.Fatal(err)
	}
	d := &Data{ByCountry: []Count{{Code: "HK", N: 500}, {Code: "SG", N: 40}, {Code: "GI", N: 3}}}
	pics, om := worldMaps(d, world, "span")
	if got := files(pics); !reflect.DeepEqual(got, []string{"world.png"}) {
		t.Fatalf("maps %v, want only world.png", got)
	}
	if len(om) != 1 || om[0].Title != "Attempts by city" {
		t.Errorf("omitted %+v, want the map of places", om)
	}
	fr := worldFrame()
	for _, k := range []float64{1, 2} {
		img := pics[0].draw(render.Style{Scale: k})
		for _, tt := range []struct {
			name     string
			lon, lat float64
			n        int64
		}{
			{"Hong Kong", 114.17, 22.32, 500},
			{"Singapore", 103.82, 1.35, 40},
			{"Gibraltar", -5.35, 36.14, 3},
			{"Monaco", 7.42, 43.73, 0},
		} {
			pt := fr.At(tt.lon, tt.lat)
			got := pixel(img, pt.X*k, pt.Y*k)
			want := render.Choropleth(float64(tt.n), 500)
			if marked := closeTo(got, want); marked != (tt.n > 0) {
				t.Errorf("scale %v, %s at (%.0f, %.0f): %v; a disc in %v: %v, want %v", k, tt.name, pt.X, pt.Y, got, want, marked, tt.n > 0)
			}
		}
	}
}

func pixel(img image.Image, x, y float64) color.RGBA {
	r, g, b, _ := img.At(int(x), int(y)).RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}
}

func closeTo(a, b color.RGBA) bool {
	d := func(x, y uint8) bool { return x+6 >= y && y+6 >= x }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

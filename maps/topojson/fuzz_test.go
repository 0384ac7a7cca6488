package topojson

import (
	"errors"
	"testing"

	"github.com/knockmap/knockmap/maps/geom"
)

// FuzzDecode feeds Decode and DecodeGeoJSON arbitrary documents: they must
// return features or a *ParseError, never panic, and never make more points
// than the input has bytes.
func FuzzDecode(f *testing.F) {
	for _, s := range []struct{ doc, object string }{
		{shapesTopo, "shapes"},
		{shapesTopo, "other"},
		{plainTopo, "t"},
		{plainTopo, ""},
		{`{"type":"Topology","objects":{"x":{"type":"Polygon","arcs":[[0,0,0,-1]]}},"arcs":[[[0,0],[1,1],[1,1]]]}`, "x"},
		{`{"type":"Topology","transform":{"scale":[1e308,1],"translate":[0,0]},"objects":{"x":{"type":"MultiPoint","coordinates":[[1,2]]}}}`, "x"},
		{`{"type":"FeatureCollection","features":[{"type":"Feature","id":1,"properties":{"a":"b","n":2},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}}]}`, ""},
		{`{"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"Polygon","coordinates":[[[0,0],[1,1]]]}]}}`, ""},
		{`{"type":"MultiPoint","coordinates":[[1,2],[3,4,5]]}`, ""},
	} {
		f.Add([]byte(s.doc), s.object)
	}
	f.Fuzz(func(t *testing.T, data []byte, object string) {
		feats, err := Decode(data, object)
		check(t, "Decode", data, feats, err)
		feats, err = DecodeGeoJSON(data)
		check(t, "DecodeGeoJSON", data, feats, err)
	})
}

func check(t *testing.T, fn string, data []byte, feats []geom.Feature, err error) {
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("%s: error %T %v is not a *ParseError", fn, err, err)
		}
		return
	}
	n := 0
	for _, f := range feats {
		n += len(f.Points)
		for _, p := range f.Polygons {
			for _, r := range p {
				n += len(r)
			}
		}
	}
	if n > len(data) {
		t.Fatalf("%s: %d points from %d bytes", fn, n, len(data))
	}
}

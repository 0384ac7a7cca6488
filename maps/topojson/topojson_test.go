package topojson

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/knockmap/knockmap/maps/geom"
)

// shapesTopo is a quantized topology (x·0.5 + 10, y·0.25 + 20): a square
// frame 0..8 made of arcs 0 and 1 around a hole 2..6 (arc 2), the island in
// the hole (arc 2 reversed), both again as a multipolygon with the frame's
// arcs reversed (and empty polygons, rings and holes, which are left out),
// points, a null geometry and nested collections.
const shapesTopo = `{"type":"Topology",
 "transform":{"scale":[0.5,0.25],"translate":[10,20]},
 "objects":{
  "shapes":{"type":"GeometryCollection","geometries":[
   {"type":"Polygon","arcs":[[0,1],[2]],"id":"A","properties":{"name":"frame"}},
   {"type":"Polygon","arcs":[[-3]],"id":7,"properties":{"name":"island","n":1.50,"ok":true,"none":null,"obj":{"a":1},"list":[1,2],"id":"shadowed"}},
   {"type":"MultiPolygon","arcs":[[[-2,-1]],[[2]],[],[[]],[[2],[]]],"properties":{"name":"both"}},
   {"type":"Point","coordinates":[4,4],"id":"P"},
   {"type":"MultiPoint","coordinates":[[0,0],[8,8,99]]},
   {"type":null,"id":"N","properties":{"name":"nothing"}},
   {"type":"GeometryCollection","id":"G","geometries":[
     {"type":"Polygon","arcs":[[2]]},
     {"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[2,6]}]},
     {"type":"LineString","arcs":[0]}]}
  ]},
  "other":{"type":"Point","coordinates":[0,0]}},
 "arcs":[[[0,0],[8,0],[0,8]],[[8,8],[-8,0],[0,-8]],[[2,2],[0,4],[4,0],[0,-4],[-4,0]]]}`

// plainTopo is not quantized: positions are absolute, a third coordinate
// is ignored.
const plainTopo = `{"type":"Topology","objects":{"t":{"type":"Polygon","arcs":[[0,-2]],"properties":{"k":"v"}}},
 "arcs":[[[-1.5,0.25,7],[2.5,0.25],[2.5,3.75]],[[-1.5,0.25],[-1.5,3.75],[2.5,3.75]]]}`

func ring(xy ...float64) geom.Ring {
	r := make(geom.Ring, 0, len(xy)/2)
	for i := 0; i+1 < len(xy); i += 2 {
		r = append(r, geom.Point{X: xy[i], Y: xy[i+1]})
	}
	return r
}

var (
	frame     = ring(10, 20, 14, 20, 14, 22, 10, 22, 10, 20)
	frameRev  = ring(10, 20, 10, 22, 14, 22, 14, 20, 10, 20)
	hole      = ring(11, 20.5, 11, 21.5, 13, 21.5, 13, 20.5, 11, 20.5)
	holeRev   = ring(11, 20.5, 13, 20.5, 13, 21.5, 11, 21.5, 11, 20.5)
	wantShape = []geom.Feature{
		{Props: map[string]string{"id": "A", "name": "frame"}, Polygons: geom.MultiPolygon{{frame, hole}}},
		{Props: map[string]string{"id": "7", "name": "island", "n": "1.50", "ok": "true"}, Polygons: geom.MultiPolygon{{holeRev}}},
		{Props: map[string]string{"name": "both"}, Polygons: geom.MultiPolygon{{frameRev}, {hole}, {hole}}},
		{Props: map[string]string{"id": "P"}, Points: []geom.Point{{X: 12, Y: 21}}},
		{Props: map[string]string{}, Points: []geom.Point{{X: 10, Y: 20}, {X: 14, Y: 22}}},
		{Props: map[string]string{"id": "N", "name": "nothing"}},
		{Props: map[string]string{"id": "G"}, Polygons: geom.MultiPolygon{{hole}}, Points: []geom.Point{{X: 11, Y: 21.5}}},
	}
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name, in, object string
		want             []geom.Feature
	}{
		{"quantized collection", shapesTopo, "shapes", wantShape},
		{"single geometry", shapesTopo, "other", []geom.Feature{{Props: map[string]string{}, Points: []geom.Point{{X: 10, Y: 20}}}}},
		{"not quantized", plainTopo, "t", []geom.Feature{{Props: map[string]string{"k": "v"},
			Polygons: geom.MultiPolygon{{ring(-1.5, 0.25, 2.5, 0.25, 2.5, 3.75, -1.5, 3.75, -1.5, 0.25)}}}}},
		{"only object", plainTopo, "", []geom.Feature{{Props: map[string]string{"k": "v"},
			Polygons: geom.MultiPolygon{{ring(-1.5, 0.25, 2.5, 0.25, 2.5, 3.75, -1.5, 3.75, -1.5, 0.25)}}}}},
		{"empty collection", `{"type":"Topology","objects":{"x":{"type":"GeometryCollection","geometries":[]}},"arcs":[]}`, "x", []geom.Feature{}},
		{"empty polygon", `{"type":"Topology","objects":{"x":{"type":"Polygon","arcs":[]}},"arcs":[]}`, "x", []geom.Feature{{Props: map[string]string{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in), tt.object)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	topo := func(objects, arcs string) string {
		return `{"type":"Topology","objects":{"x":` + objects + `},"arcs":` + arcs + `}`
	}
	poly := func(arcs string) string {
		return topo(`{"type":"Polygon","arcs":`+arcs+`,"id":"p"}`, `[[[0,0],[1,0],[0,1],[0,0]]]`)
	}
	nested := `{"type":"Point","coordinates":[0,0]}`
	for range 40 {
		nested = `{"type":"GeometryCollection","geometries":[` + nested + `]}`
	}
	// one arc of 200 points, used by 100 rings: 20,000 points from a few
	// hundred bytes
	long := strings.TrimSuffix(strings.Repeat("[1,1],", 200), ",")
	reuse := strings.TrimSuffix(strings.Repeat("[0],", 100), ",")
	tests := []struct {
		name, in, object, want string
	}{
		{"not json", `{"type":`, "x", "topojson: object \"x\": byte 8: unexpected end of JSON input"},
		{"not a topology", `{"type":"FeatureCollection","features":[]}`, "x", `type is "FeatureCollection"`},
		{"no such object", topo(nested, "[]"), "states", `topojson: object "states": no such object; the topology has ["x"]`},
		{"no object named", `{"type":"Topology","objects":{"a":{},"b":{}}}`, "", `no object named, and the topology has 2: ["a" "b"]`},
		{"arc out of range", poly(`[[1]]`), "x", `topojson: object "x": geometry 0 (id "p"): ring 0: arc 1 out of range: the topology has 1`},
		{"reversed arc out of range", poly(`[[-2]]`), "x", `arc -2 out of range`},
		{"huge arc", poly(`[[9223372036854775807]]`), "x", `out of range`},
		{"huge reversed arc", poly(`[[-9223372036854775808]]`), "x", `out of range`},
		{"arc beyond int", poly(`[[9223372036854775808]]`), "x", `cannot unmarshal number 9223372036854775808`},
		{"fractional arc", poly(`[[0.5]]`), "x", `cannot unmarshal number 0.5`},
		{"flat arcs", poly(`[0]`), "x", `arcs: json: cannot unmarshal number`},
		{"no arcs", topo(`{"type":"Polygon"}`, "[]"), "x", `no arcs`},
		{"multipolygon arc", topo(`{"type":"MultiPolygon","arcs":[[[0]],[[3]]]}`, `[[[0,0],[1,1]]]`), "x", `polygon 1: ring 0: arc 3 out of range`},
		{"short position", topo(nested, `[[[0,0],[1]]]`), "x", `arc 0: position 1 has 1 coordinates`},
		{"scale of one", `{"type":"Topology","transform":{"scale":[1],"translate":[0,0]},"objects":{"x":{}}}`, "x", `transform has 1 scale and 2 translate values`},
		{"empty transform", `{"type":"Topology","transform":{},"objects":{"x":{}}}`, "x", `transform has 0 scale and 0 translate values`},
		{"transform not numbers", `{"type":"Topology","transform":{"scale":["a",1],"translate":[0,0]},"objects":{"x":{}}}`, "x", `cannot unmarshal string`},
		{"overflowing transform", `{"type":"Topology","transform":{"scale":[1e308,1],"translate":[0,0]},"objects":{"x":{}},"arcs":[[[10,0]]]}`, "x", `arc 0: position +Inf, 0 is out of range`},
		{"overflowing point", `{"type":"Topology","transform":{"scale":[1e308,1],"translate":[0,0]},"objects":{"x":{"type":"Point","coordinates":[10,0]}}}`, "x", `point 0: position +Inf, 0 is out of range`},
		{"short point", topo(`{"type":"Point","coordinates":[1]}`, "[]"), "x", `point 0 has 1 coordinates`},
		{"point without coordinates", topo(`{"type":"Point"}`, "[]"), "x", `no coordinates`},
		{"unknown type", topo(`{"type":"Circle"}`, "[]"), "x", `unknown geometry type "Circle"`},
		{"nested collections", topo(`{"type":"GeometryCollection","geometries":[`+nested+`]}`, "[]"), "x", `topojson: object "x": geometry 0: geometry collections nested more than 32 deep`},
		{"deep json", topo(strings.Repeat("[", 20000), "[]"), "x", `exceeded max depth`},
		{"bad property", topo(`{"type":"Point","coordinates":[0,0],"properties":[1]}`, "[]"), "x", `cannot unmarshal array`},
		{"arc reuse", topo(`{"type":"Polygon","arcs":[`+reuse+`]}`, `[[`+long+`]]`), "x", errTooMany.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in), tt.object)
			if err == nil {
				t.Fatalf("no error, got %v", got)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %T is not a *ParseError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to hold %q", err, tt.want)
			}
			if tt.want == errTooMany.Error() && !errors.Is(err, errTooMany) {
				t.Errorf("error %q is not errTooMany", err)
			}
		})
	}
}

// The budget is per call: a topology whose arcs are each used twice, as
// neighbours share them, decodes.
func TestDecodeSharedArcs(t *testing.T) {
	long := strings.TrimSuffix(strings.Repeat("[1,1],", 200), ",")
	in := `{"type":"Topology","objects":{"x":{"type":"GeometryCollection","geometries":[
		{"type":"Polygon","arcs":[[0]]},{"type":"Polygon","arcs":[[-1]]}]}},"arcs":[[` + long + `]]}`
	got, err := Decode([]byte(in), "x")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[0].Polygons[0][0]) != 200 || len(got[1].Polygons[0][0]) != 200 {
		t.Errorf("got %d features", len(got))
	}
}

func TestDecodeGeoJSON(t *testing.T) {
	tests := []struct {
		name, in string
		want     []geom.Feature
	}{
		{"collection", `{"type":"FeatureCollection","features":[
			{"type":"Feature","id":"A","properties":{"name":"frame","n":3},"geometry":{"type":"Polygon","coordinates":[
				[[10,20],[14,20],[14,22],[10,22],[10,20]],[[11,20.5,5],[11,21.5],[13,21.5],[13,20.5],[11,20.5]]]}},
			{"type":"Feature","id":7,"properties":null,"geometry":{"type":"MultiPolygon","coordinates":[
				[[[10,20],[10,22],[14,22],[14,20],[10,20]]],[[[11,20.5],[11,21.5],[13,21.5],[13,20.5],[11,20.5]]],[[]]]}},
			{"type":"Feature","properties":{"p":false},"geometry":{"type":"Point","coordinates":[12,21]}},
			{"type":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[[10,20],[14,22]]}},
			{"type":"Feature","properties":{"name":"nothing"},"geometry":null},
			{"type":"Feature","properties":{"id":"G"},"geometry":{"type":"GeometryCollection","geometries":[
				{"type":"Polygon","coordinates":[[[11,20.5],[11,21.5],[13,21.5],[13,20.5],[11,20.5]]]},
				{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[11,21.5]}]},
				{"type":"LineString","coordinates":[[0,0],[1,1]]}]}}]}`,
			[]geom.Feature{
				{Props: map[string]string{"id": "A", "name": "frame", "n": "3"}, Polygons: geom.MultiPolygon{{frame, hole}}},
				{Props: map[string]string{"id": "7"}, Polygons: geom.MultiPolygon{{frameRev}, {hole}}},
				{Props: map[string]string{"p": "false"}, Points: []geom.Point{{X: 12, Y: 21}}},
				{Props: map[string]string{}, Points: []geom.Point{{X: 10, Y: 20}, {X: 14, Y: 22}}},
				{Props: map[string]string{"name": "nothing"}},
				{Props: map[string]string{"id": "G"}, Polygons: geom.MultiPolygon{{hole}}, Points: []geom.Point{{X: 11, Y: 21.5}}},
			}},
		{"lone feature", `{"type":"Feature","properties":{"a":"b"},"geometry":{"type":"Point","coordinates":[1,2]}}`,
			[]geom.Feature{{Props: map[string]string{"a": "b"}, Points: []geom.Point{{X: 1, Y: 2}}}}},
		{"bare geometry", `{"type":"Polygon","coordinates":[[[10,20],[14,20],[14,22],[10,22],[10,20]]]}`,
			[]geom.Feature{{Props: map[string]string{}, Polygons: geom.MultiPolygon{{frame}}}}},
		{"empty collection", `{"type":"FeatureCollection","features":[]}`, []geom.Feature{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeGeoJSON([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestDecodeGeoJSONErrors(t *testing.T) {
	feature := func(geometry string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","id":"f","properties":{},"geometry":` + geometry + `}]}`
	}
	nested := `{"type":"Point","coordinates":[0,0]}`
	for range 40 {
		nested = `{"type":"GeometryCollection","geometries":[` + nested + `]}`
	}
	tests := []struct{ name, in, want string }{
		{"not json", `[`, "geojson: byte 1: unexpected end of JSON input"},
		{"array", `[]`, "geojson: byte 1: json: cannot unmarshal array"},
		{"no type", `{}`, `geojson: no type`},
		{"not a feature", `{"type":"FeatureCollection","features":[{"type":"Point"}]}`, `geojson: feature 0: type is "Point", not "Feature"`},
		{"short position", feature(`{"type":"Polygon","coordinates":[[[0,0],[1,1],[2]]]}`), `geojson: feature 0 (id "f"): ring 0: position 2 has 1 coordinates`},
		{"multipolygon", feature(`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,1]]],[[[0,0],[]]]]}`), `polygon 1: ring 0: position 1 has 0 coordinates`},
		{"flat polygon", feature(`{"type":"Polygon","coordinates":[0,0]}`), `coordinates: json: cannot unmarshal number`},
		{"short point", feature(`{"type":"Point","coordinates":[0]}`), `point 0 has 1 coordinates`},
		{"huge number", feature(`{"type":"Point","coordinates":[1e400,0]}`), `cannot unmarshal number 1e400`},
		{"unknown type", feature(`{"type":"Curve","coordinates":[]}`), `unknown geometry type "Curve"`},
		{"nested collections", feature(nested), `geojson: feature 0 (id "f"): geometry collections nested more than 32 deep`},
		{"deep json", feature(strings.Repeat("[", 20000)), `exceeded max depth`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeGeoJSON([]byte(tt.in))
			if err == nil {
				t.Fatalf("no error, got %v", got)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %T is not a *ParseError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to hold %q", err, tt.want)
			}
		})
	}
}

// Package topojson reads basemaps in TopoJSON (the format of the npm packages
// world-atlas and us-atlas, https://github.com/topojson/topojson-specification)
// and in GeoJSON (RFC 7946) into geom.Features.
//
// Polygons, multipolygons, points and multipoints become a feature's
// Polygons and Points, geometry collections are flattened into one feature,
// lines are left out, and a null geometry gives a feature with attributes
// only. The feature's id and every scalar property (string, number, boolean)
// go into Props as text.
//
// Malformed input is refused with a *ParseError, never a panic, and what is
// made is bounded by the input's size: a topology cannot reuse its arcs to
// make more points than its file has bytes.
package topojson

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/knockmap/knockmap/maps/geom"
)

// maxDepth bounds how deeply geometry collections may nest.
const maxDepth = 32

// ParseError reports malformed input: the format, the TopoJSON object, the
// feature (counted from 0 in its collection; -1 for the document itself, as
// a topology's arcs or transform) and what is wrong with it.
type ParseError struct {
	Format  string // "topojson" or "geojson"
	Object  string // TopoJSON object name; empty for GeoJSON
	Feature int
	ID      string // the feature's id, when it has one
	Err     error
}

// Error says `topojson: object "states": geometry 3 (id "01"): what`.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.Format)
	if e.Object != "" {
		fmt.Fprintf(&b, ": object %q", e.Object)
	}
	if e.Feature >= 0 {
		if e.Format == "topojson" {
			fmt.Fprintf(&b, ": geometry %d", e.Feature)
		} else {
			fmt.Fprintf(&b, ": feature %d", e.Feature)
		}
		if e.ID != "" {
			fmt.Fprintf(&b, " (id %q)", e.ID)
		}
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

var (
	// errTooMany is the error for input that would make more points than
	// its size allows.
	errTooMany = errors.New("more points than the input has bytes")
	errTooDeep = fmt.Errorf("geometry collections nested more than %d deep", maxDepth)
)

// topology is a TopoJSON document; objects are decoded on demand.
type topology struct {
	Type      string                     `json:"type"`
	Transform *transform                 `json:"transform"`
	Arcs      [][][]float64              `json:"arcs"`
	Objects   map[string]json.RawMessage `json:"objects"`
}

// transform dequantizes positions: x·scale + translate.
type transform struct {
	Scale     []float64 `json:"scale"`
	Translate []float64 `json:"translate"`
}

// geometry is a TopoJSON geometry object.
type geometry struct {
	Type        string                     `json:"type"`
	ID          json.RawMessage            `json:"id"`
	Properties  map[string]json.RawMessage `json:"properties"`
	Arcs        json.RawMessage            `json:"arcs"`
	Coordinates json.RawMessage            `json:"coordinates"`
	Geometries  []geometry                 `json:"geometries"`
}

// decoder holds a topology's decoded arcs and the number of points it may
// still make.
type decoder struct {
	arcs   [][]geom.Point
	tf     *transform
	budget int
}

// Decode reads the object named object of a TopoJSON topology: one feature
// per geometry of a GeometryCollection, or one feature for any other
// geometry. An empty name picks the topology's only object. A feature's
// "id" is Props["id"], over a property of that name.
func Decode(data []byte, object string) ([]geom.Feature, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, docErr("topojson", object, jsonErr(err))
	}
	if t.Type != "Topology" {
		return nil, docErr("topojson", object, fmt.Errorf("type is %q, not \"Topology\"", t.Type))
	}
	object, raw, err := pick(t.Objects, object)
	if err != nil {
		return nil, docErr("topojson", object, err)
	}
	d := &decoder{tf: t.Transform, budget: len(data)}
	if err := d.checkTransform(); err != nil {
		return nil, docErr("topojson", object, err)
	}
	if d.arcs, err = d.decodeArcs(t.Arcs); err != nil {
		return nil, docErr("topojson", object, err)
	}
	var g geometry
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, docErr("topojson", object, err) // offsets would count from the object
	}
	members := []geometry{g}
	if g.Type == "GeometryCollection" {
		members = g.Geometries
	}
	feats := make([]geom.Feature, 0, len(members))
	for i := range members {
		m := &members[i]
		props, id, err := properties(m.ID, m.Properties)
		if err == nil {
			f := geom.Feature{Props: props}
			err = d.add(&f, m, 0)
			feats = append(feats, f)
		}
		if err != nil {
			return nil, &ParseError{Format: "topojson", Object: object, Feature: i, ID: id, Err: err}
		}
	}
	return feats, nil
}

func docErr(format, object string, err error) error {
	return &ParseError{Format: format, Object: object, Feature: -1, Err: err}
}

// jsonErr adds the byte offset to an error of json.Unmarshal.
func jsonErr(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("byte %d: %w", se.Offset, err)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("byte %d: %w", te.Offset, err)
	}
	return err
}

// pick finds the named object, or the only one when name is empty.
func pick(objects map[string]json.RawMessage, name string) (string, json.RawMessage, error) {
	if raw, ok := objects[name]; ok && name != "" {
		return name, raw, nil
	}
	names := make([]string, 0, len(objects))
	for k := range objects {
		names = append(names, k)
	}
	slices.Sort(names)
	if name == "" && len(names) == 1 {
		return names[0], objects[names[0]], nil
	}
	if name == "" {
		return "", nil, fmt.Errorf("no object named, and the topology has %d: %q", len(names), names)
	}
	return name, nil, fmt.Errorf("no such object; the topology has %q", names)
}

func (d *decoder) checkTransform() error {
	if d.tf == nil {
		return nil
	}
	if len(d.tf.Scale) != 2 || len(d.tf.Translate) != 2 {
		return fmt.Errorf("transform has %d scale and %d translate values, want 2 and 2", len(d.tf.Scale), len(d.tf.Translate))
	}
	return nil
}

// point dequantizes an absolute position.
func (d *decoder) point(x, y float64) (geom.Point, error) {
	if d.tf != nil {
		x = x*d.tf.Scale[0] + d.tf.Translate[0]
		y = y*d.tf.Scale[1] + d.tf.Translate[1]
	}
	if math.IsInf(x, 0) || math.IsInf(y, 0) || math.IsNaN(x) || math.IsNaN(y) {
		return geom.Point{}, fmt.Errorf("position %g, %g is out of range", x, y)
	}
	return geom.Point{X: x, Y: y}, nil
}

// decodeArcs turns the topology's arcs into points: positions of a
// quantized topology are deltas from the one before.
func (d *decoder) decodeArcs(raw [][][]float64) ([][]geom.Point, error) {
	arcs := make([][]geom.Point, len(raw))
	for i, arc := range raw {
		pts := make([]geom.Point, len(arc))
		var x, y float64
		for j, pos := range arc {
			if len(pos) < 2 {
				return nil, fmt.Errorf("arc %d: position %d has %d coordinates", i, j, len(pos))
			}
			if d.tf != nil {
				x, y = x+pos[0], y+pos[1]
			} else {
				x, y = pos[0], pos[1]
			}
			p, err := d.point(x, y)
			if err != nil {
				return nil, fmt.Errorf("arc %d: %w", i, err)
			}
			pts[j] = p
		}
		arcs[i] = pts
	}
	return arcs, nil
}

// add puts g's shapes into f.
func (d *decoder) add(f *geom.Feature, g *geometry, depth int) error {
	if g.Type == "" {
		return nil // null geometry: attributes only
	}
	return addGeometry(d, f, g.Type, g.Arcs, "arcs", d.polygon, g.Coordinates,
		len(g.Geometries), func(i int) error { return d.add(f, &g.Geometries[i], depth+1) }, depth)
}

// addGeometry puts the shapes of a geometry of type typ into f, as both
// formats nest them: a Polygon's rings in area (named field) are decoded
// as R and made a polygon by polygon, a MultiPolygon's as []R; points are
// in coords; a collection has parts members, each added by part.
func addGeometry[R any](d *decoder, f *geom.Feature, typ string, area json.RawMessage, field string,
	polygon func(R) (geom.Polygon, error), coords json.RawMessage, parts int, part func(i int) error, depth int) error {
	switch typ {
	case "Polygon":
		var rings R
		if err := unmarshal(area, &rings, field); err != nil {
			return err
		}
		p, err := polygon(rings)
		if err != nil {
			return err
		}
		if p != nil {
			f.Polygons = append(f.Polygons, p)
		}
	case "MultiPolygon":
		var polys []R
		if err := unmarshal(area, &polys, field); err != nil {
			return err
		}
		for i, rings := range polys {
			p, err := polygon(rings)
			if err != nil {
				return fmt.Errorf("polygon %d: %w", i, err)
			}
			if p != nil {
				f.Polygons = append(f.Polygons, p)
			}
		}
	case "Point", "MultiPoint":
		return d.addPointGeometry(f, typ, coords)
	case "LineString", "MultiLineString":
		// no area
	case "GeometryCollection":
		if depth >= maxDepth {
			return errTooDeep
		}
		for i := 0; i < parts; i++ {
			if err := part(i); err == errTooDeep {
				return err
			} else if err != nil {
				return fmt.Errorf("geometries[%d]: %w", i, err)
			}
		}
	default:
		return fmt.Errorf("unknown geometry type %q", typ)
	}
	return nil
}

// addPointGeometry adds the position of a Point, or the positions of a
// MultiPoint, as both formats write them.
func (d *decoder) addPointGeometry(f *geom.Feature, typ string, coords json.RawMessage) error {
	if typ == "Point" {
		var pos []float64
		if err := unmarshal(coords, &pos, "coordinates"); err != nil {
			return err
		}
		return d.addPoints(f, [][]float64{pos})
	}
	var pos [][]float64
	if err := unmarshal(coords, &pos, "coordinates"); err != nil {
		return err
	}
	return d.addPoints(f, pos)
}

func unmarshal(raw json.RawMessage, v any, field string) error {
	if len(raw) == 0 {
		return fmt.Errorf("no %s", field)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	return nil
}

func (d *decoder) addPoints(f *geom.Feature, pos [][]float64) error {
	if len(pos) > d.budget {
		return errTooMany
	}
	d.budget -= len(pos)
	for i, p := range pos {
		if len(p) < 2 {
			return fmt.Errorf("point %d has %d coordinates", i, len(p))
		}
		pt, err := d.point(p[0], p[1])
		if err != nil {
			return fmt.Errorf("point %d: %w", i, err)
		}
		f.Points = append(f.Points, pt)
	}
	return nil
}

// polygon stitches each ring from its arcs; nil when the outer ring is
// empty.
func (d *decoder) polygon(rings [][]int) (geom.Polygon, error) {
	var p geom.Polygon
	for i, arcs := range rings {
		r, err := d.ring(arcs)
		if err != nil {
			return nil, fmt.Errorf("ring %d: %w", i, err)
		}
		if len(r) == 0 {
			if i == 0 {
				return nil, nil
			}
			continue
		}
		p = append(p, r)
	}
	return p, nil
}

// ring joins arcs end to start, each arc's first point being the last one's
// end; arc ^i is arc i reversed.
func (d *decoder) ring(arcs []int) (geom.Ring, error) {
	n := 0
	for _, a := range arcs {
		i := a
		if a < 0 {
			i = ^a
		}
		if i >= len(d.arcs) {
			return nil, fmt.Errorf("arc %d out of range: the topology has %d", a, len(d.arcs))
		}
		n += len(d.arcs[i])
		if n > d.budget {
			return nil, errTooMany
		}
	}
	d.budget -= n
	r := make(geom.Ring, 0, n)
	for _, a := range arcs {
		i := a
		if a < 0 {
			i = ^a
		}
		arc := d.arcs[i]
		if len(arc) == 0 {
			continue
		}
		if len(r) > 0 {
			r = r[:len(r)-1]
		}
		if a >= 0 {
			r = append(r, arc...)
			continue
		}
		for j := len(arc) - 1; j >= 0; j-- {
			r = append(r, arc[j])
		}
	}
	return r, nil
}

// properties turns a feature's id and scalar properties into text; it
// returns the id on its own too, for error messages.
func properties(id json.RawMessage, props map[string]json.RawMessage) (map[string]string, string, error) {
	out := make(map[string]string, len(props)+1)
	for k, v := range props {
		s, ok, err := scalar(v)
		if err != nil {
			return nil, "", fmt.Errorf("property %q: %w", k, err)
		}
		if ok {
			out[k] = s
		}
	}
	s, ok, err := scalar(id)
	if err != nil {
		return nil, "", fmt.Errorf("id: %w", err)
	}
	if ok {
		out["id"] = s
	}
	return out, s, nil
}

// scalar gives a JSON string, number or boolean as text: a string
// unquoted, a number as written. Null, objects and arrays are not scalars.
func scalar(raw json.RawMessage) (string, bool, error) {
	if len(raw) == 0 {
		return "", false, nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, err
		}
		return s, true, nil
	case 'n', '{', '[':
		return "", false, nil
	}
	return string(raw), true, nil
}

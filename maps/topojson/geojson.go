package topojson

import (
	"encoding/json"
	"fmt"

	"github.com/knockmap/knockmap/maps/geom"
)

// gjObject is any GeoJSON object: a FeatureCollection, a Feature or a bare
// geometry.
type gjObject struct {
	Type        string                     `json:"type"`
	Features    []gjObject                 `json:"features"`
	ID          json.RawMessage            `json:"id"`
	Properties  map[string]json.RawMessage `json:"properties"`
	Geometry    *gjGeometry                `json:"geometry"`
	Coordinates json.RawMessage            `json:"coordinates"`
	Geometries  []gjGeometry               `json:"geometries"`
}

// gjGeometry is a GeoJSON geometry object.
type gjGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
	Geometries  []gjGeometry    `json:"geometries"`
}

// DecodeGeoJSON reads a GeoJSON FeatureCollection, one feature per
// Feature; a lone Feature or geometry gives one feature. A feature's "id"
// is Props["id"], over a property of that name.
func DecodeGeoJSON(data []byte) ([]geom.Feature, error) {
	var doc gjObject
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, docErr("geojson", "", jsonErr(err))
	}
	members := []gjObject{doc}
	switch doc.Type {
	case "FeatureCollection":
		members = doc.Features
	case "Feature":
	case "":
		return nil, docErr("geojson", "", fmt.Errorf("no type: not a GeoJSON object"))
	default:
		// a bare geometry
		members[0] = gjObject{Type: "Feature", Geometry: &gjGeometry{Type: doc.Type, Coordinates: doc.Coordinates, Geometries: doc.Geometries}}
	}
	d := &decoder{budget: len(data)}
	feats := make([]geom.Feature, 0, len(members))
	for i := range members {
		m := &members[i]
		props, id, err := properties(m.ID, m.Properties)
		if err == nil && m.Type != "Feature" {
			err = fmt.Errorf("type is %q, not \"Feature\"", m.Type)
		}
		if err == nil {
			f := geom.Feature{Props: props}
			if m.Geometry != nil {
				err = d.addGeoJSON(&f, m.Geometry, 0)
			}
			feats = append(feats, f)
		}
		if err != nil {
			return nil, &ParseError{Format: "geojson", Feature: i, ID: id, Err: err}
		}
	}
	return feats, nil
}

// addGeoJSON puts g's shapes into f.
func (d *decoder) addGeoJSON(f *geom.Feature, g *gjGeometry, depth int) error {
	return addGeometry(d, f, g.Type, g.Coordinates, "coordinates", d.gjPolygon, g.Coordinates,
		len(g.Geometries), func(i int) error { return d.addGeoJSON(f, &g.Geometries[i], depth+1) }, depth)
}

// gjPolygon converts a polygon's rings; nil when the outer ring is empty.
func (d *decoder) gjPolygon(rings [][][]float64) (geom.Polygon, error) {
	var p geom.Polygon
	for i, pos := range rings {
		if len(pos) == 0 {
			if i == 0 {
				return nil, nil
			}
			continue
		}
		r := make(geom.Ring, len(pos))
		for j, xy := range pos {
			if len(xy) < 2 {
				return nil, fmt.Errorf("ring %d: position %d has %d coordinates", i, j, len(xy))
			}
			r[j] = geom.Point{X: xy[0], Y: xy[1]}
		}
		p = append(p, r)
	}
	return p, nil
}

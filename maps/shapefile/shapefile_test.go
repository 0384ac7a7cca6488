package shapefile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/knockmap/knockmap/maps/geom"
)

// A tiny shapefile writer, enough to build the fixtures below.

// testShape is one record: its shape type and its parts (a Point record
// uses parts[0][0], a MultiPoint record parts[0]).
type testShape struct {
	typ   int32
	parts [][]geom.Point
}

// testField is a .dbf field descriptor.
type testField struct {
	name string
	typ  byte
	len  int
}

// fixture is a whole shapefile: shapes, attribute table and code page.
type fixture struct {
	name    string
	typ     int32
	shapes  []testShape
	fields  []testField
	rows    [][]string // raw bytes of each value, already encoded
	deleted map[int]bool
	ldid    byte
	cpg     string
}

func pt(x, y float64) geom.Point { return geom.Point{X: x, Y: y} }

func sq(x0, y0, x1, y1 float64) []geom.Point { // clockwise square, closed
	return []geom.Point{pt(x0, y0), pt(x0, y1), pt(x1, y1), pt(x1, y0), pt(x0, y0)}
}

func reversed(r []geom.Point) []geom.Point {
	out := make([]geom.Point, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

func encodeShape(s testShape) []byte {
	var b []byte
	i32 := func(v int32) { b = binary.LittleEndian.AppendUint32(b, uint32(v)) }
	f64 := func(v float64) { b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v)) }
	var all []geom.Point
	for _, p := range s.parts {
		all = append(all, p...)
	}
	box := func() {
		bb := geom.Empty()
		for _, p := range all {
			bb = bb.Extend(p)
		}
		f64(bb.Min.X)
		f64(bb.Min.Y)
		f64(bb.Max.X)
		f64(bb.Max.Y)
	}
	hasZ := s.typ >= 11 && s.typ <= 18
	hasM := hasZ || s.typ >= 21
	measures := func() { // Z range and values, then M range and values
		if hasZ {
			f64(100)
			f64(100 + float64(len(all)-1))
			for i := range all {
				f64(100 + float64(i))
			}
		}
		if hasM {
			f64(200)
			f64(200 + float64(len(all)-1))
			for i := range all {
				f64(200 + float64(i))
			}
		}
	}
	i32(s.typ)
	switch s.typ % 10 {
	case typePoint:
		p := s.parts[0][0]
		f64(p.X)
		f64(p.Y)
		if hasZ {
			f64(100)
		}
		if hasM {
			f64(200)
		}
	case typeMultiPoint:
		box()
		i32(int32(len(all)))
		for _, p := range all {
			f64(p.X)
			f64(p.Y)
		}
		measures()
	case typePolyLine, typePolygon:
		box()
		i32(int32(len(s.parts)))
		i32(int32(len(all)))
		n := 0
		for _, p := range s.parts {
			i32(int32(n))
			n += len(p)
		}
		for _, p := range all {
			f64(p.X)
			f64(p.Y)
		}
		measures()
	}
	return b
}

func (fx fixture) files() (shp, shx, dbf []byte) {
	header := func(length int) []byte {
		h := make([]byte, 100)
		binary.BigEndian.PutUint32(h, fileCode)
		binary.BigEndian.PutUint32(h[24:], uint32(length/2))
		binary.LittleEndian.PutUint32(h[28:], 1000)
		binary.LittleEndian.PutUint32(h[32:], uint32(fx.typ))
		return h
	}
	var body []byte
	var index []byte
	for i, s := range fx.shapes {
		c := encodeShape(s)
		index = binary.BigEndian.AppendUint32(index, uint32((100+len(body))/2))
		index = binary.BigEndian.AppendUint32(index, uint32(len(c)/2))
		body = binary.BigEndian.AppendUint32(body, uint32(i+1))
		body = binary.BigEndian.AppendUint32(body, uint32(len(c)/2))
		body = append(body, c...)
	}
	shp = append(header(100+len(body)), body...)
	shx = append(header(100+len(index)), index...)

	recordLen := 1
	for _, f := range fx.fields {
		recordLen += f.len
	}
	headerLen := 32 + 32*len(fx.fields) + 1
	dbf = make([]byte, 32, headerLen)
	dbf[0] = 0x03
	dbf[1], dbf[2], dbf[3] = 125, 1, 31
	binary.LittleEndian.PutUint32(dbf[4:], uint32(len(fx.rows)))
	binary.LittleEndian.PutUint16(dbf[8:], uint16(headerLen))
	binary.LittleEndian.PutUint16(dbf[10:], uint16(recordLen))
	dbf[29] = fx.ldid
	for _, f := range fx.fields {
		d := make([]byte, 32)
		copy(d, f.name)
		d[11] = f.typ
		d[16] = byte(f.len)
		dbf = append(dbf, d...)
	}
	dbf = append(dbf, 0x0D)
	for i, row := range fx.rows {
		flag := byte(' ')
		if fx.deleted[i] {
			flag = '*'
		}
		dbf = append(dbf, flag)
		for j, f := range fx.fields {
			v := row[j]
			if f.typ == 'N' || f.typ == 'F' {
				v = strings.Repeat(" ", f.len-len(v)) + v
			} else {
				v += strings.Repeat(" ", f.len-len(v))
			}
			dbf = append(dbf, v...)
		}
	}
	dbf = append(dbf, 0x1A)
	return shp, shx, dbf
}

// write puts the fixture's files into dir and returns their base path.
func (fx fixture) write(t *testing.T, dir string) string {
	t.Helper()
	base := filepath.Join(dir, fx.name)
	shp, shx, dbf := fx.files()
	files := map[string][]byte{".shp": shp, ".shx": shx, ".dbf": dbf}
	if fx.cpg != "" {
		files[".cpg"] = []byte(fx.cpg)
	}
	for ext, b := range files {
		if err := os.WriteFile(base+ext, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return base
}

// The fixtures, and what reading them must give.

var (
	square     = sq(0, 0, 10, 10)
	squareHole = reversed(sq(2, 2, 4, 4))
	islandA    = sq(20, 0, 22, 2)
	islandB    = sq(30, 0, 33, 3)
	holeInA    = reversed(sq(20.5, 0.5, 21.5, 1.5))
	big        = sq(0, 0, 100, 100)
	lake       = reversed(sq(10, 10, 90, 90))
	islet      = sq(40, 40, 60, 60)
	pond       = reversed(sq(45, 45, 55, 55))
	ccwOuter1  = reversed(sq(0, 0, 1, 1))
	ccwOuter2  = reversed(sq(5, 5, 6, 6))
	touching   = []geom.Point{pt(0, 0), pt(5, 2), pt(2, 5), pt(0, 0)} // a hole with a vertex on the outer ring
	sliver     = []geom.Point{pt(7, 7), pt(8, 8)}                     // too short to be a ring: dropped
)

var nameFields = []testField{{"NAME", 'C', 16}, {"POP", 'N', 10}, {"AREA", 'F', 12}}

var lands = fixture{
	name: "lands",
	typ:  typePolygon,
	shapes: []testShape{
		{typePolygon, [][]geom.Point{square, squareHole}},
		{typePolygon, [][]geom.Point{islandA, islandB, holeInA}},
		{typeNull, nil},
		{typePolygon, [][]geom.Point{pond, islet, lake, big}},
		{typePolygon, [][]geom.Point{ccwOuter1, ccwOuter2}},
		{typePolygon, [][]geom.Point{square, sliver, touching}},
	},
	fields: nameFields,
	rows: [][]string{
		{"Z\xfcrich", "421878", "87.880"}, // Latin-1
		{"Islands", "12", "13.000"},
		{"Nowhere", "", ""},
		{"Nested", "-1", "0.5"},
		{"Backwards", "2", "2.000"},
		{"Touching", "3", "100.000"},
	},
	deleted: map[int]bool{2: true},
	cpg:     "ISO-8859-1\r\n",
}

func ring(pts []geom.Point) geom.Ring { return geom.Ring(pts) }

var landsWant = []geom.Feature{
	{
		Props:    map[string]string{"NAME": "Zürich", "POP": "421878", "AREA": "87.880"},
		Polygons: geom.MultiPolygon{{ring(square), ring(squareHole)}},
	},
	{
		Props:    map[string]string{"NAME": "Islands", "POP": "12", "AREA": "13.000"},
		Polygons: geom.MultiPolygon{{ring(islandA), ring(holeInA)}, {ring(islandB)}},
	},
	{Props: map[string]string{"NAME": "Nowhere", "POP": "", "AREA": ""}},
	{
		Props:    map[string]string{"NAME": "Nested", "POP": "-1", "AREA": "0.5"},
		Polygons: geom.MultiPolygon{{ring(islet), ring(pond)}, {ring(big), ring(lake)}},
	},
	{
		Props:    map[string]string{"NAME": "Backwards", "POP": "2", "AREA": "2.000"},
		Polygons: geom.MultiPolygon{{ring(ccwOuter1)}, {ring(ccwOuter2)}},
	},
	{
		Props:    map[string]string{"NAME": "Touching", "POP": "3", "AREA": "100.000"},
		Polygons: geom.MultiPolygon{{ring(square), ring(touching)}},
	},
}

var towns = fixture{
	name: "towns",
	typ:  typePoint,
	shapes: []testShape{
		{typePoint, [][]geom.Point{{pt(8.55, 47.3667)}}},
		{typeNull, nil},
		{typePoint, [][]geom.Point{{pt(-179.5, -16.25)}}},
	},
	fields: []testField{{"NAME", 'C', 8}, {"CAPITAL", 'L', 1}},
	rows:   [][]string{{"\x80uro", "T"}, {"", "?"}, {"  Fidji", "F"}},
	ldid:   0x57, // Windows-1252: 0x80 is the euro sign
}

var townsWant = []geom.Feature{
	{Props: map[string]string{"NAME": "€uro", "CAPITAL": "T"}, Points: []geom.Point{pt(8.55, 47.3667)}},
	{Props: map[string]string{"NAME": "", "CAPITAL": "?"}},
	{Props: map[string]string{"NAME": "Fidji", "CAPITAL": "F"}, Points: []geom.Point{pt(-179.5, -16.25)}},
}

var lakesZ = fixture{
	name: "lakesz",
	typ:  typePolygon + zOffset,
	shapes: []testShape{
		{typePolygon + zOffset, [][]geom.Point{square, squareHole}},
		{typeNull, nil},
	},
	fields: nameFields[:1],
	rows:   [][]string{{"\xc5\xa0kofja"}, {"Loka"}}, // UTF-8, no .cpg, LDID 0
}

var lakesZWant = []geom.Feature{
	{Props: map[string]string{"NAME": "Škofja"}, Polygons: geom.MultiPolygon{{ring(square), ring(squareHole)}}},
	{Props: map[string]string{"NAME": "Loka"}},
}

var others = fixture{
	name: "others",
	typ:  typeMultiPoint + mOffset, // not every record has to match (only a few writers mix)
	shapes: []testShape{
		{typeMultiPoint + mOffset, [][]geom.Point{{pt(1, 2), pt(3, 4), pt(5, 6)}}},
		{typeMultiPoint, [][]geom.Point{{pt(7, 8)}}},
		{typePoint + zOffset, [][]geom.Point{{pt(9, 10)}}},
		{typePoint + mOffset, [][]geom.Point{{pt(11, 12)}}},
		{typePolyLine, [][]geom.Point{{pt(0, 0), pt(1, 1)}, {pt(2, 2), pt(3, 3)}}},
		{typePolyLine + zOffset, [][]geom.Point{{pt(0, 0), pt(1, 1)}}},
		{typePolygon + mOffset, [][]geom.Point{islandB}},
	},
	fields: []testField{{"ID", 'N', 3}},
	rows:   [][]string{{"1"}, {"2"}, {"3"}, {"4"}, {"5"}, {"6"}, {"7"}},
	ldid:   0x00,
	cpg:    "UTF-8",
}

var othersWant = []geom.Feature{
	{Props: map[string]string{"ID": "1"}, Points: []geom.Point{pt(1, 2), pt(3, 4), pt(5, 6)}},
	{Props: map[string]string{"ID": "2"}, Points: []geom.Point{pt(7, 8)}},
	{Props: map[string]string{"ID": "3"}, Points: []geom.Point{pt(9, 10)}},
	{Props: map[string]string{"ID": "4"}, Points: []geom.Point{pt(11, 12)}},
	{Props: map[string]string{"ID": "5"}},
	{Props: map[string]string{"ID": "6"}},
	{Props: map[string]string{"ID": "7"}, Polygons: geom.MultiPolygon{{ring(islandB)}}},
}

var fixtures = []struct {
	fx   fixture
	want []geom.Feature
}{
	{lands, landsWant},
	{towns, townsWant},
	{lakesZ, lakesZWant},
	{others, othersWant},
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range fixtures {
		t.Run(tt.fx.name, func(t *testing.T) {
			base := tt.fx.write(t, dir)
			for _, path := range []string{base, base + ".shp"} {
				got, err := Open(path)
				if err != nil {
					t.Fatalf("Open(%q): %v", path, err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("Open(%q):\n got %v\nwant %v", path, got, tt.want)
				}
			}
		})
	}
}

func TestReadWithoutIndex(t *testing.T) {
	for _, tt := range fixtures {
		t.Run(tt.fx.name, func(t *testing.T) {
			shp, _, dbf := tt.fx.files()
			got, err := Read(tt.fx.name, shp, nil, dbf, tt.fx.cpg)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestReadWithoutTable(t *testing.T) {
	shp, shx, _ := lands.files()
	got, err := Read("lands", shp, shx, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(landsWant) {
		t.Fatalf("%d features, want %d", len(got), len(landsWant))
	}
	for i, f := range got {
		if f.Props == nil || len(f.Props) != 0 {
			t.Errorf("feature %d: Props %v, want empty and non-nil", i, f.Props)
		}
		if !reflect.DeepEqual(f.Polygons, landsWant[i].Polygons) {
			t.Errorf("feature %d: %v, want %v", i, f.Polygons, landsWant[i].Polygons)
		}
	}
}

// Rings share one array per record; appending to one must not overwrite
// the next.
func TestRingsDoNotAlias(t *testing.T) {
	shp, shx, dbf := lands.files()
	got, err := Read("lands", shp, shx, dbf, lands.cpg)
	if err != nil {
		t.Fatal(err)
	}
	p := got[0].Polygons[0]
	_ = append(p[0], geom.Point{X: -1, Y: -1})
	if !reflect.DeepEqual(p[1], ring(squareHole)) {
		t.Errorf("hole changed to %v after appending to the outer ring", p[1])
	}
}

func TestOpenUpperCase(t *testing.T) {
	dir := t.TempDir()
	shp, shx, dbf := towns.files()
	for ext, b := range map[string][]byte{".SHP": shp, ".SHX": shx, ".DBF": dbf} {
		if err := os.WriteFile(filepath.Join(dir, "TOWNS"+ext), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Open(filepath.Join(dir, "TOWNS.SHP"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, townsWant) {
		t.Errorf("got %v\nwant %v", got, townsWant)
	}
}

func TestOpenShpAlone(t *testing.T) {
	dir := t.TempDir()
	shp, _, _ := towns.files()
	base := filepath.Join(dir, "alone")
	if err := os.WriteFile(base+".shp", shp, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Open(base)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(townsWant) {
		t.Fatalf("%d features, want %d", len(got), len(townsWant))
	}
	for i, f := range got {
		if len(f.Props) != 0 || !reflect.DeepEqual(f.Points, townsWant[i].Points) {
			t.Errorf("feature %d: %v, want points %v and no props", i, f, townsWant[i].Points)
		}
	}
}

func TestOpenMissing(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "absent"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want not-exist", err)
	}
}

func TestDecoder(t *testing.T) {
	tests := []struct {
		name, cpg string
		ldid      byte
		in, want  string
	}{
		{"cpg latin1", "ISO-8859-1", 0, "Z\xfcrich", "Zürich"},
		{"cpg with BOM", "\uFEFFUTF-8\n", 0x57, "\xc3\xbc", "ü"},
		{"cpg 88591", "88591", 0x57, "\x80", "\u0080"},
		{"cpg wins over ldid", "UTF-8", 0x57, "\xc3\xbc", "ü"},
		{"cpg utf8 invalid bytes", "utf-8", 0, "a\xffb", "a\uFFFDb"},
		{"cpg ansi 1252", "ANSI 1252", 0, "\x80", "€"},
		{"cpg windows-1251", "windows-1251", 0, "\xcc\xee\xf1\xea\xe2\xe0", "Москва"},
		{"cpg cp1250", "CP1250", 0, "\x8a", "Š"},
		{"cpg unknown falls to ldid", "EBCDIC-Klingon", 0x57, "\x80", "€"},
		{"ldid 0x57", "", 0x57, "\x80uro", "€uro"},
		{"ldid 0x01 cp437", "", 0x01, "\x81", "ü"},
		{"ldid 0 utf8", "", 0, "S\xc3\xa3o Tom\xc3\xa9", "São Tomé"},
		{"ldid 0 latin1", "", 0, "S\xe3o Tom\xe9", "São Tomé"},
		{"unknown ldid like 0", "", 0x42, "S\xe3o", "São"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec := decoder(tt.cpg, tt.ldid, []byte(tt.in))
			if got := dec([]byte(tt.in)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSignedAreaConvention(t *testing.T) {
	// The spec: "The neighborhood to the right of an observer walking along
	// the ring in vertex order is the inside of the polygon", so outer rings
	// run clockwise and their shoelace area is negative.
	if a := signedArea(ring(sq(0, 0, 2, 3))); a != -6 {
		t.Errorf("clockwise square: area %v, want -6", a)
	}
	if a := signedArea(ring(reversed(sq(0, 0, 2, 3)))); a != 6 {
		t.Errorf("counter-clockwise square: area %v, want 6", a)
	}
}

// The Census Bureau's cartographic boundary files, when present.

func censusBase(t *testing.T, name string) string {
	t.Helper()
	base := filepath.Join("..", "..", "..", "shared", "maps", "census", name)
	if _, err := os.Stat(base + ".shp"); errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s.shp not present", base)
	}
	return base
}

func TestCensusStates(t *testing.T) {
	tests := []struct {
		name     string
		features int
		extra    []string // territories present only at this scale
	}{
		{"cb_2018_us_state_20m", 52, nil},
		{"cb_2018_us_state_5m", 56, []string{"AS", "GU", "MP", "VI"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			features, err := Open(censusBase(t, tt.name))
			if err != nil {
				t.Fatal(err)
			}
			if len(features) != tt.features {
				t.Fatalf("%d features, want %d", len(features), tt.features)
			}
			byCode := map[string]geom.Feature{}
			for i, f := range features {
				if f.Props["STUSPS"] == "" || f.Props["NAME"] == "" {
					t.Errorf("feature %d lacks STUSPS or NAME: %v", i, f.Props)
				}
				if len(f.Polygons) == 0 {
					t.Errorf("feature %d (%s) has no polygons", i, f.Props["NAME"])
				}
				byCode[f.Props["STUSPS"]] = f
			}
			for _, code := range append([]string{"AK", "HI", "CO", "DC", "PR"}, tt.extra...) {
				if _, ok := byCode[code]; !ok {
					t.Errorf("no feature with STUSPS %s", code)
				}
			}

			// Alaska's Aleutians run past the antimeridian: the western
			// islands are written with positive longitudes, near +180°.
			ak := byCode["AK"]
			if ak.Props["NAME"] != "Alaska" {
				t.Errorf("AK is named %q", ak.Props["NAME"])
			}
			b := ak.Polygons.Bounds()
			if len(ak.Polygons) < 2 || b.Min.X > -170 || b.Max.X < 170 {
				t.Errorf("Alaska: %d polygons, bounds %v; want many, from below -170° to above 170°", len(ak.Polygons), b)
			}
			east := 0
			for _, p := range ak.Polygons {
				if p[0][0].X > 0 {
					east++
				}
			}
			if east == 0 {
				t.Error("Alaska has no polygon in the eastern hemisphere")
			}

			if hi := byCode["HI"]; len(hi.Polygons) < 5 {
				t.Errorf("Hawaii has %d polygons, want at least 5", len(hi.Polygons))
			}

			co := byCode["CO"]
			want := geom.Bounds{Min: geom.Point{X: -109.06, Y: 36.99}, Max: geom.Point{X: -102.04, Y: 41.0}}
			got := co.Polygons.Bounds()
			if math.Abs(got.Min.X-want.Min.X) > 0.05 || math.Abs(got.Min.Y-want.Min.Y) > 0.05 ||
				math.Abs(got.Max.X-want.Max.X) > 0.05 || math.Abs(got.Max.Y-want.Max.Y) > 0.05 {
				t.Errorf("Colorado bounds %v, want about %v", got, want)
			}
			if co.Props["NAME"] != "Colorado" || len(co.Polygons) != 1 || len(co.Polygons[0]) != 1 {
				t.Errorf("Colorado: %q, %d polygons", co.Props["NAME"], len(co.Polygons))
			}

			// The index and the sequential walk must agree.
			base := censusBase(t, tt.name)
			shp, _ := os.ReadFile(base + ".shp")
			dbf, _ := os.ReadFile(base + ".dbf")
			seq, err := Read(base, shp, nil, dbf, "UTF-8")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(seq, features) {
				t.Error("reading without the .shx gives other features")
			}
		})
	}
}

// Malformed input.

func put32(order binary.ByteOrder, b []byte, at int, v uint32) []byte {
	b = bytes.Clone(b)
	order.PutUint32(b[at:], v)
	return b
}

func TestMalformed(t *testing.T) {
	shp, shx, dbf := lands.files()
	_, _, townsDBF := towns.files()
	be, le := binary.BigEndian, binary.LittleEndian
	// The first record's header is at 100, its content at 108: shape type,
	// box, NumParts at 144, NumPoints at 148, Parts from 152.
	const rec1 = 100
	tests := []struct {
		name          string
		shp, shx, dbf []byte
		file          string // the error must name this file...
		record        int    // ... and this record (0: the header)
	}{
		{"empty shp", nil, nil, nil, "t.shp", 0},
		{"short shp", shp[:60], nil, nil, "t.shp", 0},
		{"file code", put32(be, shp, 0, 9995), shx, dbf, "t.shp", 0},
		{"shp length past end", put32(be, shp, 24, uint32(len(shp)/2+1)), shx, dbf, "t.shp", 0},
		{"shp length negative", put32(be, shp, 24, 0x80000000), shx, dbf, "t.shp", 0},
		{"shp header multipatch", put32(le, shp, 32, 31), shx, dbf, "t.shp", 0},
		{"record of 2^31 bytes", put32(be, shp, rec1+4, 1<<30), nil, dbf, "t.shp", 1},
		{"record of 2^31 bytes, indexed", put32(be, shp, rec1+4, 1<<30), put32(be, shx, 104, 1<<30), dbf, "t.shp", 1},
		{"record length negative", put32(be, shp, rec1+4, 0xFFFFFFFF), nil, dbf, "t.shp", 1},
		{"record length disagrees with index", put32(be, shp, rec1+4, 1<<30), shx, dbf, "t.shx", 1},
		{"record shorter than type", put32(be, shp, rec1+4, 1), nil, dbf, "t.shp", 1},
		{"huge NumParts", put32(le, shp, 144, 0x7FFFFFFF), shx, dbf, "t.shp", 1},
		{"huge NumPoints", put32(le, shp, 148, 0x7FFFFFFF), shx, dbf, "t.shp", 1},
		{"negative NumPoints", put32(le, shp, 148, 0xFFFFFFFF), shx, dbf, "t.shp", 1},
		{"negative NumParts", put32(le, shp, 144, 0x80000000), shx, dbf, "t.shp", 1},
		{"points without parts", put32(le, shp, 144, 0), shx, dbf, "t.shp", 1},
		{"part past the points", put32(le, shp, 156, 1000), shx, dbf, "t.shp", 1},
		{"parts out of order", put32(le, shp, 156, 0xFFFFFFFF), shx, dbf, "t.shp", 1},
		{"first part not at 0", put32(le, shp, 152, 1), shx, dbf, "t.shp", 1},
		{"NaN coordinate", put32(le, put32(le, shp, 160+4, 0x7FF80000), 160, 0), shx, dbf, "t.shp", 1},
		{"MultiPatch record", put32(le, shp, 108, 31), shx, dbf, "t.shp", 1},
		{"unknown shape type", put32(le, shp, 108, 99), shx, dbf, "t.shp", 1},
		{"index offset past shp", shp, put32(be, shx, 108, 1<<30), dbf, "t.shx", 2},
		{"index offset into header", shp, put32(be, shx, 108, 10), dbf, "t.shx", 2},
		{"index of odd length", shp, put32(be, shx, 24, uint32(len(shx)/2-2)), dbf, "t.shx", 0},
		{"index file code", shp, put32(be, shx, 0, 0), dbf, "t.shx", 0},
		{"index shorter than shp", shp, shx[:len(shx)-8], dbf, "t.shx", 0},
		{"short dbf", shp, shx, dbf[:31], "t.dbf", 0},
		{"dbf header past end", shp, shx, put32(le, dbf, 8, 0xFFFF|uint32(le.Uint16(dbf[10:]))<<16), "t.dbf", 0},
		{"dbf header too short", shp, shx, put32(le, dbf, 8, 20|uint32(le.Uint16(dbf[10:]))<<16), "t.dbf", 0},
		{"dbf record length 0", shp, shx, put32(le, dbf, 8, uint32(le.Uint16(dbf[8:]))), "t.dbf", 0},
		{"dbf 2^32-1 records", shp, shx, put32(le, dbf, 4, 0xFFFFFFFF), "t.dbf", 0},
		{"dbf record count disagrees", shp, shx, townsDBF, "t.dbf", 0},
		{"dbf truncated records", shp, shx, dbf[:len(dbf)-10], "t.dbf", 0},
		{"dbf field past record", shp, shx, func() []byte {
			b := bytes.Clone(dbf)
			b[32+16] = 250
			return b
		}(), "t.dbf", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			features, err := Read("t", tt.shp, tt.shx, tt.dbf, "")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %d features and error %v, want a *ParseError", len(features), err)
			}
			if pe.File != tt.file || pe.Record != tt.record {
				t.Errorf("error %q names %s record %d, want %s record %d", err, pe.File, pe.Record, tt.file, tt.record)
			}
			if !strings.HasPrefix(err.Error(), tt.file+": ") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
}

// Counts that lie are refused before anything is allocated for them.
func TestHugeCountsStayBounded(t *testing.T) {
	shp, shx, dbf := lands.files()
	inputs := [][]byte{
		put32(binary.LittleEndian, put32(binary.LittleEndian, shp, 144, 0x7FFFFFFF), 148, 0x7FFFFFFF),
		put32(binary.LittleEndian, shp, 148, 0x7FFFFFFF),
		put32(binary.BigEndian, shp, 104, 0x7FFFFFFF),
	}
	hugeDBF := put32(binary.LittleEndian, dbf, 4, 0xFFFFFFFF)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	for range 100 {
		for _, in := range inputs {
			if _, err := Read("t", in, nil, dbf, ""); err == nil {
				t.Fatal("no error")
			}
		}
		if _, err := Read("t", shp, shx, hugeDBF, ""); err == nil {
			t.Fatal("no error")
		}
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > 10<<20 {
		t.Errorf("400 refused reads allocated %d bytes", d)
	}
	if elapsed > 2*time.Second {
		t.Errorf("400 refused reads took %v", elapsed)
	}
}

// Every prefix of every file either fails or reads as a prefix of the
// whole.
func TestTruncated(t *testing.T) {
	for _, tt := range fixtures {
		shp, shx, dbf := tt.fx.files()
		for kind := range 3 {
			full := [][]byte{shp, shx, dbf}[kind]
			for n := 1; n < len(full); n++ {
				in := [][]byte{shp, shx, dbf}
				in[kind] = full[:n]
				got, err := Read(tt.fx.name, in[0], in[1], in[2], tt.fx.cpg)
				if err != nil {
					var pe *ParseError
					if !errors.As(err, &pe) {
						t.Errorf("%s, %d bytes of file %d: error %v is not a *ParseError", tt.fx.name, n, kind, err)
					}
					continue
				}
				if len(got) > len(tt.want) || !reflect.DeepEqual(got, tt.want[:len(got)]) {
					t.Errorf("%s, %d bytes of file %d: got %v, want a prefix of %v", tt.fx.name, n, kind, got, tt.want)
				}
			}
		}
	}
}

func TestParseErrorText(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", &ParseError{File: "x.shp", Record: 3, Err: errors.New("bad")})
	if got := err.Error(); got != "wrapped: x.shp: record 3: bad" {
		t.Errorf("got %q", got)
	}
	if got := (&ParseError{File: "x.dbf", Err: errors.New("bad")}).Error(); got != "x.dbf: header: bad" {
		t.Errorf("got %q", got)
	}
}

func BenchmarkReadCensus5m(b *testing.B) {
	base := filepath.Join("..", "..", "..", "shared", "maps", "census", "cb_2018_us_state_5m")
	shp, err := os.ReadFile(base + ".shp")
	if err != nil {
		b.Skip(err)
	}
	shx, _ := os.ReadFile(base + ".shx")
	dbf, _ := os.ReadFile(base + ".dbf")
	b.SetBytes(int64(len(shp) + len(shx) + len(dbf)))
	for b.Loop() {
		if _, err := Read(base, shp, shx, dbf, "UTF-8"); err != nil {
			b.Fatal(err)
		}
	}
}

// Package shapefile reads ESRI shapefiles (.shp with its .shx index, .dbf
// attribute table and .cpg code page) into geom.Features, following the ESRI
// Shapefile Technical Description (1998) and the dBASE III/IV table layout.
//
// Malformed input is refused with a *ParseError naming the file and the
// record; every count and length read from a file is checked against the
// bytes that are really there before anything is allocated for it.
package shapefile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strings"

	"github.com/knockmap/knockmap/maps/geom"
)

// ParseError reports malformed input: which file, which record (counted
// from 1; 0 means the file's header) and what is wrong with it.
type ParseError struct {
	File   string
	Record int
	Err    error
}

// Error says "file: record n: what", or "file: header: what".
func (e *ParseError) Error() string {
	if e.Record == 0 {
		return fmt.Sprintf("%s: header: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s: record %d: %v", e.File, e.Record, e.Err)
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

func parseErr(file string, record int, format string, args ...any) error {
	return &ParseError{File: file, Record: record, Err: fmt.Errorf(format, args...)}
}

// Open reads the shapefile at base, given with or without its .shp
// extension: base.shp, and base.shx, base.dbf and base.cpg when they exist.
// It returns one feature per record, in file order, so feature i carries
// the attributes of .dbf record i (see Read for what each shape gives).
func Open(base string) ([]geom.Feature, error) {
	ext := ".shp"
	if n := len(base) - len(ext); n > 0 && strings.EqualFold(base[n:], ext) {
		ext = base[n:]
		base = base[:n]
	}
	shp, err := os.ReadFile(base + ext)
	if err != nil {
		return nil, err
	}
	upper := ext == ".SHP"
	shx, err := readSibling(base, ".shx", upper)
	if err != nil {
		return nil, err
	}
	dbf, err := readSibling(base, ".dbf", upper)
	if err != nil {
		return nil, err
	}
	cpg, err := readSibling(base, ".cpg", upper)
	if err != nil {
		return nil, err
	}
	return Read(base, shp, shx, dbf, string(cpg))
}

// readSibling reads base+ext (or its upper-case spelling when the .shp was
// upper case); a missing file gives nil and no error.
func readSibling(base, ext string, upper bool) ([]byte, error) {
	names := []string{base + ext}
	if upper {
		names = []string{base + strings.ToUpper(ext), base + ext}
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err == nil {
			return b, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return nil, nil
}

// Read decodes a shapefile held in memory; name (the path without
// extension) only labels errors. shp is required; an empty shx means no
// index (records are then read in sequence), an empty dbf means no
// attributes, and cpg is the .cpg file's text naming the .dbf's code page.
//
// There is one feature per record. Polygon records give Polygons: a
// clockwise ring starts a polygon and counter-clockwise rings are holes of
// the smallest outer ring holding them (a hole inside no outer ring is
// taken as an outer ring itself). Point and MultiPoint records give Points.
// Z and M variants give their 2-D part. Null and PolyLine records give a
// feature with attributes only. Props always holds every .dbf field, as
// trimmed text; deleted .dbf records are kept, so that indexes line up.
func Read(name string, shp, shx, dbf []byte, cpg string) ([]geom.Feature, error) {
	shpFile := name + ".shp"
	end, err := parseHeader(shpFile, shp)
	if err != nil {
		return nil, err
	}
	var records [][]byte
	if len(shx) > 0 {
		records, err = indexedRecords(shpFile, name+".shx", shp[:end], shx)
	} else {
		records, err = sequentialRecords(shpFile, shp[:end])
	}
	if err != nil {
		return nil, err
	}
	var props []map[string]string
	if len(dbf) > 0 {
		props, err = readDBF(name+".dbf", dbf, cpg, len(records))
		if err != nil {
			return nil, err
		}
	}
	features := make([]geom.Feature, len(records))
	for i, content := range records {
		f := &features[i]
		f.Polygons, f.Points, err = decodeShape(content)
		if err != nil {
			return nil, &ParseError{File: shpFile, Record: i + 1, Err: err}
		}
		if props != nil {
			f.Props = props[i]
		} else {
			f.Props = map[string]string{}
		}
	}
	return features, nil
}

// Shape types of the 1998 specification.
const (
	typeNull        = 0
	typePoint       = 1
	typePolyLine    = 3
	typePolygon     = 5
	typeMultiPoint  = 8
	typeMultiPatch  = 31
	zOffset         = 10 // PointZ is 11, PolygonZ 15, ...
	mOffset         = 20 // PointM is 21, PolygonM 25, ...
	fileCode        = 9994
	mainHeaderBytes = 100
	recHeaderBytes  = 8
)

// planar maps a shape type to its 2-D base type; ok is false for types this
// package does not read.
func planar(t int32) (base int32, ok bool) {
	switch t {
	case typeNull, typePoint, typePolyLine, typePolygon, typeMultiPoint:
		return t, true
	case typePoint + zOffset, typePolyLine + zOffset, typePolygon + zOffset, typeMultiPoint + zOffset:
		return t - zOffset, true
	case typePoint + mOffset, typePolyLine + mOffset, typePolygon + mOffset, typeMultiPoint + mOffset:
		return t - mOffset, true
	}
	return 0, false
}

func unsupported(t int32) error {
	if t == typeMultiPatch {
		return errors.New("shape type 31 (MultiPatch) is not supported")
	}
	return fmt.Errorf("unknown shape type %d", t)
}

// parseHeader checks the 100-byte header shared by .shp and .shx and
// returns the file length it declares, which is never more than len(b).
func parseHeader(file string, b []byte) (int, error) {
	if len(b) < mainHeaderBytes {
		return 0, parseErr(file, 0, "file has %d bytes, less than the %d-byte header", len(b), mainHeaderBytes)
	}
	if code := int32(binary.BigEndian.Uint32(b)); code != fileCode {
		return 0, parseErr(file, 0, "file code %d, want %d", code, fileCode)
	}
	n := int64(int32(binary.BigEndian.Uint32(b[24:]))) * 2
	if n < mainHeaderBytes {
		return 0, parseErr(file, 0, "file length %d bytes is less than the header", n)
	}
	if n > int64(len(b)) {
		return 0, parseErr(file, 0, "file length %d bytes, but the file has %d (truncated?)", n, len(b))
	}
	if t := int32(binary.LittleEndian.Uint32(b[32:])); t != typeNull {
		if _, ok := planar(t); !ok {
			return 0, parseErr(file, 0, "%v", unsupported(t))
		}
	}
	return int(n), nil
}

// sequentialRecords walks the records of shp (cut to its declared length)
// one after the other and returns their contents.
func sequentialRecords(file string, shp []byte) ([][]byte, error) {
	var records [][]byte
	for pos, n := mainHeaderBytes, 1; pos < len(shp); n++ {
		if len(shp)-pos < recHeaderBytes {
			return nil, parseErr(file, n, "record header needs %d bytes, %d left", recHeaderBytes, len(shp)-pos)
		}
		content, err := recordContent(shp, pos, int64(int32(binary.BigEndian.Uint32(shp[pos+4:]))))
		if err != nil {
			return nil, &ParseError{File: file, Record: n, Err: err}
		}
		records = append(records, content)
		pos += recHeaderBytes + len(content)
	}
	return records, nil
}

// indexedRecords finds the records of shp through the offsets in shx.
func indexedRecords(shpFile, shxFile string, shp, shx []byte) ([][]byte, error) {
	end, err := parseHeader(shxFile, shx)
	if err != nil {
		return nil, err
	}
	if (end-mainHeaderBytes)%8 != 0 {
		return nil, parseErr(shxFile, 0, "index of %d bytes is not a whole number of 8-byte entries", end-mainHeaderBytes)
	}
	records := make([][]byte, 0, (end-mainHeaderBytes)/8)
	for pos := mainHeaderBytes; pos < end; pos += 8 {
		n := len(records) + 1
		off := int64(int32(binary.BigEndian.Uint32(shx[pos:]))) * 2
		words := int64(int32(binary.BigEndian.Uint32(shx[pos+4:])))
		if off < mainHeaderBytes || off > int64(len(shp)-recHeaderBytes) {
			return nil, parseErr(shxFile, n, "offset %d is outside %s (%d bytes)", off, shpFile, len(shp))
		}
		if inShp := int64(int32(binary.BigEndian.Uint32(shp[off+4:]))); inShp != words {
			return nil, parseErr(shxFile, n, "content length %d words, but %s says %d at offset %d", words, shpFile, inShp, off)
		}
		content, err := recordContent(shp, int(off), words)
		if err != nil {
			return nil, &ParseError{File: shpFile, Record: n, Err: err}
		}
		records = append(records, content)
	}
	return records, nil
}

// recordContent returns the content of the record whose 8-byte header is
// at pos, with the given content length in 16-bit words.
func recordContent(shp []byte, pos int, words int64) ([]byte, error) {
	size := words * 2
	left := int64(len(shp) - pos - recHeaderBytes)
	if size < 4 || size > left {
		return nil, fmt.Errorf("content length %d bytes, but %d are left in the file", size, left)
	}
	start := pos + recHeaderBytes
	return shp[start : start+int(size) : start+int(size)], nil
}

// decodeShape reads one record's content.
func decodeShape(c []byte) (geom.MultiPolygon, []geom.Point, error) {
	t := int32(binary.LittleEndian.Uint32(c))
	base, ok := planar(t)
	if !ok {
		return nil, nil, unsupported(t)
	}
	switch base {
	case typePoint:
		if len(c) < 20 {
			return nil, nil, fmt.Errorf("point needs 20 bytes, record has %d", len(c))
		}
		p, err := point(c[4:], 0)
		if err != nil {
			return nil, nil, err
		}
		return nil, []geom.Point{p}, nil
	case typeMultiPoint:
		pts, _, err := points(c, 36, 0)
		return nil, pts, err
	case typePolygon:
		return polygon(c)
	}
	return nil, nil, nil // Null and PolyLine: no geometry.
}

// points reads the point count at c[at:] (after the part count when
// parts is set) and the points after it (after the parts when parts is
// set), refusing counts the record has no room for. It returns the
// points and the raw part indexes.
func points(c []byte, at int, nparts int64) ([]geom.Point, []byte, error) {
	if len(c) < at+4 {
		return nil, nil, fmt.Errorf("record has %d bytes, too short for its counts", len(c))
	}
	n := int64(int32(binary.LittleEndian.Uint32(c[at:])))
	if n < 0 || nparts < 0 {
		return nil, nil, fmt.Errorf("negative count: %d parts, %d points", nparts, n)
	}
	first := int64(at) + 4 + 4*nparts
	if need := first + 16*n; need > int64(len(c)) {
		return nil, nil, fmt.Errorf("%d parts and %d points need %d bytes, record has %d", nparts, n, need, len(c))
	}
	pts := make([]geom.Point, n)
	for i := range pts {
		p, err := point(c[first+16*int64(i):], i)
		if err != nil {
			return nil, nil, err
		}
		pts[i] = p
	}
	return pts, c[at+4 : first], nil
}

// point reads X and Y at b, refusing NaN and infinities.
func point(b []byte, i int) (geom.Point, error) {
	x := math.Float64frombits(binary.LittleEndian.Uint64(b))
	y := math.Float64frombits(binary.LittleEndian.Uint64(b[8:]))
	if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
		return geom.Point{}, fmt.Errorf("point %d (%v, %v) is not finite", i, x, y)
	}
	return geom.Point{X: x, Y: y}, nil
}

// polygon reads a Polygon record (type, box, NumParts, NumPoints, Parts,
// Points) and groups its rings into polygons.
func polygon(c []byte) (geom.MultiPolygon, []geom.Point, error) {
	if len(c) < 44 {
		return nil, nil, fmt.Errorf("polygon needs at least 44 bytes, record has %d", len(c))
	}
	nparts := int64(int32(binary.LittleEndian.Uint32(c[36:])))
	pts, parts, err := points(c, 40, nparts)
	if err != nil {
		return nil, nil, err
	}
	if len(pts) > 0 && nparts == 0 {
		return nil, nil, fmt.Errorf("%d points in no parts", len(pts))
	}
	var rings []geom.Ring
	for i := int64(0); i < nparts; i++ {
		start := int64(int32(binary.LittleEndian.Uint32(parts[4*i:])))
		end := int64(len(pts))
		if i+1 < nparts {
			end = int64(int32(binary.LittleEndian.Uint32(parts[4*i+4:])))
		}
		if i == 0 && start != 0 {
			return nil, nil, fmt.Errorf("part 0 starts at point %d, want 0", start)
		}
		if start < 0 || start > end || end > int64(len(pts)) {
			return nil, nil, fmt.Errorf("part %d spans points %d to %d of %d", i, start, end, len(pts))
		}
		if end-start >= 3 { // fewer points enclose nothing
			rings = append(rings, geom.Ring(pts[start:end:end]))
		}
	}
	return assemble(rings), nil, nil
}

// signedArea is positive for a counter-clockwise ring in y-up coordinates
// (the spec's holes) and negative for a clockwise one (its outer rings).
func signedArea(r geom.Ring) float64 {
	var sum float64
	o := r[0] // shift to the first point to keep precision
	for i := range r {
		a, b := r[i], r[(i+1)%len(r)]
		sum += (a.X-o.X)*(b.Y-o.Y) - (b.X-o.X)*(a.Y-o.Y)
	}
	return sum / 2
}

func ringBounds(r geom.Ring) geom.Bounds {
	b := geom.Empty()
	for _, p := range r {
		b = b.Extend(p)
	}
	return b
}

// assemble groups rings into polygons: clockwise (or flat) rings are outer
// rings, counter-clockwise ones holes of the smallest outer ring that
// contains them; a hole that no outer ring contains becomes an outer ring,
// which also covers writers that make every ring counter-clockwise.
func assemble(rings []geom.Ring) geom.MultiPolygon {
	if len(rings) == 0 {
		return nil
	}
	type ringInfo struct {
		area  float64
		box   geom.Bounds
		owner int // for a hole, index of its outer ring; -1 for outer rings
	}
	info := make([]ringInfo, len(rings))
	var outers []int
	for i, r := range rings {
		a := signedArea(r)
		info[i] = ringInfo{area: a, box: ringBounds(r), owner: -1}
		if a <= 0 {
			outers = append(outers, i)
		}
	}
	for i, r := range rings {
		if info[i].area <= 0 {
			continue
		}
		best := -1
		for _, o := range outers {
			if (best < 0 || -info[o].area < -info[best].area) &&
				ringContains(rings[o], info[o].box, r, info[i].box) {
				best = o
			}
		}
		info[i].owner = best
	}
	var polys geom.MultiPolygon
	index := make([]int, len(rings)) // outer ring -> its polygon in polys
	for i, r := range rings {
		if info[i].owner < 0 {
			index[i] = len(polys)
			polys = append(polys, geom.Polygon{r})
		}
	}
	for i, r := range rings {
		if o := info[i].owner; o >= 0 {
			polys[index[o]] = append(polys[index[o]], r)
		}
	}
	return polys
}

// ringContains says whether ring in (with bounds inBox) lies inside outer:
// the first vertex of in that is not on outer's boundary decides.
func ringContains(outer geom.Ring, outerBox geom.Bounds, in geom.Ring, inBox geom.Bounds) bool {
	if inBox.Min.X < outerBox.Min.X || inBox.Min.Y < outerBox.Min.Y ||
		inBox.Max.X > outerBox.Max.X || inBox.Max.Y > outerBox.Max.Y {
		return false
	}
	for _, p := range in {
		if inside, onEdge := pointInRing(p, outer); !onEdge {
			return inside
		}
	}
	return true
}

// pointInRing is the even-odd crossing test, which also says whether p
// lies exactly on an edge (where the crossing test can go either way).
func pointInRing(p geom.Point, r geom.Ring) (inside, onEdge bool) {
	j := len(r) - 1
	for i := range r {
		a, b := r[i], r[j]
		j = i
		if (b.X-a.X)*(p.Y-a.Y) == (b.Y-a.Y)*(p.X-a.X) &&
			math.Min(a.X, b.X) <= p.X && p.X <= math.Max(a.X, b.X) &&
			math.Min(a.Y, b.Y) <= p.Y && p.Y <= math.Max(a.Y, b.Y) {
			return false, true
		}
		if (a.Y > p.Y) != (b.Y > p.Y) {
			if x := a.X + (p.Y-a.Y)*(b.X-a.X)/(b.Y-a.Y); p.X < x {
				inside = !inside
			}
		}
	}
	return inside, false
}

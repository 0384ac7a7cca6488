package shapefile

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// dBASE III/IV table layout: a 32-byte header, 32-byte field descriptors
// ended by 0x0D, then fixed-length records, each a deletion flag byte
// (' ' or '*') followed by the fields as text.
const (
	dbfHeaderBytes = 32
	dbfFieldBytes  = 32
	dbfFieldsEnd   = 0x0D
)

type dbfField struct {
	name        string
	offset, len int // within the record, after the deletion flag
}

// readDBF reads the attribute table, which must hold want records, into
// one map per record from field name to trimmed text.
func readDBF(file string, b []byte, cpg string, want int) ([]map[string]string, error) {
	if len(b) < dbfHeaderBytes {
		return nil, parseErr(file, 0, "file has %d bytes, less than the %d-byte header", len(b), dbfHeaderBytes)
	}
	count := int64(binary.LittleEndian.Uint32(b[4:]))
	headerLen := int(binary.LittleEndian.Uint16(b[8:]))
	recordLen := int(binary.LittleEndian.Uint16(b[10:]))
	if headerLen <= dbfHeaderBytes {
		return nil, parseErr(file, 0, "header length %d leaves no room for field descriptors", headerLen)
	}
	if headerLen > len(b) {
		return nil, parseErr(file, 0, "header length %d, but the file has %d bytes", headerLen, len(b))
	}
	if recordLen < 1 {
		return nil, parseErr(file, 0, "record length %d", recordLen)
	}
	if need, have := count*int64(recordLen), int64(len(b)-headerLen); need > have {
		return nil, parseErr(file, 0, "%d records of %d bytes need %d bytes, the file has %d after its header",
			count, recordLen, need, have)
	}
	if count != int64(want) {
		return nil, parseErr(file, 0, "%d records, but the .shp has %d shapes", count, want)
	}
	body := b[dbfHeaderBytes : headerLen+int(count)*recordLen] // field names and records
	decode := decoder(cpg, b[29], body)

	var fields []dbfField
	offset := 1 // after the deletion flag
	for pos := dbfHeaderBytes; pos < headerLen && b[pos] != dbfFieldsEnd; pos += dbfFieldBytes {
		if pos+dbfFieldBytes > headerLen {
			return nil, parseErr(file, 0, "field descriptor %d runs past the %d-byte header", len(fields)+1, headerLen)
		}
		d := b[pos : pos+dbfFieldBytes]
		name := d[:11]
		if i := bytes.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		f := dbfField{name: strings.TrimSpace(decode(name)), offset: offset, len: int(d[16])}
		if f.offset+f.len > recordLen {
			return nil, parseErr(file, 0, "field %q ends at byte %d of a %d-byte record", f.name, f.offset+f.len, recordLen)
		}
		fields = append(fields, f)
		offset += f.len
	}

	props := make([]map[string]string, count)
	for i := range props {
		rec := b[headerLen+i*recordLen : headerLen+(i+1)*recordLen]
		m := make(map[string]string, len(fields))
		for _, f := range fields {
			m[f.name] = decode(bytes.Trim(rec[f.offset:f.offset+f.len], " \x00"))
		}
		props[i] = m
	}
	return props, nil
}

// decoder picks the text decoding of a table: the code page the .cpg file
// names, else the one the header's language driver byte names, else UTF-8
// when body is valid UTF-8 and Latin-1 when not.
func decoder(cpg string, ldid byte, body []byte) func([]byte) string {
	cm, isUTF8, known := codePage(cpg)
	if !known {
		cm, known = languageDrivers[ldid]
	}
	if !known {
		if utf8.Valid(body) {
			isUTF8 = true
		} else {
			cm = charmap.ISO8859_1
		}
	}
	if isUTF8 {
		return func(b []byte) string { return strings.ToValidUTF8(string(b), "\uFFFD") }
	}
	return func(b []byte) string {
		var s strings.Builder
		s.Grow(len(b))
		for _, c := range b {
			if c < utf8.RuneSelf {
				s.WriteByte(c)
			} else {
				s.WriteRune(cm.DecodeByte(c))
			}
		}
		return s.String()
	}
}

// codePage reads a .cpg file's code page name ("UTF-8", "ISO-8859-1",
// "1252", "ANSI 1252", ...); known is false for empty or unknown names.
func codePage(cpg string) (cm *charmap.Charmap, isUTF8, known bool) {
	name := strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(cpg, "\uFEFF")))
	name = strings.NewReplacer("-", "", "_", "", " ", "").Replace(name)
	name = strings.TrimPrefix(name, "ANSI")
	switch name {
	case "UTF8", "65001":
		return nil, true, true
	case "LATIN1", "88591":
		return charmap.ISO8859_1, false, true
	}
	for _, prefix := range []string{"ISO", "CP", "WINDOWS", "WIN", "IBM", ""} {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			if cm, ok := codePages[rest]; ok {
				return cm, false, true
			}
		}
	}
	return nil, false, false
}

// codePages holds the single-byte code pages by number, as .cpg files
// name them once prefixes like "ISO", "CP" or "ANSI" are taken off.
var codePages = map[string]*charmap.Charmap{
	"88591": charmap.ISO8859_1, "88592": charmap.ISO8859_2, "88593": charmap.ISO8859_3,
	"88594": charmap.ISO8859_4, "88595": charmap.ISO8859_5, "88596": charmap.ISO8859_6,
	"88597": charmap.ISO8859_7, "88598": charmap.ISO8859_8, "88599": charmap.ISO8859_9,
	"885910": charmap.ISO8859_10, "885913": charmap.ISO8859_13, "885914": charmap.ISO8859_14,
	"885915": charmap.ISO8859_15, "885916": charmap.ISO8859_16,
	"1250": charmap.Windows1250, "1251": charmap.Windows1251, "1252": charmap.Windows1252,
	"1253": charmap.Windows1253, "1254": charmap.Windows1254, "1255": charmap.Windows1255,
	"1256": charmap.Windows1256, "1257": charmap.Windows1257, "1258": charmap.Windows1258,
	"437": charmap.CodePage437, "850": charmap.CodePage850, "852": charmap.CodePage852,
	"866": charmap.CodePage866, "KOI8R": charmap.KOI8R,
}

// languageDrivers maps the dBASE header's language driver ID (byte 29) to
// its code page, for the IDs whose meaning the published tables agree on.
var languageDrivers = map[byte]*charmap.Charmap{
	0x01: charmap.CodePage437,
	0x02: charmap.CodePage850,
	0x03: charmap.Windows1252,
	0x57: charmap.Windows1252, // ESRI's "ANSI"
	0x58: charmap.Windows1252,
	0x59: charmap.Windows1252,
	0x64: charmap.CodePage852,
	0x7D: charmap.Windows1255,
	0x7E: charmap.Windows1256,
	0xC8: charmap.Windows1250,
	0xC9: charmap.Windows1251,
	0xCA: charmap.Windows1254,
	0xCB: charmap.Windows1253,
}

package syslog

import (
	"errors"
	"unicode/utf8"
)

var errJSON = errors.New("malformed journal JSON record")

// json reads one journalctl -o json object: MESSAGE, SYSLOG_IDENTIFIER,
// _PID, _HOSTNAME and __REALTIME_TIMESTAMP. MESSAGE may be a string or, for
// messages that are not UTF-8, an array of byte values.
func (p *Parser) json(line []byte, r *Record) error {
	if cap(p.scratch) < len(line) {
		p.scratch = make([]byte, 0, len(line)+len(line)/2)
	}
	// Unescaped text is never longer than its JSON form, so appends into
	// scratch never move it and earlier slices stay valid.
	p.scratch = p.scratch[:0]
	i := skipSpace(line, 1)
	haveTS := false
	for i < len(line) && line[i] != '}' {
		key, j, err := p.jsonString(line, i)
		if err != nil {
			return err
		}
		j = skipSpace(line, j)
		if j >= len(line) || line[j] != ':' {
			return errJSON
		}
		j = skipSpace(line, j+1)
		var val []byte
		isStr := false
		switch {
		case j < len(line) && line[j] == '"':
			val, j, err = p.jsonString(line, j)
			isStr = true
		case j < len(line) && line[j] == '[' && string(key) == "MESSAGE":
			val, j, err = p.jsonBytes(line, j)
			isStr = true
		default:
			j, err = skipValue(line, j)
		}
		if err != nil {
			return err
		}
		if isStr {
			switch string(key) {
			case "MESSAGE":
				r.Msg = val
			case "SYSLOG_IDENTIFIER":
				r.Ident = val
			case "_HOSTNAME":
				r.Host = val
			case "_PID", "SYSLOG_PID":
				if r.PID == 0 {
					if n, end, ok := digits(val, 0, 9); ok && end == len(val) {
						r.PID = int32(n)
					}
				}
			case "__REALTIME_TIMESTAMP":
				n, end, ok := digits(val, 0, 18)
				if !ok || end != len(val) {
					return errors.New("malformed __REALTIME_TIMESTAMP")
				}
				r.TS, haveTS = int64(n), true
			}
		}
		j = skipSpace(line, j)
		if j < len(line) && line[j] == ',' {
			j = skipSpace(line, j+1)
		}
		i = j
	}
	if i >= len(line) {
		return errJSON
	}
	if !haveTS {
		return errors.New("journal record without __REALTIME_TIMESTAMP")
	}
	r.Format = FormatJSON
	return nil
}

func skipSpace(s []byte, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}

// jsonString reads the string at s[i]=='"'. Without escapes it returns a
// slice of s; with them, the unescaped text appended to the scratch buffer.
func (p *Parser) jsonString(s []byte, i int) ([]byte, int, error) {
	if i >= len(s) || s[i] != '"' {
		return nil, i, errJSON
	}
	start := i + 1
	j := start
	for j < len(s) && s[j] != '"' && s[j] != '\\' {
		j++
	}
	if j >= len(s) {
		return nil, j, errJSON
	}
	if s[j] == '"' {
		return s[start:j], j + 1, nil
	}
	from := len(p.scratch)
	p.scratch = append(p.scratch, s[start:j]...)
	for j < len(s) {
		c := s[j]
		switch {
		case c == '"':
			return p.scratch[from:], j + 1, nil
		case c != '\\':
			p.scratch = append(p.scratch, c)
			j++
			continue
		}
		if j+1 >= len(s) {
			return nil, j, errJSON
		}
		j++
		switch s[j] {
		case '"', '\\', '/':
			p.scratch = append(p.scratch, s[j])
		case 'b':
			p.scratch = append(p.scratch, '\b')
		case 'f':
			p.scratch = append(p.scratch, '\f')
		case 'n':
			p.scratch = append(p.scratch, '\n')
		case 'r':
			p.scratch = append(p.scratch, '\r')
		case 't':
			p.scratch = append(p.scratch, '\t')
		case 'u':
			r, n := hex4(s, j+1)
			if n < 0 {
				return nil, j, errJSON
			}
			j += 4
			if r >= 0xD800 && r < 0xDC00 && j+6 < len(s) && s[j+1] == '\\' && s[j+2] == 'u' {
				if r2, n2 := hex4(s, j+3); n2 >= 0 && r2 >= 0xDC00 && r2 < 0xE000 {
					r = (r-0xD800)<<10 | (r2 - 0xDC00) + 0x10000
					j += 6
				}
			}
			p.scratch = utf8.AppendRune(p.scratch, rune(r))
		default:
			return nil, j, errJSON
		}
		j++
	}
	return nil, j, errJSON
}

func hex4(s []byte, i int) (int, int) {
	if i+4 > len(s) {
		return 0, -1
	}
	v := 0
	for _, c := range s[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | int(c-'A'+10)
		default:
			return 0, -1
		}
	}
	return v, 4
}

// jsonBytes reads an array of byte values (journald's form of a message
// that is not valid UTF-8) into the scratch buffer.
func (p *Parser) jsonBytes(s []byte, i int) ([]byte, int, error) {
	from := len(p.scratch)
	i = skipSpace(s, i+1)
	for i < len(s) && s[i] != ']' {
		n, j, ok := digits(s, i, 3)
		if !ok || n > 255 {
			return nil, i, errJSON
		}
		p.scratch = append(p.scratch, byte(n))
		i = skipSpace(s, j)
		if i < len(s) && s[i] == ',' {
			i = skipSpace(s, i+1)
		}
	}
	if i >= len(s) {
		return nil, i, errJSON
	}
	return p.scratch[from:], i + 1, nil
}

// skipValue skips a JSON value that is not needed: a number, literal,
// array or object (strings inside are skipped with their escapes).
func skipValue(s []byte, i int) (int, error) {
	depth := 0
	for i < len(s) {
		switch c := s[i]; c {
		case '"':
			i++
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(s) {
				return i, errJSON
			}
		case '[', '{':
			depth++
		case ']', '}':
			if depth == 0 {
				return i, nil
			}
			depth--
		case ',':
			if depth == 0 {
				return i, nil
			}
		}
		i++
		if depth == 0 && i < len(s) && (s[i] == ',' || s[i] == '}') {
			return i, nil
		}
	}
	return i, errJSON
}

package load

import "unicode/utf8"

// Text that is not valid UTF-8 cannot be stored in DuckDB, and any local
// user can write such a line into auth.log. A string that is not valid
// UTF-8 is therefore stored as sshd itself would have logged it (OpenSSH
// passes every message through strnvis with VIS_OCTAL | VIS_CSTYLE): each
// byte outside a valid UTF-8 sequence as \ooo (three octal digits) and
// each backslash as \\. Valid UTF-8 is stored as it is. Unescape gives the
// bytes back.

// Escape returns s as it is stored: s itself when it is valid UTF-8, else
// its escaped form (see above), which is.
func Escape(s []byte) []byte {
	if utf8.Valid(s) {
		return s
	}
	return AppendEscaped(make([]byte, 0, len(s)+8), s)
}

// AppendEscaped appends the escaped form of s to dst, whether or not s is
// valid UTF-8.
func AppendEscaped(dst, s []byte) []byte {
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		switch {
		case r == utf8.RuneError && size == 1:
			b := s[0]
			dst = append(dst, '\\', '0'+b>>6, '0'+b>>3&7, '0'+b&7)
		case r == '\\':
			dst = append(dst, '\\', '\\')
		default:
			dst = append(dst, s[:size]...)
		}
		s = s[size:]
	}
	return dst
}

// Unescape reverses AppendEscaped: \\ becomes a backslash and \ooo the
// byte it names; any other backslash is kept as it is.
func Unescape(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			out = append(out, c)
			continue
		}
		if s[i+1] == '\\' {
			out = append(out, '\\')
			i++
			continue
		}
		if i+3 < len(s) && isOctal(s[i+1]) && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]) {
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
			continue
		}
		out = append(out, c)
	}
	return out
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

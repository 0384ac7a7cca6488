package input

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/syslog"
)

// chunked hands out its bytes in reads of the sizes in sizes, in turn.
type chunked struct {
	data  []byte
	sizes []byte
	i     int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(c.sizes) > 0 {
		n = int(c.sizes[c.i%len(c.sizes)]) + 1
		c.i++
	}
	n = min(n, len(p), len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// FuzzLineReader checks LineReader against a plain model (split at each
// newline) for any bytes, line limit and pattern of short reads: the same
// lines, none longer than the limit, over-long ones reported in their
// place, and offsets that always end a line.
func FuzzLineReader(f *testing.F) {
	data, _ := testLog()
	data = data[:2000] // a long seed makes minimizing each new input take minutes
	f.Add([]byte(data), uint16(64), []byte{0, 7, 200}, false)
	f.Add([]byte("a\nbb\r\n\nccc\r\nx\ry\ndd"), uint16(2), []byte{}, true)
	f.Add([]byte("\n\n\r\n"), uint16(0), []byte{3}, true)
	f.Add(bytes.Repeat([]byte("x"), 5000), uint16(100), []byte{255}, true)
	lineBufferBytes = 16 // grown to the line limit + 1 when that is more
	f.Fuzz(func(t *testing.T, data []byte, max uint16, sizes []byte, final bool) {
		limit := int(max % 4096)
		lr := NewLineReader(&chunked{data: data, sizes: sizes}, 0, 0, limit, final)
		rest := data
		var line int64
		for {
			got, err := lr.Next()
			if err == io.EOF {
				break
			}
			i := bytes.IndexByte(rest, '\n')
			var raw []byte // the line as it is in the file; the limit counts a \r
			if i < 0 {
				if !final || len(rest) == 0 {
					t.Fatalf("line %d handed out (%q, %v) but only %q is left", line+1, got, err, rest)
				}
				raw, rest = rest, nil
			} else {
				raw, rest = rest[:i], rest[i+1:]
			}
			want := bytes.TrimSuffix(raw, []byte("\r"))
			line++
			switch {
			case errors.Is(err, ErrLineTooLong):
				if len(raw) <= limit {
					t.Fatalf("line %d of %d bytes called too long (limit %d)", line, len(raw), limit)
				}
			case len(raw) > limit:
				t.Fatalf("line %d of %d bytes handed out, limit %d", line, len(raw), limit)
			case err != nil:
				t.Fatalf("line %d: %v", line, err)
			case len(got) > limit:
				t.Fatalf("line %d: %d bytes handed out, limit %d", line, len(got), limit)
			case !bytes.Equal(got, want):
				t.Fatalf("line %d: got %q, want %q", line, got, want)
			}
			if off := int64(len(data) - len(rest)); lr.Offset() != off || lr.Line() != line {
				t.Fatalf("after line %d: offset %d line %d, want %d, %d", line, lr.Offset(), lr.Line(), off, line)
			}
		}
		if len(rest) > 0 && (final || bytes.IndexByte(rest, '\n') >= 0) {
			t.Fatalf("stopped with %q unread", rest)
		}
	})
}

// FuzzSource reads any bytes as a file, plain or gzip-compressed and cut
// short at any point, through Fingerprint, Open, the year scan and a
// LineReader: errors, never a panic, and never more bytes than the file
// holds.
func FuzzSource(f *testing.F) {
	data, _ := testLog()
	f.Add([]byte(data[:2000]), true, uint16(100))
	f.Add([]byte("Jan  1 00:00:00 h sshd[1]: x\n"), false, uint16(0))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}, false, uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, compress bool, cut uint16) {
		body := data
		if compress {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(data)
			zw.Close()
			body = b.Bytes()
			if c := int(cut); c > 0 && c < len(body) {
				body = body[:c]
			}
		}
		path := filepath.Join(t.TempDir(), "auth.log")
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
		src, err := File("auth.log", path)
		if err != nil {
			t.Fatal(err)
		}
		src.ModTime = time.Unix(0, 0)
		_, first, _, err := src.Fingerprint()
		if err != nil {
			return
		}
		if len(first) > FingerprintBytes {
			t.Fatalf("fingerprint took %d bytes", len(first))
		}
		// the year scan reads every line too, with its own reader
		if rc, err := src.Open(); err == nil {
			scan, _ := syslog.ScanYears(rc)
			rc.Close()
			if scan.Lines > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("the year scan saw %d lines in %d bytes", scan.Lines, len(data))
			}
		}
		rc, err := src.Open()
		if err != nil {
			return
		}
		defer rc.Close()
		lr := NewLineReader(rc, 0, 0, 256, true)
		for {
			if _, err := lr.Next(); err != nil && !errors.Is(err, ErrLineTooLong) {
				break
			}
		}
		holds := len(data) // what the file decompresses to, at most
		if !src.Compressed {
			holds = len(body) // a gzip cut too short to be known as one is read as it is
		}
		if lr.Offset() > int64(holds) {
			t.Fatalf("read to offset %d of %d bytes", lr.Offset(), holds)
		}
	})
}

// Package input turns what the user names (files, globs, directories of
// rotated logs, "-" for standard input) into Sources: readers of the
// decompressed bytes, each known by a fingerprint of its first line rather
// than its name, so that a log renamed or compressed by logrotate is still
// recognised as the one already read.
package input

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
)

// FingerprintBytes is how much of a source's first line goes into its
// fingerprint at most.
const FingerprintBytes = 4096

// Source is one input: a file, plain or gzip-compressed, or standard input
// (spooled to a temporary file so that it can be read twice).
type Source struct {
	Name       string    // as the user gave it, or the file's path; "-" for stdin
	Path       string    // file to open
	ModTime    time.Time // the file's modification time
	Size       int64     // bytes on disk
	Compressed bool      // gzip, detected by magic bytes
	// Complete: nothing writes to it any more (a spooled stdin or command
	// output, a copy fetched from another host), so an unterminated last
	// line is read too.
	Complete bool
	// Host, when set, is stored as the host of every line read from the
	// source instead of the one in the log (a config source's host).
	Host    string
	cleanup func()
}

// Close removes what opening the source left behind (stdin's spool file).
func (s *Source) Close() {
	if s.cleanup != nil {
		s.cleanup()
		s.cleanup = nil
	}
}

// Open returns a reader of the source's decompressed bytes from the start.
func (s *Source) Open() (io.ReadCloser, error) {
	f, err := os.Open(s.Path)
	if err != nil {
		return nil, err
	}
	if !s.Compressed {
		return f, nil
	}
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 256<<10))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return &gzipFile{Reader: zr, f: f}, nil
}

type gzipFile struct {
	*gzip.Reader
	f *os.File
}

func (g *gzipFile) Close() error {
	g.Reader.Close()
	return g.f.Close()
}

// Fingerprint returns a hash of the source's first line (at most
// FingerprintBytes of it) and that line itself. A source whose first line
// is not complete yet has no fingerprint: ok is false.
func (s *Source) Fingerprint() (fp string, first []byte, ok bool, err error) {
	rc, err := s.Open()
	if err != nil {
		return "", nil, false, err
	}
	defer rc.Close()
	buf := make([]byte, FingerprintBytes)
	n, err := io.ReadFull(rc, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", nil, false, err
	}
	buf = buf[:n]
	if i := bytes.IndexByte(buf, '\n'); i >= 0 {
		buf = buf[:i+1]
	} else if n < FingerprintBytes && !s.Compressed {
		return "", buf, false, nil // the first line is still being written
	}
	if len(buf) == 0 {
		return "", nil, false, nil
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:16]), buf, true, nil
}

func newFileSource(name, path string) (*Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	}
	var magic [2]byte
	n, _ := io.ReadFull(f, magic[:])
	return &Source{
		Name:       name,
		Path:       path,
		ModTime:    st.ModTime(),
		Size:       st.Size(),
		Compressed: n == 2 && magic[0] == 0x1f && magic[1] == 0x8b,
	}, nil
}

// Stdin copies standard input to a temporary file and returns it as a
// Source whose modification time is now.
func Stdin(r io.Reader, now time.Time) (*Source, error) {
	return Spool("-", r, now)
}

// File returns the file at path as a Source shown as name (a copy fetched
// from another host, say).
func File(name, path string) (*Source, error) {
	return newFileSource(name, path)
}

// Spool copies r (standard input, a command's output) to a temporary file
// and returns it as a complete Source called name, modified at mtime. The
// file is removed by Close.
func Spool(name string, r io.Reader, mtime time.Time) (*Source, error) {
	f, err := os.CreateTemp("", "knockmap-spool-*")
	if err != nil {
		return nil, err
	}
	label, path := name, f.Name()
	cleanup := func() { os.Remove(path) }
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		cleanup()
		if name == "-" {
			name = "standard input"
		}
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		cleanup()
		return nil, err
	}
	s, err := newFileSource(label, path)
	if err != nil {
		cleanup()
		return nil, err
	}
	s.ModTime, s.cleanup, s.Complete = mtime, cleanup, true
	return s, nil
}

// Expand turns the user's arguments into Sources. A glob is expanded; a
// directory gives only its sshd logs by name (see IsLogName): auth.log,
// secure and sshd.log and their rotated and compressed forms. Rotated sets
// are ordered oldest first (auth.log.2.gz, auth.log.1, auth.log). An
// argument that names nothing, or a file that cannot be opened, is an
// error for that argument only: the others are still returned. Expand is
// ExpandWarn without a warn writer: the files a directory passes over go
// unreported.
func Expand(args []string, stdin io.Reader, now time.Time) ([]*Source, []error) {
	return ExpandWarn(args, stdin, now, nil)
}

// ExpandWarn is Expand, and names on warn each regular file of a directory
// argument that it passes over because its name is not an sshd log's.
func ExpandWarn(args []string, stdin io.Reader, now time.Time, warn io.Writer) ([]*Source, []error) {
	var paths []string
	var errs []error
	var out []*Source
	for _, a := range args {
		if a == "-" {
			s, err := Stdin(stdin, now)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, s)
			continue
		}
		st, err := os.Stat(a)
		switch {
		case err == nil && st.IsDir():
			found, err := dirLogs(a, warn)
			if err != nil {
				errs = append(errs, err)
			}
			paths = append(paths, found...)
		case err == nil:
			paths = append(paths, a)
		case strings.ContainsAny(a, "*?["):
			m, gerr := filepath.Glob(a)
			if gerr != nil || len(m) == 0 {
				errs = append(errs, fmt.Errorf("%s: no file matches", a))
			}
			paths = append(paths, m...)
		default:
			errs = append(errs, err)
		}
	}
	seen := map[string]bool{}
	var files []*Source
	for _, p := range SortRotated(paths) {
		if seen[p] {
			continue
		}
		seen[p] = true
		s, err := newFileSource(p, p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, s)
	}
	return append(files, out...), errs
}

// logName is the name of an sshd log as syslog daemons and logrotate
// leave them: auth.log, secure, sshd or sshd.log, then a rotation number
// (.1) or date (-20240101), then .gz.
var logName = regexp.MustCompile(`^(?:auth\.log|secure|sshd(?:\.log)?)(?:\.\d+|-\d{8,10})?(?:\.gz)?$`)

// IsLogName reports whether name (a file's base name) is an sshd log's
// that a directory argument reads: auth.log, auth.log.1, auth.log.2.gz,
// auth.log-20240101.gz, secure, secure-20240101, sshd.log, sshd.log.1.gz …
func IsLogName(name string) bool { return logName.MatchString(name) }

// dirLogs returns the sshd logs among the regular files of dir, and names
// the other regular files on warn (when not nil): notes.txt, a copy of
// passwd or a backup beside the logs is not read as one.
func dirLogs(dir string, warn io.Writer) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var logs, passed []string
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if IsLogName(e.Name()) {
			logs = append(logs, p)
		} else {
			passed = append(passed, p)
		}
	}
	if warn != nil && len(passed) > 0 {
		fmt.Fprintf(warn, "knockmap: %s: passed over %d files whose names are not auth.log*, secure* or sshd*: %s\n",
			dir, len(passed), strings.Join(quoted(passed), ", "))
	}
	return logs, nil
}

// quoted quotes each name as Go would, so that a file name cannot write
// control characters or fake lines to the terminal.
func quoted(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strconv.Quote(n)
	}
	return out
}

var rotated = regexp.MustCompile(`^(.*?)(?:\.(\d+)|-(\d{8,10}))?(?:\.gz)?$`)

// SortRotated orders paths so that each rotated set comes oldest first:
// auth.log.3.gz, auth.log.2.gz, auth.log.1, auth.log, and for dated names
// auth.log-20240101.gz before auth.log-20240108 before auth.log. Sets keep
// the order in which they first appear.
func SortRotated(paths []string) []string {
	type key struct {
		base  string
		rank  int64 // higher is older
		first int
	}
	firstSeen := map[string]int{}
	keys := make([]key, len(paths))
	for i, p := range paths {
		m := rotated.FindStringSubmatch(p)
		k := key{base: m[1]}
		switch {
		case m[2] != "":
			n, _ := strconv.ParseInt(m[2], 10, 64)
			k.rank = n
		case m[3] != "":
			// dated: older dates rank higher; the live file (rank 0) comes last
			n, _ := strconv.ParseInt(m[3], 10, 64)
			k.rank = 1<<40 - n
		}
		if _, ok := firstSeen[k.base]; !ok {
			firstSeen[k.base] = len(firstSeen)
		}
		k.first = firstSeen[k.base]
		keys[i] = k
	}
	idx := make([]int, len(paths))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ka, kb := keys[idx[a]], keys[idx[b]]
		if ka.first != kb.first {
			return ka.first < kb.first
		}
		return ka.rank > kb.rank
	})
	out := make([]string, len(paths))
	for i, j := range idx {
		out[i] = paths[j]
	}
	return out
}

// lineBufferBytes is a LineReader's buffer size when the longest line fits
// in it; the fuzz test makes it small to exercise the buffer's moves.
var lineBufferBytes = 1 << 20

// ErrLineTooLong is returned by LineReader.Next for a line longer than its
// limit; the line is skipped and reading goes on after it.
var ErrLineTooLong = errors.New("line too long")

// LineReader hands out the lines of a reader one at a time, like
// bufio.Scanner, but keeps count of the byte offset after the last whole
// line, skips over-long lines with an error instead of stopping, and leaves
// a last line with no newline unread unless told it is final.
type LineReader struct {
	r       io.Reader
	buf     []byte
	start   int
	end     int
	eof     bool
	err     error
	max     int
	final   bool
	offset  int64 // bytes consumed: the end of the last line handed out
	line    int64 // number of the last line handed out
	seen    int   // bytes after start already searched for a newline
	skipped bool  // the line being read is too long
	pending int64 // bytes of it dropped so far
	// the last TailBytes bytes consumed before buf[0] (tail), and of the
	// over-long line being dropped (skipTail), for Tail
	tail     [TailBytes]byte
	tailN    int
	skipTail [TailBytes]byte
	skipN    int
}

// TailBytes is how many bytes before its offset a LineReader keeps for
// Tail: the block that tells a source read before from another file with
// the same first line.
const TailBytes = 4096

// keep appends b to the kept bytes in t (n of them), keeping the last
// TailBytes.
func keep(t *[TailBytes]byte, n int, b []byte) int {
	if len(b) >= TailBytes {
		return copy(t[:], b[len(b)-TailBytes:])
	}
	if n+len(b) > TailBytes {
		drop := n + len(b) - TailBytes
		copy(t[:], t[drop:n])
		n -= drop
	}
	return n + copy(t[n:], b)
}

// SetBefore tells the reader the bytes of its source just before where it
// starts (Before's, say), so that Tail covers them too.
func (lr *LineReader) SetBefore(b []byte) {
	lr.tailN = keep(&lr.tail, 0, b)
}

// Tail returns the last bytes (TailBytes, or all when fewer) before
// Offset: what the reader handed out or skipped, from where it began. The
// slice is valid until the next call of Next.
func (lr *LineReader) Tail() []byte {
	if lr.start >= TailBytes {
		return lr.buf[lr.start-TailBytes : lr.start]
	}
	var out []byte
	out = append(out, lr.tail[:lr.tailN]...)
	out = append(out, lr.buf[:lr.start]...)
	if len(out) > TailBytes {
		out = out[len(out)-TailBytes:]
	}
	return out
}

// NewLineReader reads r, which starts at byte offset and line number line
// of its source. Lines longer than max bytes are skipped with
// ErrLineTooLong. With final, a last line with no newline is read too
// (compressed files and standard input cannot grow).
func NewLineReader(r io.Reader, offset, line int64, max int, final bool) *LineReader {
	size := lineBufferBytes
	if max+1 > size {
		size = max + 1
	}
	return &LineReader{r: r, buf: make([]byte, size), max: max, final: final, offset: offset, line: line}
}

// Offset is the byte offset just after the last line handed out.
func (lr *LineReader) Offset() int64 { return lr.offset }

// Line is the number (from 1) of the last line handed out.
func (lr *LineReader) Line() int64 { return lr.line }

// Next returns the next line without its newline (and without a trailing
// carriage return). The slice is valid until the next call. At the end it
// returns io.EOF, or the reader's error; a line cut short by that error is
// not handed out.
func (lr *LineReader) Next() ([]byte, error) {
	for {
		if i := bytes.IndexByte(lr.buf[lr.start+lr.seen:lr.end], '\n'); i >= 0 {
			i += lr.seen
			lr.seen = 0
			line := lr.buf[lr.start : lr.start+i]
			lr.start += i + 1
			lr.offset += lr.pending + int64(i+1)
			lr.line++
			if lr.skipped || i > lr.max {
				if lr.skipped {
					lr.endSkip()
				}
				lr.skipped, lr.pending = false, 0
				return nil, ErrLineTooLong
			}
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
			return line, nil
		}
		lr.seen = lr.end - lr.start // no newline in those; search only what comes next
		if lr.end-lr.start > lr.max {
			// too long: drop what is buffered and go on to the next newline;
			// the offset moves only when that line ends
			lr.pending += int64(lr.end - lr.start)
			if !lr.skipped {
				lr.tailN = keep(&lr.tail, lr.tailN, lr.buf[:lr.start])
				lr.skipN = 0
			}
			lr.skipN = keep(&lr.skipTail, lr.skipN, lr.buf[lr.start:lr.end])
			lr.start, lr.end, lr.seen = 0, 0, 0
			lr.skipped = true
		}
		if lr.eof {
			if lr.err != nil {
				return nil, lr.err
			}
			if lr.final && (lr.end > lr.start || lr.skipped) {
				line := lr.buf[lr.start:lr.end]
				lr.offset += lr.pending + int64(len(line))
				lr.start, lr.seen = lr.end, 0
				lr.line++
				if lr.skipped || len(line) > lr.max {
					if lr.skipped {
						lr.endSkip()
					}
					lr.skipped, lr.pending = false, 0
					return nil, ErrLineTooLong
				}
				if n := len(line); n > 0 && line[n-1] == '\r' {
					line = line[:n-1]
				}
				return line, nil
			}
			return nil, io.EOF
		}
		if lr.start > 0 {
			lr.tailN = keep(&lr.tail, lr.tailN, lr.buf[:lr.start])
			n := copy(lr.buf, lr.buf[lr.start:lr.end])
			lr.start, lr.end = 0, n
		}
		n, err := lr.r.Read(lr.buf[lr.end:])
		lr.end += n
		if err != nil {
			lr.eof = true
			if err != io.EOF {
				lr.err = err
			}
		}
	}
}

// endSkip folds the dropped bytes of an over-long line that has ended into
// the kept tail: buf[:start] holds its end.
func (lr *LineReader) endSkip() {
	lr.tailN = keep(&lr.tail, lr.tailN, lr.skipTail[:lr.skipN])
	lr.skipN = 0
}

// GzipSizeHint returns the decompressed size modulo 2^32 that a gzip file
// records in its last four bytes (exact for the single-member files
// logrotate writes), so that a compressed file read before can be passed
// over without decompressing it.
func (s *Source) GzipSizeHint() (uint32, bool) {
	_, n, ok := s.GzipTrailer()
	return n, ok
}

// GzipTrailer returns what a gzip file records in its last eight bytes:
// the CRC-32 of its decompressed bytes and their number modulo 2^32 (for
// the single-member files logrotate writes). Together they tell a
// compressed file read whole before from another that starts with the
// same line, without decompressing it.
func (s *Source) GzipTrailer() (crc, size uint32, ok bool) {
	if !s.Compressed || s.Size < 18 {
		return 0, 0, false
	}
	f, err := os.Open(s.Path)
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	var b [8]byte
	if _, err := f.ReadAt(b[:], s.Size-8); err != nil {
		return 0, 0, false
	}
	le := func(b []byte) uint32 { return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24 }
	return le(b[:4]), le(b[4:]), true
}

// Before returns the n bytes (fewer at its start) of an uncompressed
// source that end at offset, read with one pread: with Tail, what tells
// whether the file is still the one read up to offset before. ok is false
// when the file is shorter than offset.
func (s *Source) Before(offset int64, n int) (b []byte, ok bool, err error) {
	if s.Compressed {
		return nil, false, errors.New("Before needs an uncompressed source")
	}
	f, err := os.Open(s.Path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, false, err
	}
	if st.Size() < offset {
		return nil, false, nil
	}
	from := max(offset-int64(n), 0)
	b = make([]byte, offset-from)
	if _, err := f.ReadAt(b, from); err != nil && !(err == io.EOF && len(b) == 0) {
		if err == io.EOF {
			return nil, false, nil // shortened meanwhile
		}
		return nil, false, err
	}
	return b, true, nil
}

package report

import (
	"bytes"
	"context"
	"database/sql"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/knockmap/knockmap/maps/basemap"
	"github.com/knockmap/knockmap/maps/render"
	"github.com/knockmap/knockmap/pipeline/geoip"
	"github.com/knockmap/knockmap/pipeline/outfile"
)

// Options says what to report and where.
type Options struct {
	Out          string    // folder for the PNGs and index.html
	Since, Until time.Time // the period; zero: from the first, to the last attempt
	Scale        float64   // picture scale; 0: 1
	WorldShp     string    // a Natural Earth countries shapefile instead of the embedded world
	StatesShp    string    // a Census states shapefile instead of the embedded states
	Now          time.Time // the report's date; zero: now
	// Progress, when set, is told how many of the pictures are drawn, as
	// each is written (from several goroutines at once).
	Progress func(done, total int64)
}

// Result lists what was written.
type Result struct {
	Files   []string      `json:"files"`   // paths, pictures first, index.html last
	Omitted []Omitted     `json:"omitted"` // maps left out because they would be empty
	Totals  Totals        `json:"totals"`
	Hosts   []HostTotals  `json:"hosts"` // most attempts first
	Elapsed time.Duration `json:"elapsed_ns"`
}

// MaxScale is the largest picture scale: at 8 the world map is already
// about 10,000 pixels wide.
const MaxScale = 8

//go:embed page.html
var pageHTML string

//go:embed hosts.html
var hostsHTML string

// page is index.html. Usernames, and the GeoIP databases' names in the
// credits and the timeline, are shown through render.Label, as in the
// pictures: control and bidirectional characters (which html/template
// leaves alone) become visible escapes, and a 10,000-byte name is cut.
var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"shown": func(s string) string { return render.Label(s, 120) },
}).Parse(pageHTML + hostsHTML))

// Run queries the database, draws every picture in parallel and writes
// them with index.html into opt.Out.
func Run(ctx context.Context, db *sql.DB, opt Options) (*Result, error) {
	start := time.Now()
	if opt.Now.IsZero() {
		opt.Now = start
	}
	if opt.Scale != 0 && !(opt.Scale > 0 && opt.Scale <= MaxScale) {
		return nil, fmt.Errorf("picture scale %v: use a number above 0 and at most %d", opt.Scale, MaxScale)
	}
	if !opt.Since.IsZero() && !opt.Until.IsZero() && opt.Since.After(opt.Until) {
		return nil, fmt.Errorf("the period starts (--since %s) after it ends (--until %s): nothing to report",
			opt.Since.UTC().Format(time.RFC3339), opt.Until.UTC().Format(time.RFC3339))
	}
	p := periodOf(opt.Since, opt.Until)
	world, err := basemap.World(opt.WorldShp)
	if err != nil {
		return nil, err
	}
	states, err := basemap.States(opt.StatesShp)
	if err != nil {
		return nil, err
	}
	if err := outfile.MkdirAll(opt.Out); err != nil {
		return nil, fmt.Errorf("report folder: %w", err)
	}
	var d *Data
	var extra pageExtra
	var pics []Picture
	var omitted []Omitted
	var span string
	var out []drawn
	var errs []error
	err = withAttempts(ctx, db, p, func(at *attempts) error {
		var err error
		if d, err = loadData(ctx, at); err != nil {
			return err
		}
		// the pictures need only d: they are drawn (in Go) while DuckDB
		// works out the page's own numbers
		span = spanOf(d.Totals, opt)
		pics = charts(d, span)
		var maps []Picture
		maps, omitted = mapPictures(d, world, states, span)
		pics = append(pics, maps...)
		wait := drawAll(ctx, pics, render.Style{Scale: opt.Scale}, opt)
		extra, err = loadExtra(ctx, at, p, d.Totals, world)
		out, errs = wait()
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &Result{Totals: d.Totals, Omitted: omitted, Hosts: d.Hosts}
	for i, err := range errs {
		if err != nil {
			return nil, err
		}
		res.Files = append(res.Files, filepath.Join(opt.Out, pics[i].File))
	}
	if err := removeStale(opt.Out, mapFiles(states), pics); err != nil {
		return nil, err
	}
	index := filepath.Join(opt.Out, "index.html")
	if err := writePage(index, d, pics, out, omitted, span, opt, extra); err != nil {
		return nil, err
	}
	res.Files = append(res.Files, index)
	res.Elapsed = time.Since(start)
	return res, nil
}

// drawAll starts drawing pics, on as many goroutines as there are
// processors, into opt.Out; the function it returns waits for them and
// gives each picture's encoding and error.
func drawAll(ctx context.Context, pics []Picture, style render.Style, opt Options) func() ([]drawn, []error) {
	out := make([]drawn, len(pics))
	errs := make([]error, len(pics))
	var wg sync.WaitGroup
	work := make(chan int)
	var finished atomic.Int64
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				out[i], errs[i] = drawPicture(pics[i], style, opt.Out)
				if opt.Progress != nil {
					opt.Progress(finished.Add(1), int64(len(pics)))
				}
			}
		}()
	}
	go func() {
		defer close(work)
		for i := range pics {
			if ctx.Err() != nil {
				return
			}
			work <- i
		}
	}()
	return func() ([]drawn, []error) {
		wg.Wait()
		return out, errs
	}
}

// removeStale removes the maps among names that an earlier report drew
// and this one does not, which would show an old period's attempts. The
// folder passed outfile's checks: no other user can put a file there.
func removeStale(dir string, names []string, pics []Picture) error {
	drawn := map[string]bool{}
	for _, p := range pics {
		drawn[p.File] = true
	}
	for _, n := range names {
		if drawn[n] {
			continue
		}
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing the old map: %w", err)
		}
	}
	return nil
}

type drawn struct {
	png  []byte
	w, h int
}

// drawPicture draws one picture, encodes it and writes its file.
func drawPicture(p Picture, s render.Style, dir string) (drawn, error) {
	img := p.draw(s)
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, img); err != nil {
		return drawn{}, err
	}
	if err := writeFile(filepath.Join(dir, p.File), b.Bytes()); err != nil {
		return drawn{}, err
	}
	bounds := img.Bounds()
	k := s.Scale
	if k <= 0 {
		k = 1
	}
	return drawn{png: b.Bytes(), w: int(float64(bounds.Dx()) / k), h: int(float64(bounds.Dy()) / k)}, nil
}

// writeFile writes path fresh and renames it into place (see outfile), so
// a reader never sees half a file, a link planted in the folder is never
// followed, and a failure leaves no temporary file. The pictures and the
// page show usernames: they get outfile.Mode, not world-readable.
func writeFile(path string, b []byte) error {
	return outfile.Write(path, b, outfile.Mode)
}

func spanOf(t Totals, opt Options) string {
	from, to := opt.Since, opt.Until
	if from.IsZero() {
		from = t.First
	}
	if to.IsZero() {
		to = t.Last
	}
	if from.IsZero() || to.IsZero() {
		return "no attempts"
	}
	return from.UTC().Format("2 Jan 2006") + " – " + to.UTC().Format("2 Jan 2006")
}

// timeline is the data of the page's interactive chart.
type timeline struct {
	Unit   string           `json:"unit"`  // "day", "week" or "hour"
	Days   []string         `json:"days"`  // each day or hour, UTC
	Ticks  []timelineTick   `json:"ticks"` // the time axis's marks
	Series []timelineSeries `json:"series"`
}

// timelineTick marks the time axis at Days[I].
type timelineTick struct {
	I     int    `json:"i"`
	Label string `json:"label"`
}

type timelineSeries struct {
	Code   string  `json:"code"`
	Name   string  `json:"name"`
	Colour string  `json:"colour"` // of the line and of its swatch in the picker, #rrggbb
	Dash   string  `json:"dash"`   // the line's SVG stroke-dasharray, "" for solid
	Total  int64   `json:"total"`
	Values []int64 `json:"values"`
}

// maxTimelineCountries bounds the page's size: the rest are summed.
const maxTimelineCountries = 40

// timelinePlot is how wide the page's chart draws its time axis, in its
// viewBox's units (960 less the margins).
const timelinePlot = 880

func timelineData(d *Data) timeline {
	top := topCodes(d.ByCountry, maxTimelineCountries)
	ts := timeSeries(d, top)
	t := timeline{Unit: ts.unit, Days: make([]string, len(ts.times)), Ticks: []timelineTick{}}
	format := time.DateOnly
	if ts.unit == "hour" {
		format = "2006-01-02 15:04"
	}
	for i, day := range ts.times {
		t.Days[i] = day.Format(format)
	}
	if len(ts.times) > 0 {
		first, last := ts.times[0], ts.times[len(ts.times)-1]
		for _, tk := range render.TimeTicks(first, last, timelinePlot) {
			t.Ticks = append(t.Ticks, timelineTick{I: int(tk.At.Sub(first) / ts.step), Label: tk.Label})
		}
	}
	for i, s := range ts.series {
		// the names and codes come from GeoIP databases: the page's script
		// shows them as text, so they are made inert as usernames are
		ls := timelineSeries{Name: render.Label(s.Name, 60), Code: render.Label(ts.codes[i], 60), Values: make([]int64, len(s.Values))}
		switch {
		case i < len(top):
			c, dash := lineStyle(i)
			ls.Colour, ls.Dash = hexColour(c), dash
		case ls.Code == "other":
			ls.Colour = hexColour(render.OtherCountries)
		default: // not located: a paler grey would not stand as a line
			ls.Colour, ls.Dash = hexColour(render.OtherCountries), "2 2"
		}
		for j, v := range s.Values {
			ls.Values[j] = int64(v)
			ls.Total += int64(v)
		}
		t.Series = append(t.Series, ls)
	}
	sort.SliceStable(t.Series, func(i, j int) bool { return t.Series[i].Total > t.Series[j].Total })
	return t
}

func hexColour(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

type pagePicture struct {
	Title, Alt string
	Data       template.URL
	Width      int
	Height     int
}

func writePage(path string, d *Data, pics []Picture, out []drawn, omitted []Omitted, span string, opt Options, extra pageExtra) error {
	pp := make([]pagePicture, len(pics))
	for i, p := range pics {
		pp[i] = pagePicture{Title: p.Title, Alt: p.Alt, Width: out[i].w, Height: out[i].h,
			Data: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(out[i].png))}
	}
	credits := map[string]bool{}
	noCities := true
	for _, c := range d.Credits {
		credits[geoip.Credit(c)] = true
	}
	if d.Totals.Located > 0 {
		noCities = false
	}
	if len(credits) == 0 {
		credits[geoip.Credit("db-ip")] = true
	}
	creditList := make([]string, 0, len(credits))
	for c := range credits {
		creditList = append(creditList, c)
	}
	sort.Strings(creditList)
	var b bytes.Buffer
	err := page.Execute(&b, map[string]any{
		"Span":      span,
		"Made":      opt.Now.Format("2 Jan 2006 15:04 MST"),
		"Totals":    thousandsTotals(d.Totals),
		"NoCities":  noCities,
		"Pictures":  pp,
		"Omitted":   omittedLines(omitted),
		"Usernames": d.Usernames,
		"Credits":   creditList,
		"Timeline":  timelineData(d),
		"Hosts":     hostRows(d.Hosts),
		"Page":      extra,
		"Keep":      keepPerDim,
	})
	if err != nil {
		return fmt.Errorf("index.html: %w", err)
	}
	return writeFile(path, b.Bytes())
}

// omittedLines say which maps were left out, one line for each reason.
func omittedLines(om []Omitted) []string {
	var reasons []string
	titles := map[string][]string{}
	for _, o := range om {
		if titles[o.Reason] == nil {
			reasons = append(reasons, o.Reason)
		}
		titles[o.Reason] = append(titles[o.Reason], o.Title)
	}
	lines := make([]string, len(reasons))
	for i, r := range reasons {
		lines[i] = "Not drawn (" + strings.Join(titles[r], ", ") + "): " + r + "."
	}
	return lines
}

func thousandsTotals(t Totals) map[string]string {
	f := func(n int64) string { return render.Thousands(float64(n)) }
	return map[string]string{
		"Attempts": f(t.Attempts), "Addresses": f(t.Addresses), "Usernames": f(t.Usernames),
		"Countries": f(t.Countries), "ASNs": f(t.ASNs),
	}
}

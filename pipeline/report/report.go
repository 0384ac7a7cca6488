package report

import (
	"bytes"
	"context"
	"database/sql"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"image/png"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
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
}

// Result lists what was written.
type Result struct {
	Files   []string      `json:"files"` // paths, pictures first, index.html last
	Totals  Totals        `json:"totals"`
	Elapsed time.Duration `json:"elapsed_ns"`
}

// MaxScale is the largest picture scale: at 8 the world map is already
// about 10,000 pixels wide.
const MaxScale = 8

//go:embed page.html
var pageHTML string

// page is index.html. Usernames, and the GeoIP databases' names in the
// credits and the timeline, are shown through render.Label, as in the
// pictures: control and bidirectional characters (which html/template
// leaves alone) become visible escapes, and a 10,000-byte name is cut.
var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"shown": func(s string) string { return render.Label(s, 120) },
}).Parse(pageHTML))

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
	p := period{since: opt.Since, until: opt.Until}
	if p.since.IsZero() {
		p.since = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if p.until.IsZero() {
		p.until = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	d, err := load(ctx, db, p)
	if err != nil {
		return nil, err
	}
	world, err := basemap.World(opt.WorldShp)
	if err != nil {
		return nil, err
	}
	extra, err := loadExtra(ctx, db, p, d.Totals, world)
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
	span := spanOf(d.Totals, opt)
	pics := charts(d, span)
	pics = append(pics, worldMaps(d, world, span)...)
	pics = append(pics, usMaps(d, states, span)...)

	style := render.Style{Scale: opt.Scale}
	out := make([]drawn, len(pics))
	var wg sync.WaitGroup
	work := make(chan int)
	errs := make([]error, len(pics))
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				out[i], errs[i] = drawPicture(pics[i], style, opt.Out)
			}
		}()
	}
	for i := range pics {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &Result{Totals: d.Totals}
	for i, err := range errs {
		if err != nil {
			return nil, err
		}
		res.Files = append(res.Files, filepath.Join(opt.Out, pics[i].File))
	}
	index := filepath.Join(opt.Out, "index.html")
	if err := writePage(index, d, pics, out, span, opt, extra); err != nil {
		return nil, err
	}
	res.Files = append(res.Files, index)
	res.Elapsed = time.Since(start)
	return res, nil
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
	Days   []string         `json:"days"`
	Series []timelineSeries `json:"series"`
}

type timelineSeries struct {
	Code   string  `json:"code"`
	Name   string  `json:"name"`
	Total  int64   `json:"total"`
	Values []int64 `json:"values"`
}

// maxTimelineCountries bounds the page's size: the rest are summed.
const maxTimelineCountries = 40

func timelineData(d *Data) timeline {
	top := topCodes(d.ByCountry, maxTimelineCountries)
	days, series := dailySeries(d.Daily, top)
	t := timeline{Days: make([]string, len(days))}
	for i, day := range days {
		t.Days[i] = day.Format(time.DateOnly)
	}
	for i, s := range series {
		// the names and codes come from GeoIP databases: the page's script
		// shows them as text, so they are made inert as usernames are
		ts := timelineSeries{Name: render.Label(s.Name, 60), Values: make([]int64, len(s.Values))}
		if i < len(top) {
			ts.Code = render.Label(top[i].Code, 60)
		} else {
			ts.Code = "other"
		}
		for j, v := range s.Values {
			ts.Values[j] = int64(v)
			ts.Total += int64(v)
		}
		t.Series = append(t.Series, ts)
	}
	sort.SliceStable(t.Series, func(i, j int) bool { return t.Series[i].Total > t.Series[j].Total })
	return t
}

type pagePicture struct {
	Title, Alt string
	Data       template.URL
	Width      int
	Height     int
}

func writePage(path string, d *Data, pics []Picture, out []drawn, span string, opt Options, extra pageExtra) error {
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
		"Usernames": d.Usernames,
		"Credits":   creditList,
		"Timeline":  timelineData(d),
		"Page":      extra,
		"Keep":      keepPerDim,
	})
	if err != nil {
		return fmt.Errorf("index.html: %w", err)
	}
	return writeFile(path, b.Bytes())
}

func thousandsTotals(t Totals) map[string]string {
	f := func(n int64) string { return render.Thousands(float64(n)) }
	return map[string]string{
		"Attempts": f(t.Attempts), "Addresses": f(t.Addresses), "Usernames": f(t.Usernames),
		"Countries": f(t.Countries), "ASNs": f(t.ASNs),
	}
}

//go:build duckdb_arrow

// Package nightly is `knockmap run`: under a lock on the database, read
// every configured source, locate the new addresses, draw the report and
// write the export, as a cron job or systemd timer does each night.
package nightly

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/knockmap/knockmap/pipeline/activity"
	"github.com/knockmap/knockmap/pipeline/campaign"
	"github.com/knockmap/knockmap/pipeline/config"
	"github.com/knockmap/knockmap/pipeline/enrich"
	"github.com/knockmap/knockmap/pipeline/export"
	"github.com/knockmap/knockmap/pipeline/filelock"
	"github.com/knockmap/knockmap/pipeline/geoip"
	"github.com/knockmap/knockmap/pipeline/ingest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/logins"
	"github.com/knockmap/knockmap/pipeline/outfile"
	"github.com/knockmap/knockmap/pipeline/remote"
	"github.com/knockmap/knockmap/pipeline/report"
	"github.com/knockmap/knockmap/pipeline/store"
)

// Options are what the caller adds to the configuration.
type Options struct {
	Location *time.Location // --tz, resolved
	Since    func(string) (time.Time, error)
	Warn     io.Writer // problems that do not stop the run
	// Step is called as each step starts ("reading", "locating",
	// "campaigns", "logins", "report", "drawing", "exporting"), for
	// progress display; may be nil.
	Step func(name string)
	// Progress is called with bytes read as the reading goes on; may be nil.
	Progress func(bytes int64)
	// Left is called as each source starts with the bytes it has left to
	// read (-1: not known); Count with how much of how much a step that
	// counts has done (addresses located, pictures drawn). Either may be
	// nil.
	Left  func(bytes int64)
	Count func(done, total int64)
	// SSHConfig makes the SSH client configuration for a user; nil: the
	// user's agent and known_hosts.
	SSHConfig func(user string) (*ssh.ClientConfig, error)
	CacheDir  string           // where files fetched over SSH are kept; "": the user's cache folder
	Now       func() time.Time // the clock; nil: time.Now
}

// Summary is what a run did, for --json and the terminal.
type Summary struct {
	DB     string        `json:"db"`
	Ingest *ingest.Stats `json:"ingest,omitempty"`
	Enrich *enrich.Stats `json:"enrich,omitempty"`
	// Campaigns: the campaigns table, rebuilt after ingest and enrich
	Campaigns *campaign.Stats `json:"campaigns,omitempty"`
	// LoginRows: the logins computed again and kept (login_rows)
	LoginRows *logins.RefreshStats `json:"login_rows,omitempty"`
	Report    *report.Result       `json:"report,omitempty"`
	Export    *export.Stats        `json:"export,omitempty"`
	Problems  []string             `json:"problems,omitempty"` // inputs that could not be read
	// Unchanged names the outputs left as they were because nothing they
	// show changed since they were written ("report", "export").
	Unchanged []string `json:"unchanged,omitempty"`
	Seconds   float64  `json:"seconds"`
	// Steps is how long each step took, in the order they ran: the time
	// of a night, taken apart.
	Steps []StepTime `json:"steps"`
	// Addresses: those first seen since the previous run finished, and
	// those active in the day before the run's clock (Options.Now)
	Addresses *activity.Summary `json:"addresses,omitempty"`
	// Logins are the successful logins whose lines this run loaded and
	// that alert (logins.Login.Alerts), oldest first; nil when the alert
	// is "none". Only the AlertShown latest are kept; Alerting counts
	// them all, and AlertingSince is when the first of them was (the
	// zero time when none alerts).
	Logins        []logins.Login `json:"logins"`
	Alerting      int64          `json:"alerting"`
	AlertingSince time.Time      `json:"alerting_since,omitzero"`
}

// AlertShown is how many of the logins that alert a run keeps and shows,
// the latest: a first night over years of history can find tens of
// thousands (38,967 over 23 copies of gen-authlog's log, 40 MB of the
// heap held through the drawing), which no one reads in a mail; the
// summary says how many there are and `knockmap logins` lists them all.
const AlertShown = 100

// StepTime is one step of a run and its wall time.
type StepTime struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

// AddressesTop is how many new and active addresses the summary names.
const AddressesTop = 10

// ErrBusy is returned when another run, or any other process that has the
// database open, holds it for longer than the configured wait.
var ErrBusy = errors.New("another process is using the database")

// Run does the night's work. Sources that cannot be read are listed in
// the summary's Problems and the rest is done; any other failure stops the
// run with the database as it was before the failing step.
func Run(ctx context.Context, cfg config.Config, opt Options) (*Summary, error) {
	start := time.Now()
	if cfg.DB == "" {
		cfg.DB = store.DefaultPath()
	}
	sum := &Summary{DB: cfg.DB}
	if err := outfile.MkdirAll(filepath.Dir(cfg.DB)); err != nil {
		return nil, fmt.Errorf("database folder: %w", err)
	}
	lock := cfg.DB + ".lock"
	unlock, err := filelock.Acquire(ctx, lock, cfg.Wait.Duration)
	if errors.Is(err, filelock.ErrHeld) {
		return nil, fmt.Errorf("%w: another knockmap run (%s is locked; waited %s, see --wait); nothing was changed", ErrBusy, lock, cfg.Wait.Duration)
	}
	if err != nil {
		return nil, err
	}
	defer unlock()
	began := time.Now()
	step := func(s string) {
		now := time.Now()
		if n := len(sum.Steps); n > 0 {
			sum.Steps[n-1].Seconds = now.Sub(began).Seconds()
		}
		sum.Steps = append(sum.Steps, StepTime{Name: s})
		began = now
		if opt.Step != nil {
			opt.Step(s)
		}
	}

	step("reading")
	srcs, problems := gather(ctx, cfg, opt)
	defer func() {
		for _, s := range srcs {
			s.Close()
		}
	}()
	for _, p := range problems {
		sum.Problems = append(sum.Problems, p.Error())
	}
	loc := opt.Location
	if loc == nil {
		loc = time.Local
	}
	var prev time.Time // when the previous run finished
	var before logins.Loaded
	// the rest of the night runs on the database the logs were loaded
	// into, with DuckDB's own settings (the report's queries want them)
	iopt := ingest.Options{Location: loc, Year: cfg.Year, Host: cfg.Host, Warn: opt.Warn, Progress: opt.Progress, Left: opt.Left, Now: opt.Now,
		Wait: cfg.Wait.Duration - time.Since(start), ThenQueries: true,
		Opened: func(ctx context.Context, db *sql.DB) error {
			var err error
			if prev, err = activity.PreviousRun(ctx, db, 0); err != nil || cfg.Alert == "none" {
				return err
			}
			before, err = logins.Snapshot(ctx, db)
			return err
		},
		Then: func(ctx context.Context, db *store.DB, st *ingest.Stats) error {
			sum.Ingest = st
			for _, e := range st.FileErrors {
				sum.Problems = append(sum.Problems, e.Error())
			}
			return afterLoad(ctx, db, cfg, opt, sum, prev, before, step)
		}}
	if _, err := ingest.Ingest(ctx, cfg.DB, srcs, iopt); err != nil {
		if errors.Is(err, store.ErrInUse) {
			return nil, fmt.Errorf("%w: %v, past the wait (see --wait); nothing was changed", ErrBusy, err)
		}
		return nil, err
	}
	// one clock reading ends both the run and its last step, so the steps
	// never add up to more than the run
	end := time.Now()
	sum.Seconds = end.Sub(start).Seconds()
	if n := len(sum.Steps); n > 0 {
		sum.Steps[n-1].Seconds = end.Sub(began).Seconds()
	}
	return sum, nil
}

// afterLoad does what follows the load, on the database it was loaded
// into: it locates the new addresses, rebuilds the campaigns, finds the
// logins of the lines just loaded that stand out (before is what the
// database held), names the addresses new since the previous run (which
// finished at prev), draws the report and writes the export.
func afterLoad(ctx context.Context, db *store.DB, cfg config.Config, opt Options, sum *Summary, prev time.Time, before logins.Loaded, step func(string)) error {
	if !cfg.NoEnrich {
		step("locating")
		dbs, err := geoip.OpenAll(pathsOr(cfg.GeoIP, geoip.SearchPath()), len(cfg.GeoIP) > 0)
		if err != nil && len(cfg.GeoIP) > 0 {
			return err
		} else if err != nil && opt.Warn != nil {
			fmt.Fprintln(opt.Warn, "knockmap: warning:", err)
		}
		sum.Enrich, err = enrich.Run(ctx, db.DB, geoip.NewLocator(dbs), enrich.Options{Progress: opt.Count})
		for _, d := range dbs {
			d.Close()
		}
		if err != nil {
			return fmt.Errorf("locating addresses (the logs are loaded): %w", err)
		}
	}
	step("campaigns")
	var err error
	if sum.Campaigns, err = campaign.Rebuild(ctx, db.DB, campaign.Options{}); err != nil {
		return fmt.Errorf("finding campaigns (the logs are loaded): %w", err)
	}
	step("logins")
	if sum.LoginRows, err = logins.Refresh(ctx, db.DB); err != nil {
		return fmt.Errorf("keeping the logins (the logs are loaded): %w", err)
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	if sum.Addresses, err = activity.Query(ctx, db.DB, prev, now(), AddressesTop); err != nil {
		return err
	}
	if cfg.Alert != "none" {
		// the logins of the lines this ingest read: of sources it saw first,
		// or past the lines read of the others (after locating, so that
		// their ASN and country are known)
		first, found, err := before.FirstNew(ctx, db.DB)
		if err != nil {
			return err
		}
		shown := latest{max: AlertShown}
		if found {
			err := logins.Each(ctx, db.DB, first, false, func(l logins.Login) error {
				if l.Alerts && before.New(l) {
					if sum.Alerting == 0 {
						sum.AlertingSince = l.TS
					}
					sum.Alerting++
					shown.add(l)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		sum.Logins = shown.inOrder()
	}
	since := func(s string) (time.Time, error) {
		if s == "" || opt.Since == nil {
			return time.Time{}, nil
		}
		return opt.Since(s)
	}
	var data string // what the database holds, in short, for the export; "" when unknown
	if cfg.Export.Out != "" {
		if data, err = dataState(ctx, db); err != nil {
			return err
		}
	}
	if cfg.Report.Out != "" {
		step("report")
		s, err := since(cfg.Report.Since)
		if err != nil {
			return fmt.Errorf("report since: %w", err)
		}
		// the rows of the window decide, not the window: "90d" moves every night
		inputs, err := report.Fingerprint(ctx, db.DB, s, time.Time{})
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		state := fmt.Sprintf("report 2\n%s\nsince %q\nscale %g\n", inputs, cfg.Report.Since, cfg.Report.Scale)
		err = refresh(sum, "report", cfg.Report.Out, state, "index.html", cfg.Report.Redraw, func() error {
			step("drawing")
			var err error
			if sum.Report, err = report.Run(ctx, db.DB, report.Options{Out: cfg.Report.Out, Since: s, Scale: cfg.Report.Scale, Progress: opt.Count}); err != nil {
				return fmt.Errorf("report: %w", err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if cfg.Export.Out != "" {
		s, err := since(cfg.Export.Since)
		if err != nil {
			return fmt.Errorf("export since: %w", err)
		}
		state := fmt.Sprintf("export 1\n%s\nsince %s\nformat %s\n", data, s.UTC().Format(time.RFC3339), cfg.Export.Format)
		err = refresh(sum, "export", cfg.Export.Out, state, "", cfg.Export.Rewrite, func() error {
			step("exporting")
			var err error
			sum.Export, err = export.Run(ctx, db.DB, export.Options{Out: cfg.Export.Out, Format: cfg.Export.Format, Since: s})
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// refresh writes the output folder dir (write), then its state file,
// unless force is off and dir was written from the same state and still
// holds the file must: then it leaves dir be and names it (name) in
// sum.Unchanged.
func refresh(sum *Summary, name, dir, state, must string, force bool, write func() error) error {
	if !force && unchanged(dir, state, must) {
		sum.Unchanged = append(sum.Unchanged, name)
		return nil
	}
	if err := write(); err != nil {
		return err
	}
	return writeState(dir, state)
}

// stateFile, in the report and export folders, says what the database held
// when they were written, so that a night with nothing new leaves them be.
const stateFile = ".knockmap-state"

// dataState sums up what the export is made from: the
// rows, and the answers about addresses with their dates.
func dataState(ctx context.Context, db *store.DB) (string, error) {
	var rows, geo int64
	var last string
	err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM event_rows), (SELECT count(*) FROM ip_geo),
		(SELECT coalesce(max(enriched_at)::VARCHAR, '') FROM ip_geo)`).Scan(&rows, &geo, &last)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("rows %d\naddresses %d located %s", rows, geo, last), nil
}

// unchanged reports whether dir was written from the same state, and still
// holds the file named must (when not "").
func unchanged(dir, state, must string) bool {
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	if err != nil || string(b) != state {
		return false
	}
	if must != "" {
		if _, err := os.Stat(filepath.Join(dir, must)); err != nil {
			return false
		}
	}
	return true
}

// writeState writes dir's state file fresh and renames it into place.
func writeState(dir, state string) error {
	return outfile.Write(filepath.Join(dir, stateFile), []byte(state), outfile.Mode)
}

func pathsOr(a, b []string) []string {
	if len(a) > 0 {
		return a
	}
	return b
}

// gather turns the configured sources into inputs: local paths expanded,
// commands run and their output spooled, remote files fetched.
func gather(ctx context.Context, cfg config.Config, opt Options) ([]*input.Source, []error) {
	var srcs []*input.Source
	var errs []error
	now := time.Now()
	for _, s := range cfg.Sources {
		first := len(srcs)
		switch {
		case len(s.Command) > 0:
			cmd := exec.CommandContext(ctx, s.Command[0], s.Command[1:]...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.StdoutPipe()
			if err == nil {
				err = cmd.Start()
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", s, err))
				continue
			}
			src, err := input.Spool(s.String(), out, now)
			if werr := cmd.Wait(); err == nil && werr != nil {
				err = fmt.Errorf("%w: %s", werr, strings.TrimSpace(stderr.String()))
			}
			if err != nil {
				if src != nil {
					src.Close()
				}
				errs = append(errs, fmt.Errorf("%s: %w", s, err))
				continue
			}
			srcs = append(srcs, src)
		case s.SSH != "":
			files, err := fetch(ctx, s, opt)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			// oldest first, as the rotated names on the host say
			byName := map[string]remote.File{}
			names := make([]string, len(files))
			for i, f := range files {
				byName[f.Name], names[i] = f, f.Name
			}
			for _, n := range input.SortRotated(names) {
				f := byName[n]
				src, err := input.File(f.Name, f.Path)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				src.ModTime, src.Complete = f.ModTime, false
				srcs = append(srcs, src)
			}
		default:
			got, es := input.ExpandWarn([]string{s.Path}, nil, now, opt.Warn)
			srcs = append(srcs, got...)
			errs = append(errs, es...)
		}
		for _, src := range srcs[first:] {
			src.Host = s.Host
		}
	}
	return srcs, errs
}

func fetch(ctx context.Context, s config.Source, opt Options) ([]remote.File, error) {
	t, err := remote.ParseTarget(s.SSH)
	if err != nil {
		return nil, err
	}
	var cfg *ssh.ClientConfig
	closeAgent := func() {}
	if opt.SSHConfig != nil {
		cfg, err = opt.SSHConfig(t.User)
	} else {
		cfg, closeAgent, err = remote.UserConfig(t.User)
	}
	if err != nil {
		return nil, err
	}
	defer closeAgent()
	dir := opt.CacheDir
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return nil, err
		}
		dir = filepath.Join(cache, "knockmap", "ssh")
	}
	dir = filepath.Join(dir, strings.NewReplacer("@", "_", ":", "_", "/", "_").Replace(t.User+"@"+t.Addr))
	return remote.Fetch(ctx, t, cfg, s.Path, dir)
}

// latest keeps the last max logins it is given, in a ring.
type latest struct {
	max  int
	ring []logins.Login
	next int // where the next one goes once the ring is full
}

func (k *latest) add(l logins.Login) {
	if len(k.ring) < k.max {
		k.ring = append(k.ring, l)
		return
	}
	k.ring[k.next] = l
	k.next = (k.next + 1) % k.max
}

// inOrder is what k kept, in the order it was given; never nil.
func (k *latest) inOrder() []logins.Login {
	out := make([]logins.Login, 0, len(k.ring))
	out = append(out, k.ring[k.next:]...)
	return append(out, k.ring[:k.next]...)
}

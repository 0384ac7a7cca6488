// Package config reads knockmap's TOML configuration for `knockmap run`
// and settles each setting in one order: a command-line flag, then an
// environment variable, then the file, then the default.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Config is everything `knockmap run` does.
type Config struct {
	DB       string   `toml:"db"`        // KNOCKMAP_DB
	TZ       string   `toml:"tz"`        // KNOCKMAP_TZ
	Year     int      `toml:"year"`      // KNOCKMAP_YEAR
	Host     string   `toml:"host"`      // KNOCKMAP_HOST
	GeoIP    []string `toml:"geoip"`     // KNOCKMAP_GEOIP (list separator between paths)
	NoEnrich bool     `toml:"no_enrich"` // KNOCKMAP_NO_ENRICH
	Wait     Duration `toml:"wait"`      // KNOCKMAP_WAIT: how long to wait for another run or process holding the database
	Sources  []Source `toml:"source"`    // KNOCKMAP_SOURCES: paths and globs, list separator between them
	Report   Report   `toml:"report"`
	Export   Export   `toml:"export"`
	// Alert is what run does with the logins it loaded that stand out:
	// "print" them on stdout (cron mails them), or "none" (KNOCKMAP_ALERT).
	Alert string `toml:"alert"`
}

// Report configures the pictures and the page; no Out, no report.
type Report struct {
	Out   string  `toml:"out"`   // KNOCKMAP_REPORT_OUT
	Since string  `toml:"since"` // KNOCKMAP_REPORT_SINCE: 2026-01-31, RFC 3339 or 90d
	Scale float64 `toml:"scale"` // KNOCKMAP_REPORT_SCALE
	// Redraw draws the report even when nothing changed since it was last
	// drawn (KNOCKMAP_REPORT_REDRAW).
	Redraw bool `toml:"redraw"`
}

// Export configures the Parquet export; no Out, no export.
type Export struct {
	Out    string `toml:"out"`    // KNOCKMAP_EXPORT_OUT
	Format string `toml:"format"` // KNOCKMAP_EXPORT_FORMAT
	Since  string `toml:"since"`  // KNOCKMAP_EXPORT_SINCE
	// Rewrite writes the export even when nothing changed since it was
	// last written (KNOCKMAP_EXPORT_REWRITE).
	Rewrite bool `toml:"rewrite"`
}

// Source is one thing to read: local paths and globs, a command's output,
// or files on another machine read over SSH.
type Source struct {
	Path    string   `toml:"path"`    // a file, glob or folder; on the SSH host when SSH is set
	Command []string `toml:"command"` // a program and its arguments, e.g. journalctl -u ssh -o json
	SSH     string   `toml:"ssh"`     // user@host[:port]: read Path there
	Host    string   `toml:"host"`    // the host name to store, instead of the one in the log
}

func (s Source) String() string {
	switch {
	case len(s.Command) > 0:
		return "command " + strings.Join(s.Command, " ")
	case s.SSH != "":
		return s.SSH + ":" + s.Path
	}
	return s.Path
}

// Duration is a time.Duration written as "5m" in TOML.
type Duration struct{ time.Duration }

// MarshalText writes it as "5m0s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.Duration.String()), nil }

// UnmarshalText reads "30s", "5m".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	d.Duration = v
	return err
}

// DefaultPath is $XDG_CONFIG_HOME/knockmap/config.toml.
func DefaultPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "knockmap", "config.toml")
}

// Defaults are the settings with no file, no environment and no flag.
func Defaults() Config {
	return Config{Wait: Duration{time.Minute}, Export: Export{Format: "parquet"}, Report: Report{Scale: 1}, Alert: "print"}
}

// Load reads the file at path over the defaults. A missing file is not an
// error when it is the default path (required false); keys the file has
// that knockmap does not know are.
func Load(path string, required bool) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !required {
			return Defaults(), nil
		}
		return Defaults(), err
	}
	return Parse(path, b)
}

// MaxFileBytes is the largest configuration file read; a config is a page
// of settings, and a larger file is a mistake.
const MaxFileBytes = 1 << 20

// Parse reads a configuration file's text over the defaults; path names
// it in errors.
func Parse(path string, b []byte) (Config, error) {
	c := Defaults()
	if len(b) > MaxFileBytes {
		return c, fmt.Errorf("%s: %d bytes is too long for a configuration file (at most %d)", path, len(b), MaxFileBytes)
	}
	md, err := toml.Decode(string(b), &c)
	if err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return c, fmt.Errorf("%s: unknown settings: %s", path, strings.Join(keys, ", "))
	}
	for i, s := range c.Sources {
		n := 0
		if s.Path != "" && s.SSH == "" {
			n++
		}
		if len(s.Command) > 0 {
			n++
		}
		if s.SSH != "" {
			if s.Path == "" {
				return c, fmt.Errorf("%s: source %d: ssh needs a path on that host", path, i+1)
			}
			n++
		}
		if n != 1 {
			return c, fmt.Errorf("%s: source %d: give one of path, command, or ssh with path", path, i+1)
		}
	}
	if err := c.Check(); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// MaxScale is the largest report picture scale: 8 makes pictures of about
// 10,000 pixels a side already.
const MaxScale = 8

// Check refuses values that cannot be right, wherever they came from.
func (c *Config) Check() error {
	var errs []error
	switch c.Export.Format {
	case "parquet", "csv", "json":
	default:
		errs = append(errs, fmt.Errorf("export format %q: use parquet, csv or json", c.Export.Format))
	}
	switch c.Alert {
	case "print", "none":
	default:
		errs = append(errs, fmt.Errorf("alert %q: use print or none", c.Alert))
	}
	if !(c.Report.Scale > 0 && c.Report.Scale <= MaxScale) {
		errs = append(errs, fmt.Errorf("report scale %v: use a number above 0 and at most %d", c.Report.Scale, MaxScale))
	}
	if c.Year != 0 && (c.Year < 1970 || c.Year > 9999) {
		errs = append(errs, fmt.Errorf("year %d: use a year from 1970 to 9999, or 0 for the files' dates", c.Year))
	}
	if c.Wait.Duration < 0 {
		errs = append(errs, fmt.Errorf("wait %s: cannot be negative", c.Wait.Duration))
	}
	return errors.Join(errs...)
}

// ApplyEnv lets the environment override the file: getenv is os.Getenv
// outside tests.
func (c *Config) ApplyEnv(getenv func(string) string) error {
	str := func(key string, dst *string) {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	str("KNOCKMAP_DB", &c.DB)
	str("KNOCKMAP_TZ", &c.TZ)
	str("KNOCKMAP_HOST", &c.Host)
	str("KNOCKMAP_REPORT_OUT", &c.Report.Out)
	str("KNOCKMAP_REPORT_SINCE", &c.Report.Since)
	str("KNOCKMAP_EXPORT_OUT", &c.Export.Out)
	str("KNOCKMAP_EXPORT_FORMAT", &c.Export.Format)
	str("KNOCKMAP_EXPORT_SINCE", &c.Export.Since)
	str("KNOCKMAP_ALERT", &c.Alert)
	if v := getenv("KNOCKMAP_GEOIP"); v != "" {
		c.GeoIP = filepath.SplitList(v)
	}
	if v := getenv("KNOCKMAP_SOURCES"); v != "" {
		c.Sources = nil
		for _, p := range filepath.SplitList(v) {
			c.Sources = append(c.Sources, Source{Path: p})
		}
	}
	var errs []error
	if v := getenv("KNOCKMAP_YEAR"); v != "" {
		n, err := strconv.Atoi(v)
		errs = append(errs, wrap("KNOCKMAP_YEAR", err))
		c.Year = n
	}
	boolean := func(key string, dst *bool) {
		if v := getenv(key); v != "" {
			b, err := strconv.ParseBool(v)
			errs = append(errs, wrap(key, err))
			*dst = b
		}
	}
	boolean("KNOCKMAP_NO_ENRICH", &c.NoEnrich)
	boolean("KNOCKMAP_REPORT_REDRAW", &c.Report.Redraw)
	boolean("KNOCKMAP_EXPORT_REWRITE", &c.Export.Rewrite)
	if v := getenv("KNOCKMAP_WAIT"); v != "" {
		d, err := time.ParseDuration(v)
		errs = append(errs, wrap("KNOCKMAP_WAIT", err))
		c.Wait.Duration = d
	}
	if v := getenv("KNOCKMAP_REPORT_SCALE"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		errs = append(errs, wrap("KNOCKMAP_REPORT_SCALE", err))
		c.Report.Scale = f
	}
	return errors.Join(errs...)
}

func wrap(key string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", key, err)
}

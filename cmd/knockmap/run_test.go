//go:build duckdb_arrow

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/pipeline/config"
	"github.com/knockmap/knockmap/pipeline/samplelog"
)

// TestRunFlagsWin: a flag the user gives beats the environment and the
// file; one not given leaves them be.
func TestRunFlagsWin(t *testing.T) {
	g := &globals{}
	root := newRoot()
	var run = findCommand(t, root, "run")
	if err := root.PersistentFlags().Parse([]string{"--db", "/flag/k.duckdb"}); err != nil {
		t.Fatal(err)
	}
	if err := run.Flags().Parse([]string{"--year", "2023", "--wait", "3s", "--format", "json", "/flag/auth.log"}); err != nil {
		t.Fatal(err)
	}
	g.db = "/flag/k.duckdb"
	cfg := config.Defaults()
	cfg.DB, cfg.Year, cfg.TZ, cfg.Export.Format = "/env/k.duckdb", 2024, "Europe/Berlin", "csv"
	cfg.Sources = []config.Source{{Path: "/file/auth.log"}}
	var over config.Config
	over.Year, over.Export.Format = 2023, "json"
	applyFlags(run, &cfg, over, g, nil, 3*time.Second, run.Flags().Args())
	if cfg.DB != "/flag/k.duckdb" || cfg.Year != 2023 || cfg.Wait.Duration != 3*time.Second || cfg.Export.Format != "json" {
		t.Errorf("flags did not win: %+v", cfg)
	}
	if cfg.TZ != "Europe/Berlin" {
		t.Errorf("a flag not given changed tz: %q", cfg.TZ)
	}
	if len(cfg.Sources) != 1 || cfg.Sources[0].Path != "/flag/auth.log" {
		t.Errorf("INPUT arguments did not replace the sources: %+v", cfg.Sources)
	}
}

func findCommand(t *testing.T, root *cobra.Command, name string) *cobra.Command {
	t.Helper()
	for _, c := range root.Commands() {
		if c.Name() == name {
			return c
		}
	}
	t.Fatalf("no command %s", name)
	return nil
}

// TestDemoEmptyHome: the README's main command works on a machine with
// nothing set up: an empty HOME, no GeoIP database, no configuration.
func TestDemoEmptyHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("KNOCKMAP_DB", "")
	t.Setenv("KNOCKMAP_GEOIP", "")
	out := filepath.Join(t.TempDir(), "demo")
	root := newRoot()
	var stdout bytes.Buffer
	root.SetOut(&stdout)
	root.SetArgs([]string{"demo", "--out", out})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"report/index.html", "report/world.png", "report/countries.png", "knockmap.duckdb"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("demo did not write %s", f)
		}
	}
	if !strings.Contains(stdout.String(), "index.html") {
		t.Errorf("demo does not say where the report is:\n%s", stdout.String())
	}
	// what the sample plants among its noise, found and named
	for _, want := range []string{
		"Did anyone get in? 1 logins after failures from their address",
		"root logged in with password from",
		fmt.Sprintf("Campaigns, addresses that share one username dictionary: 1, with %d addresses", samplelog.Planted.CampaignAddresses),
		"Slow brute forces, a few attempts an hour over days:",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the demo does not say %q:\n%s", want, stdout.String())
		}
	}
}

// TestRunJSONSnakeCase: every key of run --json is snake_case, at every
// depth.
func TestRunJSONSnakeCase(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "auth.log")
	os.WriteFile(log, []byte("Mar  1 10:00:00 pi sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n"), 0o644)
	cfg := filepath.Join(dir, "c.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("db = %q\n[[source]]\npath = %q\n[report]\nout = %q\n[export]\nout = %q\n",
		filepath.Join(dir, "k.duckdb"), log, filepath.Join(dir, "report"), filepath.Join(dir, "pq"))), 0o644)
	t.Setenv("HOME", dir)
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("KNOCKMAP_GEOIP", "")
	out := execute(t, "run", "--config", cfg, "--json")
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	snake := regexp.MustCompile(`^[a-z0-9_]+$`)
	var walk func(any, string)
	walk = func(x any, at string) {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				if !snake.MatchString(k) {
					t.Errorf("key %s%s is not snake_case", at, k)
				}
				walk(v, at+k+".")
			}
		case []any:
			for _, v := range x {
				walk(v, at)
			}
		}
	}
	walk(v, "")
}

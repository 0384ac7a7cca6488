package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const file = `
db = "/file/k.duckdb"
tz = "Europe/Berlin"
year = 2025
geoip = ["/file/geoip"]
wait = "5m"

[[source]]
path = "/var/log/auth.log*"

[[source]]
command = ["journalctl", "-u", "ssh", "-o", "json", "--since", "-2d"]

[[source]]
ssh = "pi@raspberrypi.local"
path = "/var/log/auth.log*"

[report]
out = "/file/report"
since = "90d"

[export]
out = "/file/parquet"
format = "csv"
`

func write(t *testing.T, body string) string {
	p := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(p, []byte(body), 0o644)
	return p
}

// TestPrecedence: the environment beats the file, the file beats the
// defaults (flags beat both: see cmd/knockmap's run).
func TestPrecedence(t *testing.T) {
	c, err := Load(write(t, file), true)
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "/file/k.duckdb" || c.TZ != "Europe/Berlin" || c.Year != 2025 || c.Wait.Duration != 5*time.Minute ||
		len(c.Sources) != 3 || c.Sources[1].Command[0] != "journalctl" || c.Sources[2].SSH != "pi@raspberrypi.local" ||
		c.Report.Out != "/file/report" || c.Report.Scale != 1 || c.Export.Format != "csv" {
		t.Errorf("from the file: %+v", c)
	}
	env := map[string]string{
		"KNOCKMAP_DB": "/env/k.duckdb", "KNOCKMAP_YEAR": "2024", "KNOCKMAP_WAIT": "10s",
		"KNOCKMAP_SOURCES": "/a" + string(os.PathListSeparator) + "/b", "KNOCKMAP_EXPORT_FORMAT": "json",
		"KNOCKMAP_NO_ENRICH": "true",
	}
	if err := c.ApplyEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.DB != "/env/k.duckdb" || c.Year != 2024 || c.Wait.Duration != 10*time.Second || !c.NoEnrich ||
		len(c.Sources) != 2 || c.Sources[1].Path != "/b" || c.Export.Format != "json" || c.TZ != "Europe/Berlin" {
		t.Errorf("after the environment: %+v", c)
	}
	env = map[string]string{"KNOCKMAP_YEAR": "soon"}
	if err := c.ApplyEnv(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "KNOCKMAP_YEAR") {
		t.Errorf("a bad KNOCKMAP_YEAR: %v", err)
	}
}

func TestDefaultsAndErrors(t *testing.T) {
	c, err := Load(filepath.Join(t.TempDir(), "none.toml"), false)
	if err != nil || c.Wait.Duration != time.Minute || c.Export.Format != "parquet" {
		t.Errorf("no file at the default path: %+v, %v", c, err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.toml"), true); err == nil {
		t.Error("a missing --config file was accepted")
	}
	for name, body := range map[string]string{
		"unknown key":      "dbb = \"x\"\n",
		"bad TOML":         "db = \n",
		"bad duration":     "wait = \"soon\"\n",
		"empty source":     "[[source]]\nhost = \"x\"\n",
		"two kinds":        "[[source]]\npath = \"/x\"\ncommand = [\"y\"]\n",
		"ssh without path": "[[source]]\nssh = \"pi@h\"\n",
	} {
		if _, err := Load(write(t, body), true); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	t.Setenv("XDG_CONFIG_HOME", "/cfg")
	if DefaultPath() != "/cfg/knockmap/config.toml" {
		t.Errorf("DefaultPath() = %s", DefaultPath())
	}
}

// TestAlert: alert is print unless the file or KNOCKMAP_ALERT says none,
// and any other value is refused, from the file or the environment.
func TestAlert(t *testing.T) {
	tests := []struct {
		name, body, env, want string
		bad                   bool
	}{
		{name: "default", want: "print"},
		{name: "file none", body: "alert = \"none\"\n", want: "none"},
		{name: "file print", body: "alert = \"print\"\n", want: "print"},
		{name: "env over file", body: "alert = \"print\"\n", env: "none", want: "none"},
		{name: "file mail", body: "alert = \"mail\"\n", bad: true},
		{name: "env loud", env: "loud", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse("config.toml", []byte(tc.body))
			if err == nil {
				err = c.ApplyEnv(func(k string) string {
					if k == "KNOCKMAP_ALERT" {
						return tc.env
					}
					return ""
				})
			}
			if err == nil {
				err = c.Check()
			}
			if tc.bad {
				if err == nil {
					t.Errorf("alert %q accepted", c.Alert)
				}
				return
			}
			if err != nil || c.Alert != tc.want {
				t.Errorf("alert %q (%v), want %q", c.Alert, err, tc.want)
			}
		})
	}
}

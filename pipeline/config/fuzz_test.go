package config

import (
	"math"
	"strings"
	"testing"
)

// FuzzParse: any text gives a configuration or an error naming the file,
// never a panic, and what it accepts passes Check.
func FuzzParse(f *testing.F) {
	f.Add(file)
	f.Add("")
	f.Add("[report]\nscale = 1e300\n")
	f.Add("[[source]]\nssh = \"pi@h\"\n")
	f.Add("wait = \"-5s\"\n")
	f.Add("year = 99999\n[export]\nformat = \"xlsx\"\n")
	f.Add("source = [{path = \"/a\"}, {command = [\"journalctl\"]}]\n")
	f.Add("[report]\nscale = nan\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse("fuzz.toml", []byte(text))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.toml: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if err := c.Check(); err != nil {
			t.Fatalf("accepted a config that Check refuses: %v", err)
		}
		if math.IsNaN(c.Report.Scale) || c.Report.Scale <= 0 || c.Report.Scale > MaxScale {
			t.Fatalf("accepted scale %v", c.Report.Scale)
		}
		for i, s := range c.Sources {
			if s.Path == "" && len(s.Command) == 0 {
				t.Fatalf("source %d reads nothing: %+v", i+1, s)
			}
		}
	})
}

func TestParseRefusesNonsense(t *testing.T) {
	for _, text := range []string{
		"[report]\nscale = 1e9\n",
		"[report]\nscale = nan\n",
		"[report]\nscale = -1.0\n",
		"[export]\nformat = \"xlsx\"\n",
		"year = 20255\n",
		"wait = \"-1m\"\n",
		strings.Repeat("# padding\n", MaxFileBytes/10+1),
	} {
		if _, err := Parse("c.toml", []byte(text)); err == nil || !strings.HasPrefix(err.Error(), "c.toml: ") {
			t.Errorf("%.40q: got %v, want an error naming c.toml", text, err)
		}
	}
}

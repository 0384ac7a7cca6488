package report

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestS3Secret(t *testing.T) {
	for _, c := range []struct {
		name    string
		env     map[string]string
		want    string
		secrets int
	}{
		{"none", nil, "", 0},
		{"region only", map[string]string{"AWS_DEFAULT_REGION": "eu-west-1"}, "CREATE TEMPORARY SECRET knockmap_s3 (TYPE s3, REGION 'eu-west-1')", 0},
		{"keys", map[string]string{"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "s'x", "AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "no"},
			"CREATE TEMPORARY SECRET knockmap_s3 (TYPE s3, KEY_ID 'AK', SECRET 's''x', REGION 'us-east-2')", 2},
		{"minio", map[string]string{"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "S", "AWS_SESSION_TOKEN": "T", "AWS_ENDPOINT_URL": "http://minio:9000/"},
			"CREATE TEMPORARY SECRET knockmap_s3 (TYPE s3, KEY_ID 'AK', SECRET 'S', SESSION_TOKEN 'T', ENDPOINT 'minio:9000', URL_STYLE 'path', USE_SSL false)", 3},
		{"r2", map[string]string{"AWS_ENDPOINT_URL": "https://acct.r2.cloudflarestorage.com"},
			"CREATE TEMPORARY SECRET knockmap_s3 (TYPE s3, ENDPOINT 'acct.r2.cloudflarestorage.com', URL_STYLE 'path')", 0},
	} {
		got, secrets := s3Secret(func(k string) string { return c.env[k] })
		if got != c.want || len(secrets) != c.secrets {
			t.Errorf("%s: %q with %d secrets, want %q with %d", c.name, got, len(secrets), c.want, c.secrets)
		}
	}
}

// TestHostList: the page lists the hosts only when there are several,
// each host's name shown inert and escaped.
func TestHostList(t *testing.T) {
	day := time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		hosts []HostTotals
		want  []string
		not   []string
	}{
		{"one host", []HostTotals{{Host: "pi", Attempts: 5}}, nil, []string{`id="hosts"`, "<select"}},
		{"three", []HostTotals{{Host: "web", Attempts: 12345, First: day, Last: day}, {Host: "db", Attempts: 7}, {Host: "mail", Attempts: 1}},
			[]string{`<option value="">all 3 hosts</option>`, `<option value="0">web · 12,345</option>`, `<option value="2">mail · 1</option>`, "<td>2 Jan 2026 03:04</td>"}, nil},
		{"hostile", []HostTotals{{Host: "<script>x</script>\x1b[2J\u202e", Attempts: 1}, {Host: "b", Attempts: 1}},
			[]string{"&lt;script&gt;"}, []string{"<script>x", "\x1b", "\u202e"}},
	} {
		var b bytes.Buffer
		if err := page.ExecuteTemplate(&b, "hosts", hostRows(c.hosts)); err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: the host list lacks %q:\n%s", c.name, w, b.String())
			}
		}
		for _, w := range c.not {
			if strings.Contains(b.String(), w) {
				t.Errorf("%s: the host list has %q", c.name, w)
			}
		}
	}
}

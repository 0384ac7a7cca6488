package blocklist

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sample is a list with addresses and networks of both families.
func sample(t *testing.T) []Entry {
	t.Helper()
	es, err := Select([]Source{
		src("1.2.3.4", 50, 1), src("1.2.3.9", 30, 1), src("8.8.4.4", 3, 2), src("2a01:4f8:1:2::5", 40, 3),
		src("77.1.1.1", 80, 4), src("2a02:1::1", 9, 5),
	}, Options{Aggregate: ByNetwork, Allow: []netip.Prefix{netip.MustParsePrefix("1.2.3.4/32")}})
	if err != nil {
		t.Fatal(err)
	}
	// 1.2.3.9 alone, the rest as networks
	if len(es) != 5 {
		t.Fatalf("sample: %v", texts(es))
	}
	return es
}

func write(t *testing.T, es []Entry, format string) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, es, format, WriteOptions{Duration: 36 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestNft: nft -c -f accepts the set definitions, with and without
// elements; what it says otherwise is the test's failure, unless it
// cannot run at all here.
func TestNft(t *testing.T) {
	nft, err := exec.LookPath("nft")
	if err != nil {
		t.Skip("nft is not installed (apt-get install nftables): the nft format is not checked by its consumer")
	}
	var many []Source
	for i := 0; i < 40; i++ {
		many = append(many, src(fmt.Sprintf("77.%d.1.1", i), 5, 1), src(fmt.Sprintf("2a02:%x::1", i+1), 5, 1))
	}
	manyEs, err := Select(many, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, es := range map[string][]Entry{"sample": sample(t), "empty": nil, "ipv4 only": sample(t)[:3], "80 entries": manyEs} {
		t.Run(name, func(t *testing.T) {
			out := write(t, es, "nft")
			for _, e := range es {
				if !strings.Contains(out, text(e)) {
					t.Errorf("%s missing from\n%s", text(e), out)
				}
			}
			f := filepath.Join(t.TempDir(), "b.nft")
			os.WriteFile(f, []byte(out), 0o644)
			b, err := exec.Command(nft, "-c", "-f", f).CombinedOutput()
			if err != nil {
				if strings.Contains(string(b), "Operation not permitted") || strings.Contains(string(b), "Permission denied") {
					t.Skipf("nft -c cannot run here (needs CAP_NET_ADMIN): %s", b)
				}
				t.Fatalf("nft -c -f rejects it: %v\n%s\n%s", err, b, out)
			}
		})
	}
	// and it rejects what is wrong, so that the check can fail
	f := filepath.Join(t.TempDir(), "bad.nft")
	os.WriteFile(f, []byte(strings.Replace(write(t, sample(t), "nft"), "1.2.3.9", "1.2.3.999", 1)), 0o644)
	if b, err := exec.Command(nft, "-c", "-f", f).CombinedOutput(); err == nil {
		t.Errorf("nft -c accepted a bad address: %s", b)
	}
}

// TestIpset: ipset restore takes the output in a network namespace of
// the test's own, and the sets then hold exactly the entries.
func TestIpset(t *testing.T) {
	if _, err := exec.LookPath("ipset"); err != nil {
		t.Skip("ipset is not installed (apt-get install ipset): the ipset format is not checked by its consumer")
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare is absent: no network namespace for ipset restore")
	}
	if b, err := exec.Command("unshare", "-n", "true").CombinedOutput(); err != nil {
		t.Skipf("unshare -n is not permitted here: %v %s", err, b)
	}
	es := sample(t)
	out := write(t, es, "ipset")
	// twice: the second run empties the sets first
	cmd := exec.Command("unshare", "-n", "sh", "-c", `ipset restore < "$1" && ipset restore < "$1" && ipset list -o save`, "sh", "-")
	f := filepath.Join(t.TempDir(), "b.ipset")
	os.WriteFile(f, []byte(out), 0o644)
	cmd.Args[len(cmd.Args)-1] = f
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ipset restore: %v\n%s\n%s", err, b, out)
	}
	var got []string
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 3 && f[0] == "add" {
			got = append(got, f[2])
		}
	}
	want := texts(es)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the sets hold %v, want %v", got, want)
	}
}

// fail2banLine is fail2ban-client's documented "set <JAIL> banip <IP> ...".
var fail2banLine = regexp.MustCompile(`^fail2ban-client set ([A-Za-z0-9_.-]+) banip (\S+)$`)

func TestFail2ban(t *testing.T) {
	es := sample(t)
	out := write(t, es, "fail2ban")
	var got []string
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		m := fail2banLine.FindStringSubmatch(l)
		if m == nil || m[1] != "sshd" {
			t.Fatalf("not a fail2ban-client banip line: %q", l)
		}
		if _, err := netip.ParsePrefix(m[2]); err != nil {
			if _, err := netip.ParseAddr(m[2]); err != nil {
				t.Errorf("%q is neither an address nor a network", m[2])
			}
		}
		got = append(got, m[2])
	}
	if !slices.Equal(got, texts(es)) {
		t.Errorf("got %v, want %v", got, texts(es))
	}
}

// readCSV parses out with a header of exactly cols.
func readCSV(t *testing.T, out string, cols ...string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(out))
	r.FieldsPerRecord = len(cols)
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !slices.Equal(recs[0], cols) {
		t.Fatalf("header %v, want %v", recs[0], cols)
	}
	return recs[1:]
}

// TestCrowdsec: cscli decisions import's CSV: a header of its columns
// (duration,reason,scope,type,value), scope ip or range as the value is.
func TestCrowdsec(t *testing.T) {
	es := sample(t)
	recs := readCSV(t, write(t, es, "crowdsec"), "duration", "reason", "scope", "type", "value")
	if len(recs) != len(es) {
		t.Fatalf("%d rows, want %d", len(recs), len(es))
	}
	for i, r := range recs {
		if r[0] != "36h" || r[3] != "ban" || r[4] != text(es[i]) {
			t.Errorf("row %v for %s", r, text(es[i]))
		}
		if want := map[bool]string{true: "ip", false: "range"}[es[i].Prefix.IsSingleIP()]; r[2] != want {
			t.Errorf("%s: scope %s, want %s", r[4], r[2], want)
		}
	}
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{{24 * time.Hour, "24h"}, {90 * time.Minute, "90m"}, {30 * time.Second, "30s"}} {
		if got := duration(tc.d); got != tc.want {
			t.Errorf("duration(%v) = %s, want %s", tc.d, got, tc.want)
		}
	}
}

// TestAbuseIPDB: AbuseIPDB's bulk-report CSV: IP,Categories,ReportDate,
// Comment; categories 18 (brute force) and 22 (SSH); an ISO 8601 date; a
// comment of counts only; one row per address, and networks refused.
func TestAbuseIPDB(t *testing.T) {
	srcs := []Source{src("1.2.3.4", 50, 1), src("2a01:4f8:1:2::5", 40, 3)}
	es, err := Select(srcs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, write(t, es, "abuseipdb"), "IP", "Categories", "ReportDate", "Comment")
	if len(recs) != 2 {
		t.Fatalf("%d rows", len(recs))
	}
	digits := regexp.MustCompile(`[0-9]+`)
	for i, r := range recs {
		if r[0] != srcs[i].Addr.String() || r[1] != "18,22" {
			t.Errorf("row %v", r)
		}
		if d, err := time.Parse(time.RFC3339, r[2]); err != nil || !d.Equal(srcs[i].Last) {
			t.Errorf("ReportDate %q: %v", r[2], err)
		}
		if len(r[3]) > 1024 || !strings.Contains(r[3], strconv.FormatInt(srcs[i].Attempts, 10)+" failed SSH login attempts") {
			t.Errorf("comment %q", r[3])
		}
		// only counts, dates and knockmap's own words
		rest := digits.ReplaceAllString(r[3], "")
		if rest != " failed SSH login attempts between -- :: and -- :: UTC (knockmap)" {
			t.Errorf("comment has more than counts: %q", r[3])
		}
	}
	var b bytes.Buffer
	if err := Write(&b, sample(t), "abuseipdb", WriteOptions{}); err == nil || b.Len() > 0 {
		t.Errorf("networks written for AbuseIPDB: %v %q", err, b.String())
	}
	if err := Write(&b, es, "pdf", WriteOptions{}); err == nil {
		t.Error("format pdf accepted")
	}
}

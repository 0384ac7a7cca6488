// Package samplelog writes a realistic, deterministic sshd auth log: what a
// small server with port 22 open logs over a December and January, rotated
// the way logrotate leaves it. knockmap demo and tests use it when no real
// log is at hand.
package samplelog

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"path/filepath"
	"slices"
	"time"

	"github.com/knockmap/knockmap/pipeline/outfile"
)

// Options shape a sample.
type Options struct {
	Lines int       // about how many lines (default 20,000)
	Start time.Time // first line (default 2025-12-01 00:00 UTC)
	Days  int       // span (default 62: December and January)
	Seed  uint64    // same seed, same bytes
	Host  string    // the server's name (default "raspberrypi")
}

// Demo is the sample knockmap demo writes. The demo's GeoIP excerpt
// (pipeline/geoip/embedded) holds exactly the addresses of this sample, so
// changing it, or what Generate makes of it, needs the excerpt made anew.
var Demo = Options{Seed: 1}

func (o *Options) defaults() {
	if o.Lines <= 0 {
		o.Lines = 20000
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	}
	if o.Days <= 0 {
		o.Days = 62
	}
	if o.Host == "" {
		o.Host = "raspberrypi"
	}
}

var users = []string{"root", "admin", "user", "test", "ubuntu", "pi", "oracle", "postgres", "git",
	"ftp", "guest", "support", "deploy", "dev", "ec2-user", "hadoop", "mysql", "jenkins", "ansible",
	"centos", "debian", "steam", "minecraft", "nagios", "tomcat", "elastic", "zabbix", "backup",
	"vagrant", "administrator", "operator", "sysadmin", "webmaster", "ts3", "odoo", "kafka", "solana",
	"validator", "docker", "k8s", "grafana", "prometheus", "redis", "nginx", "www", "mail", "svn"}

// hostile usernames: what attackers really send, escaped the way sshd logs them
var hostile = []string{"", "root from 203.0.113.9 port 22", "<script>alert(1)</script>",
	"a b c", "'; DROP TABLE events;--", `\303\274ser`, `user\033[31m`, "=cmd|' /C calc'!A0"}

// Write writes the sample into dir as auth.log.2.gz, auth.log.1 and
// auth.log (newest), each with its last line's time as its mtime, and
// returns their paths, oldest first.
func Write(dir string, opt Options) ([]string, error) {
	opt.defaults()
	lines := Generate(opt)
	names := []string{"auth.log.2.gz", "auth.log.1", "auth.log"}
	per := (len(lines) + len(names) - 1) / len(names)
	var paths []string
	for i, name := range names {
		chunk := lines[min(i*per, len(lines)):min((i+1)*per, len(lines))]
		path := filepath.Join(dir, name)
		if err := writeFile(path, chunk, i == 0); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// writeFile writes lines as the file path, made fresh and renamed into
// place (see outfile), with the time of its last line.
func writeFile(path string, lines []Line, gz bool) error {
	f, err := outfile.Create(path, 0o644)
	if err != nil {
		return err
	}
	defer f.Abort()
	var w io.Writer = f
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(f)
		w = zw
	}
	bw := bufio.NewWriter(w)
	for _, l := range lines {
		bw.WriteString(l.Text)
		bw.WriteByte('\n')
	}
	err = bw.Flush()
	if zw != nil && err == nil {
		err = zw.Close()
	}
	if err == nil && len(lines) > 0 {
		err = f.SetModTime(lines[len(lines)-1].At)
	}
	if err != nil {
		return err
	}
	return f.Commit()
}

// Line is one log line and its time.
type Line struct {
	At   time.Time
	Text string
}

// Generate returns the sample's lines in time order.
func Generate(opt Options) []Line {
	return generate(opt).out
}

// Addresses lists, sorted, every address the sample's lines can come from,
// as the log writes them (IPv4-mapped IPv6 ones as "::ffff:a.b.c.d").
func Addresses(opt Options) []string {
	g := generate(opt)
	out := append(slices.Clone(g.sources), g.planted...)
	out = append(out, lanAddress)
	slices.Sort(out)
	return slices.Compact(out)
}

// lanAddress is the owner's own machine, which logs in with a key.
const lanAddress = "192.168.1.23"

func generate(opt Options) *gen {
	opt.defaults()
	g := &gen{rng: rand.New(rand.NewPCG(opt.Seed, 0x6b6e6f636b6d6170)), host: opt.Host}
	g.sources = g.makeSources(max(60, opt.Lines/80))
	step := time.Duration(opt.Days) * 24 * time.Hour / time.Duration(opt.Lines)
	t := opt.Start
	for len(g.out) < opt.Lines {
		if g.rng.Float64() < 0.04 {
			t = t.Add(step)
			g.emit(t, fmt.Sprintf("CRON[%d]", 1000+g.rng.IntN(90000)), "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)")
			continue
		}
		t = g.session(t)
		// keep pace with the span: at least one step a line
		if min := opt.Start.Add(step * time.Duration(len(g.out))); t.Before(min) {
			t = min
		}
	}
	g.plant(opt)
	return g
}

// Planted is what the sample holds on purpose among the noise, for the
// demo to find: a password login from the address that failed most, a
// campaign of addresses sharing one username dictionary, a slow brute
// force, and a few attempts from each US state or territory the report
// always maps on its own (USVisitors).
var Planted = struct {
	CampaignAddresses, CampaignNames int
	SlowDays                         int
}{CampaignAddresses: 12, CampaignNames: 30, SlowDays: 7}

// plant adds the planted cases, drawn from a generator of their own so that
// the rest of the sample stays as it was, and puts every line back in time
// order.
func (g *gen) plant(opt Options) {
	p := &gen{rng: rand.New(rand.NewPCG(opt.Seed, 0x706c616e74)), host: g.host}
	span := time.Duration(opt.Days) * 24 * time.Hour
	conn := func(t time.Time, ip, msg string, rest ...string) {
		tag := fmt.Sprintf("sshd[%d]", 1000+p.rng.IntN(4_000_000))
		p.emit(t, tag, msg)
		for i, m := range rest {
			p.emit(t.Add(time.Duration(i+1)*time.Second), tag, m)
		}
	}
	// a compromise: the address that failed most logs in with a password
	// for root, near the end
	top := g.sources[0]
	t := opt.Start.Add(span - 30*time.Hour)
	port := 1024 + p.rng.IntN(64512)
	conn(t, top, fmt.Sprintf("Failed password for root from %s port %d ssh2", top, port),
		fmt.Sprintf("Accepted password for root from %s port %d ssh2", top, port),
		"pam_unix(sshd:session): session opened for user root(uid=0) by (uid=0)")
	// a campaign: addresses new to the log share one dictionary of names
	// over ten days, one attempt a connection
	words := make([]string, Planted.CampaignNames)
	for i := range words {
		words[i] = fmt.Sprintf("svc-%s%d", []string{"backup", "media", "cam", "nas", "iot", "lab"}[i%6], i)
	}
	t0 := opt.Start.Add(span / 3)
	var campaign []string
	for range Planted.CampaignAddresses {
		ip := p.publicV4()
		for !ip.IsValid() {
			ip = p.publicV4()
		}
		campaign = append(campaign, ip.String())
		for _, k := range p.rng.Perm(len(words))[:22+p.rng.IntN(6)] {
			at := t0.Add(time.Duration(p.rng.Int64N(int64(10 * 24 * time.Hour))))
			conn(at, ip.String(), fmt.Sprintf("Invalid user %s from %s port %d", words[k], ip, 1024+p.rng.IntN(64512)),
				fmt.Sprintf("Failed password for invalid user %s from %s port %d ssh2", words[k], ip, 1024+p.rng.IntN(64512)))
		}
	}
	// a slow brute force: one attempt every two to four hours for a week
	slow := p.publicV4()
	for !slow.IsValid() {
		slow = p.publicV4()
	}
	for at, end := opt.Start.Add(span/2), opt.Start.Add(span/2+time.Duration(Planted.SlowDays)*24*time.Hour); at.Before(end); at = at.Add(2*time.Hour + time.Duration(p.rng.Int64N(int64(2*time.Hour)))) {
		conn(at, slow.String(), fmt.Sprintf("Failed password for root from %s port %d ssh2", slow, 1024+p.rng.IntN(64512)))
	}
	// a few attempts from each of the places the report always draws a
	// map of, in the afternoons of the last week
	for i, ip := range USVisitors {
		at := opt.Start.Add(span - time.Duration(7-i%7)*24*time.Hour + 14*time.Hour)
		for k := range 2 + p.rng.IntN(4) {
			user := users[p.pick(len(users))]
			conn(at.Add(time.Duration(k)*time.Minute), ip, fmt.Sprintf("Invalid user %s from %s port %d", user, ip, 1024+p.rng.IntN(64512)),
				fmt.Sprintf("Failed password for invalid user %s from %s port %d ssh2", user, ip, 1024+p.rng.IntN(64512)))
		}
	}
	g.planted = append(g.planted, top, slow.String())
	g.planted = append(g.planted, campaign...)
	g.planted = append(g.planted, USVisitors...)
	g.out = append(g.out, p.out...)
	slices.SortStableFunc(g.out, func(a, b Line) int { return a.At.Compare(b.At) })
}

// USVisitors are addresses that DB-IP Lite city places in Alaska, Hawaii,
// Washington D.C. and Puerto Rico, two of each, so that the demo's maps of
// them have dots.
var USVisitors = []string{
	"69.178.52.17", "66.93.196.40", // Anchorage, Wasilla
	"72.235.8.91", "66.91.96.33", // Honolulu, Kahului
	"68.163.72.12", "70.108.16.200", // Washington D.C.
	"66.50.0.77", "74.213.100.9", // San Juan, Ponce
}

type gen struct {
	rng     *rand.Rand
	host    string
	sources []string
	planted []string // the addresses plant adds
	out     []Line
}

func (g *gen) emit(t time.Time, tag, msg string) {
	text := fmt.Sprintf("%s %2d %s %s %s: %s", t.Format("Jan"), t.Day(), t.Format("15:04:05"), g.host, tag, msg)
	g.out = append(g.out, Line{At: t, Text: text})
}

// pick returns a heavy-tailed choice: a few items get most of the picks.
func (g *gen) pick(n int) int {
	f := g.rng.Float64()
	return int(float64(n)*f*f*f*f) % n
}

func (g *gen) makeSources(n int) []string {
	out := make([]string, 0, n)
	for len(out) < n {
		r := g.rng.Float64()
		switch {
		case r < 0.86:
			if a := g.publicV4(); a.IsValid() {
				out = append(out, a.String())
			}
		case r < 0.95:
			var b [16]byte
			b[0], b[1] = 0x24, byte(0x00+g.rng.IntN(0x10)) // 2400::/12, allocated by RIRs
			for i := 2; i < 16; i++ {
				b[i] = byte(g.rng.IntN(256))
			}
			out = append(out, netip.AddrFrom16(b).String())
		default:
			if a := g.publicV4(); a.IsValid() {
				out = append(out, "::ffff:"+a.String())
			}
		}
	}
	return out
}

func (g *gen) publicV4() netip.Addr {
	var b [4]byte
	for i := range b {
		b[i] = byte(g.rng.IntN(256))
	}
	a := netip.AddrFrom4(b)
	if a.IsPrivate() || a.IsLoopback() || a.IsMulticast() || a.IsUnspecified() || a.IsLinkLocalUnicast() || b[0] == 0 || b[0] >= 224 || b[0] == 100 {
		return netip.Addr{}
	}
	return a
}

func (g *gen) user() string {
	if g.rng.Float64() < 0.01 {
		return hostile[g.rng.IntN(len(hostile))]
	}
	if g.rng.Float64() < 0.15 {
		return fmt.Sprintf("u%04d", g.rng.IntN(3000))
	}
	return users[g.pick(len(users))]
}

// session emits one attacker connection and returns the time after it.
func (g *gen) session(t time.Time) time.Time {
	rng := g.rng
	ip := g.sources[g.pick(len(g.sources))]
	port := 1024 + rng.IntN(64512)
	tag := fmt.Sprintf("sshd[%d]", 1000+rng.IntN(4_000_000))
	if rng.Float64() < 0.2 {
		tag = "sshd-session" + tag[4:]
	}
	next := func() time.Time {
		t = t.Add(time.Duration(rng.IntN(1500)) * time.Millisecond)
		return t
	}
	user := g.user()
	valid := user == "root" || user == "pi"
	who := user
	if !valid {
		who = "invalid user " + user
	}
	switch r := rng.Float64(); {
	case r < 0.06:
		g.emit(next(), tag, fmt.Sprintf("Did not receive identification string from %s port %d", ip, port))
	case r < 0.10:
		g.emit(next(), tag, fmt.Sprintf("Unable to negotiate with %s port %d: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]", ip, port))
	case r < 0.13:
		g.emit(next(), tag, fmt.Sprintf("banner exchange: Connection from %s port %d: invalid format", ip, port))
	case r < 0.16:
		g.emit(next(), tag, fmt.Sprintf("Connection closed by %s port %d [preauth]", ip, port))
	case r < 0.165:
		g.emit(next(), tag, fmt.Sprintf("Accepted publickey for pi from %s port %d ssh2: ED25519 SHA256:%016x", lanAddress, port, rng.Uint64()))
		g.emit(next(), tag, "pam_unix(sshd:session): session opened for user pi(uid=1000) by (uid=0)")
	default:
		if !valid {
			g.emit(next(), tag, fmt.Sprintf("Invalid user %s from %s port %d", user, ip, port))
		}
		method := "password"
		if rng.Float64() < 0.08 {
			method = []string{"publickey", "none", "keyboard-interactive/pam"}[rng.IntN(3)]
		}
		if method == "password" {
			pamUser := ""
			if valid {
				pamUser = "  user=" + user
			}
			g.emit(next(), tag, fmt.Sprintf("pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s%s", ip, pamUser))
		}
		tries := 1 + int(rng.Float64()*rng.Float64()*6)
		failed := fmt.Sprintf("Failed %s for %s from %s port %d ssh2", method, who, ip, port)
		g.emit(next(), tag, failed)
		if tries > 2 && rng.Float64() < 0.5 {
			g.emit(next(), tag, fmt.Sprintf("message repeated %d times: [ %s]", tries-1, failed))
		} else {
			for i := 1; i < tries; i++ {
				g.emit(next(), tag, failed)
			}
		}
		if tries >= 6 {
			g.emit(next(), tag, fmt.Sprintf("error: maximum authentication attempts exceeded for %s from %s port %d ssh2 [preauth]", who, ip, port))
		} else {
			g.emit(next(), tag, fmt.Sprintf("Received disconnect from %s port %d:11: Bye Bye [preauth]", ip, port))
			g.emit(next(), tag, fmt.Sprintf("Disconnected from %s %s port %d [preauth]", map[bool]string{true: "authenticating user " + user, false: "invalid user " + user}[valid], ip, port))
		}
	}
	return t
}

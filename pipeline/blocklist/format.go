package blocklist

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
)

// Formats are the output formats Write knows.
var Formats = []string{"plain", "nft", "ipset", "fail2ban", "crowdsec", "abuseipdb"}

// Set names in the nft and ipset output.
const (
	NftTable = "knockmap"
	NftSet4  = "blocklist"
	NftSet6  = "blocklist6"
	IPSet4   = "knockmap4"
	IPSet6   = "knockmap6"
)

// WriteOptions shape the output.
type WriteOptions struct {
	Duration time.Duration // of a CrowdSec decision; default 24h
}

// text is an entry as the tools take it: an address alone, a network
// with its length.
func text(e Entry) string {
	if e.Prefix.IsSingleIP() {
		return e.Prefix.Addr().String()
	}
	return e.Prefix.Masked().String()
}

// Write writes entries in format: plain (one address or network a line),
// nft (an nftables table with an IPv4 and an IPv6 interval set, for
// nft -f), ipset (ipset restore input: hash:net sets for inet and inet6,
// emptied then filled), fail2ban (fail2ban-client set sshd banip lines),
// crowdsec (cscli decisions import CSV: duration,reason,scope,type,value)
// or abuseipdb (bulk-report CSV: IP,Categories,ReportDate,Comment;
// addresses only, categories 18 brute force and 22 SSH, a comment of
// counts only).
func Write(w io.Writer, entries []Entry, format string, opt WriteOptions) error {
	if format == "abuseipdb" {
		for _, e := range entries {
			if !e.Prefix.IsSingleIP() {
				return fmt.Errorf("abuseipdb reports addresses one by one: use --aggregate ip (or asn)")
			}
		}
	}
	bw := bufio.NewWriter(w)
	var v4, v6 []Entry
	for _, e := range entries {
		if e.Prefix.Addr().Is4() {
			v4 = append(v4, e)
		} else {
			v6 = append(v6, e)
		}
	}
	switch format {
	case "", "plain":
		for _, e := range entries {
			fmt.Fprintln(bw, text(e))
		}
	case "nft":
		fmt.Fprintf(bw, "# knockmap blocklist: advisory, for nft -f\ntable inet %s {\n", NftTable)
		set := func(name, typ string, es []Entry) {
			fmt.Fprintf(bw, "\tset %s {\n\t\ttype %s\n\t\tflags interval\n", name, typ)
			if len(es) > 0 {
				fmt.Fprint(bw, "\t\telements = {")
				for i, e := range es {
					if i > 0 {
						fmt.Fprint(bw, ",")
					}
					if i%8 == 0 {
						fmt.Fprint(bw, "\n\t\t\t")
					} else {
						fmt.Fprint(bw, " ")
					}
					fmt.Fprint(bw, text(e))
				}
				fmt.Fprint(bw, "\n\t\t}\n")
			}
			fmt.Fprint(bw, "\t}\n")
		}
		set(NftSet4, "ipv4_addr", v4)
		set(NftSet6, "ipv6_addr", v6)
		fmt.Fprintln(bw, "}")
	case "ipset":
		for _, s := range []struct {
			name, family string
			es           []Entry
		}{{IPSet4, "inet", v4}, {IPSet6, "inet6", v6}} {
			fmt.Fprintf(bw, "create %s hash:net family %s -exist\nflush %s\n", s.name, s.family, s.name)
			for _, e := range s.es {
				fmt.Fprintf(bw, "add %s %s -exist\n", s.name, text(e))
			}
		}
	case "fail2ban":
		for _, e := range entries {
			fmt.Fprintf(bw, "fail2ban-client set sshd banip %s\n", text(e))
		}
	case "crowdsec":
		d := opt.Duration
		if d <= 0 {
			d = 24 * time.Hour
		}
		cw := csv.NewWriter(bw)
		cw.Write([]string{"duration", "reason", "scope", "type", "value"})
		for _, e := range entries {
			scope := "ip"
			if !e.Prefix.IsSingleIP() {
				scope = "range"
			}
			cw.Write([]string{duration(d), fmt.Sprintf("knockmap: %d failed ssh logins", e.Attempts), scope, "ban", text(e)})
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	case "abuseipdb":
		cw := csv.NewWriter(bw)
		cw.Write([]string{"IP", "Categories", "ReportDate", "Comment"})
		for _, e := range entries {
			comment := fmt.Sprintf("%d failed SSH login attempts between %s and %s UTC (knockmap)",
				e.Attempts, e.First.UTC().Format(time.DateTime), e.Last.UTC().Format(time.DateTime))
			cw.Write([]string{text(e), "18,22", e.Last.UTC().Format(time.RFC3339), comment})
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	default:
		return fmt.Errorf("--format %q: want one of %s", format, strings.Join(Formats, ", "))
	}
	return bw.Flush()
}

// duration is d as CrowdSec takes it: 24h, 90m, 45s.
func duration(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return fmt.Sprintf("%ds", max(d/time.Second, 1))
}

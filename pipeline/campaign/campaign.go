// Package campaign finds campaigns: many addresses that share one username
// dictionary between them, whatever the span over which they use it.
//
// Each address is known by the set of usernames it failed to log in as.
// Names that more than CommonShare of all addresses tried, and more than
// MinCommon addresses (root, admin, test: the background every attacker
// has), are left out of the sets, so that they cannot glue unrelated
// addresses together; in a log too small for that, MinShared still asks
// for five names in common beyond them. An address with
// fewer than MinNames names left takes no part. Two addresses are alike
// when their sets have a Jaccard index of at least Threshold and share at
// least MinShared names. A campaign is a connected group of alike
// addresses with at least MinMembers members.
//
// Candidate pairs come from MinHash signatures (128 hashes) banded for
// locality-sensitive hashing (32 bands of 4 rows: a pair at Jaccard 0.5
// meets in some band with probability 0.87, at 0.7 with 0.9995), and each
// candidate is checked exactly, so no pair is taken on the signature alone
// and no all-pairs comparison is made. Within a band's bucket a member is
// checked against at most 8 representatives, which bounds the work of a
// bucket shared by thousands of addresses; the other bands make up for a
// link so missed.
package campaign

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	sqlfiles "github.com/knockmap/knockmap/sql"
)

// Options are the thresholds; the zero value of a field means its
// default.
type Options struct {
	Threshold   float64 // Jaccard index of two addresses' sets; default 0.5
	MinNames    int     // names an address needs (after the common ones are left out); default 5
	MinShared   int     // names two alike addresses share at least; default 5
	CommonShare float64 // names tried by more than this share of all addresses are left out; default 0.2
	MinCommon   int     // … and by more than this many; default 50, so that a small log keeps its names
	MinMembers  int     // addresses a campaign has at least; default 3
}

func (o Options) withDefaults() Options {
	if o.Threshold <= 0 {
		o.Threshold = 0.5
	}
	if o.MinNames <= 0 {
		o.MinNames = 5
	}
	if o.MinShared <= 0 {
		o.MinShared = 5
	}
	if o.CommonShare <= 0 {
		o.CommonShare = 0.2
	}
	if o.MinCommon <= 0 {
		o.MinCommon = 50
	}
	if o.MinMembers <= 0 {
		o.MinMembers = 3
	}
	return o
}

// Name is a username of a campaign's dictionary and how many of its
// members tried it.
type Name struct {
	Name    string
	Members int
}

// Campaign is one group of addresses and the dictionary they share: the
// names at least half of them tried (common names included).
type Campaign struct {
	Addresses []string // sorted
	Usernames []Name   // sorted by name
}

const (
	hashes = 128
	bands  = 32
	rows   = hashes / bands
	reps   = 8
)

// Find groups the addresses of sets (address → usernames tried; the
// names of one address may repeat) into campaigns, largest first, then
// by first address.
func Find(sets map[string][]string, opt Options) []Campaign {
	opt = opt.withDefaults()
	addrs := make([]string, 0, len(sets))
	for a := range sets {
		addrs = append(addrs, a)
	}
	slices.Sort(addrs)

	// intern the names; each address's full set, sorted and distinct
	ids := map[string]int32{}
	var names []string
	full := make([][]int32, len(addrs))
	for i, a := range addrs {
		s := make([]int32, 0, len(sets[a]))
		for _, n := range sets[a] {
			id, ok := ids[n]
			if !ok {
				id = int32(len(names))
				ids[n] = id
				names = append(names, n)
			}
			s = append(s, id)
		}
		slices.Sort(s)
		full[i] = slices.Compact(s)
	}
	df := make([]int, len(names))
	for _, s := range full {
		for _, id := range s {
			df[id]++
		}
	}
	common := func(id int32) bool {
		return df[id] > opt.MinCommon && float64(df[id]) > opt.CommonShare*float64(len(addrs))
	}

	// the signature sets: common names left out, too-small sets dropped
	var members []int // index into addrs
	var sig [][]int32
	for i, s := range full {
		f := make([]int32, 0, len(s))
		for _, id := range s {
			if !common(id) {
				f = append(f, id)
			}
		}
		if len(f) >= opt.MinNames {
			members = append(members, i)
			sig = append(sig, f)
		}
	}

	// each name's hashes, once
	seeds := make([]uint64, hashes)
	x := uint64(0x6b6e6f636b6d6170) // "knockmap"
	for k := range seeds {
		x = splitmix(x)
		seeds[k] = x
	}
	nh := make([]uint64, len(names)*hashes)
	for id := range names {
		for k := 0; k < hashes; k++ {
			nh[id*hashes+k] = splitmix(uint64(id) ^ seeds[k])
		}
	}
	mh := make([]uint64, len(sig)*hashes)
	for i, s := range sig {
		m := mh[i*hashes : (i+1)*hashes]
		for k := range m {
			m[k] = ^uint64(0)
		}
		for _, id := range s {
			h := nh[int(id)*hashes : int(id)*hashes+hashes]
			for k := range m {
				m[k] = min(m[k], h[k])
			}
		}
	}

	uf := newUnion(len(sig))
	alike := func(a, b int) bool {
		inter := intersect(sig[a], sig[b])
		union := len(sig[a]) + len(sig[b]) - inter
		return inter >= opt.MinShared && float64(inter) >= opt.Threshold*float64(union)
	}
	buckets := make(map[uint64][]int32, len(sig))
	for b := 0; b < bands; b++ {
		clear(buckets)
		for i := range sig {
			h := uint64(b) + 1
			for _, v := range mh[i*hashes+b*rows : i*hashes+(b+1)*rows] {
				h = splitmix(h ^ v)
			}
			buckets[h] = append(buckets[h], int32(i))
		}
		for _, bk := range buckets {
			if len(bk) < 2 {
				continue
			}
			rs := make([]int32, 0, reps)
			for _, m := range bk {
				matched := false
				for _, r := range rs {
					if uf.find(int(r)) == uf.find(int(m)) {
						matched = true
						break
					}
					if alike(int(r), int(m)) {
						uf.join(int(r), int(m))
						matched = true
						break
					}
				}
				if !matched && len(rs) < reps {
					rs = append(rs, m)
				}
			}
		}
	}

	groups := map[int][]int{}
	for i := range sig {
		r := uf.find(i)
		groups[r] = append(groups[r], i)
	}
	var out []Campaign
	for _, g := range groups {
		if len(g) < opt.MinMembers {
			continue
		}
		var c Campaign
		count := map[int32]int{}
		for _, i := range g {
			c.Addresses = append(c.Addresses, addrs[members[i]])
			for _, id := range full[members[i]] {
				count[id]++
			}
		}
		slices.Sort(c.Addresses)
		for id, n := range count {
			if 2*n >= len(g) {
				c.Usernames = append(c.Usernames, Name{Name: names[id], Members: n})
			}
		}
		slices.SortFunc(c.Usernames, func(a, b Name) int { return cmp.Compare(a.Name, b.Name) })
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Campaign) int {
		if c := cmp.Compare(len(b.Addresses), len(a.Addresses)); c != 0 {
			return c
		}
		return cmp.Compare(a.Addresses[0], b.Addresses[0])
	})
	return out
}

// intersect counts the common elements of two sorted sets.
func intersect(a, b []int32) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

type union []int

func newUnion(n int) union {
	u := make(union, n)
	for i := range u {
		u[i] = i
	}
	return u
}

func (u union) find(i int) int {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}

func (u union) join(a, b int) {
	a, b = u.find(a), u.find(b)
	if a != b {
		u[max(a, b)] = min(a, b)
	}
}

// Stats is what Rebuild did.
type Stats struct {
	Addresses int           `json:"addresses"` // with a failed login under a username
	Campaigns int           `json:"campaigns"`
	Members   int           `json:"members"`
	Unchanged bool          `json:"unchanged,omitempty"` // found from the same inputs as before: left as they were
	Elapsed   time.Duration `json:"elapsed_ns"`
}

// Rebuild finds the campaigns in the failed logins of db and replaces the
// tables campaigns, campaign_members and campaign_usernames with them, in
// one transaction. Campaign ids are 1, 2, … in the order of Find. When
// they were last found with the same options from the same inputs
// (sql/campaign/inputs.sql), it leaves them be and says so.
func Rebuild(ctx context.Context, db *sql.DB, opt Options) (*Stats, error) {
	start := time.Now()
	var inputs string
	var built sql.NullString
	if err := db.QueryRowContext(ctx, sqlfiles.Statement("campaign/inputs")).Scan(&inputs, &built); err != nil {
		return nil, fmt.Errorf("campaigns: what they are found from: %w", err)
	}
	inputs = fmt.Sprintf("%+v %s", opt.withDefaults(), inputs)
	if built.Valid && built.String == inputs {
		was := Stats{Unchanged: true}
		if err := db.QueryRowContext(ctx, sqlfiles.Statement("campaign/counts")).Scan(&was.Addresses, &was.Campaigns, &was.Members); err != nil {
			return nil, fmt.Errorf("campaigns: %w", err)
		}
		was.Elapsed = time.Since(start)
		return &was, nil
	}
	rs, err := db.QueryContext(ctx, sqlfiles.Statement("campaign/pairs"))
	if err != nil {
		return nil, fmt.Errorf("campaigns: reading usernames: %w", err)
	}
	sets := map[string][]string{}
	for rs.Next() {
		var ip, user string
		if err := rs.Scan(&ip, &user); err != nil {
			rs.Close()
			return nil, fmt.Errorf("campaigns: reading usernames: %w", err)
		}
		sets[ip] = append(sets[ip], user)
	}
	if err := rs.Close(); err != nil {
		return nil, fmt.Errorf("campaigns: reading usernames: %w", err)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("campaigns: reading usernames: %w", err)
	}
	cs := Find(sets, opt)
	st := &Stats{Addresses: len(sets), Campaigns: len(cs)}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("campaigns: %w", err)
	}
	defer tx.Rollback()
	for _, s := range []string{"campaign/clear_members", "campaign/clear_usernames", "campaign/clear"} {
		if _, err := tx.ExecContext(ctx, sqlfiles.Statement(s)); err != nil {
			return nil, fmt.Errorf("campaigns: %s: %w", s, err)
		}
	}
	im, err := tx.PrepareContext(ctx, sqlfiles.Statement("campaign/insert_member"))
	if err != nil {
		return nil, fmt.Errorf("campaigns: %w", err)
	}
	defer im.Close()
	iu, err := tx.PrepareContext(ctx, sqlfiles.Statement("campaign/insert_username"))
	if err != nil {
		return nil, fmt.Errorf("campaigns: %w", err)
	}
	defer iu.Close()
	for i, c := range cs {
		for _, a := range c.Addresses {
			if _, err := im.ExecContext(ctx, i+1, a); err != nil {
				return nil, fmt.Errorf("campaigns: writing members: %w", err)
			}
		}
		st.Members += len(c.Addresses)
		for _, u := range c.Usernames {
			if _, err := iu.ExecContext(ctx, i+1, u.Name, u.Members); err != nil {
				return nil, fmt.Errorf("campaigns: writing usernames: %w", err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, sqlfiles.Statement("campaign/rebuild")); err != nil {
		return nil, fmt.Errorf("campaigns: rebuilding the table: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM campaigns_built_from`); err != nil {
		return nil, fmt.Errorf("campaigns: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO campaigns_built_from VALUES (?)`, inputs); err != nil {
		return nil, fmt.Errorf("campaigns: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("campaigns: %w", err)
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

package campaign

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// world is a synthetic set of addresses: background noise that tries
// root, admin and a few names of a large pool, and planted campaigns that
// each draw most of one dictionary.
type world struct {
	sets    map[string][]string
	planted [][]string // each campaign's addresses, sorted
}

type plant struct {
	members, dict, lo, hi int // members draw lo..hi names of a dict of dict names
	shared                int // names the dictionary shares with the previous one
	v6                    bool
}

func build(seed uint64, noise, pool int, plants []plant) world {
	r := rand.New(rand.NewPCG(seed, 1))
	w := world{sets: map[string][]string{}}
	n := 0
	addr := func(v6 bool) string {
		n++
		if v6 {
			return fmt.Sprintf("2a01:4f8:%x::%x", n>>16, n&0xffff)
		}
		return fmt.Sprintf("%d.%d.%d.%d", 11+n>>16, (n>>8)&255, n&255, 7)
	}
	for i := 0; i < noise; i++ {
		s := []string{"root", "admin"}
		for k := r.IntN(12); k > 0; k-- {
			s = append(s, fmt.Sprintf("pool%d", r.IntN(pool)))
		}
		if r.IntN(3) == 0 {
			s = append(s, "test", "ubuntu", "oracle")
		}
		w.sets[addr(false)] = s
	}
	var prev []string
	for ci, p := range plants {
		dict := append([]string(nil), prev[:min(p.shared, len(prev))]...)
		for len(dict) < p.dict {
			dict = append(dict, fmt.Sprintf("c%d-w%d", ci, len(dict)))
		}
		prev = dict
		var got []string
		for m := 0; m < p.members; m++ {
			a := addr(p.v6)
			k := p.lo + r.IntN(p.hi-p.lo+1)
			perm := r.Perm(len(dict))[:k]
			s := []string{"root"}
			for _, i := range perm {
				s = append(s, dict[i])
			}
			w.sets[a] = s
			got = append(got, a)
		}
		slices.Sort(got)
		w.planted = append(w.planted, got)
	}
	return w
}

// TestFind: the planted campaigns are found with exactly their members,
// and nothing else of MinMembers or more is made of the noise.
func TestFind(t *testing.T) {
	for _, tc := range []struct {
		name   string
		noise  int
		plants []plant
	}{
		{"three of 30 names", 2000, []plant{{25, 30, 22, 28, 0, false}, {25, 30, 22, 28, 0, false}, {25, 30, 22, 28, 0, false}}},
		{"small dictionary", 2000, []plant{{12, 8, 6, 8, 0, false}}},
		{"large dictionary", 2000, []plant{{40, 200, 150, 190, 0, false}}},
		{"overlapping dictionaries", 2000, []plant{{25, 30, 24, 28, 0, false}, {25, 30, 24, 28, 10, false}}},
		{"ipv6", 500, []plant{{20, 30, 22, 28, 0, true}, {20, 30, 22, 28, 0, false}}},
		{"noise only", 5000, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := build(7, tc.noise, 400, tc.plants)
			got := Find(w.sets, Options{})
			var want [][]string
			want = append(want, w.planted...)
			if len(got) != len(want) {
				for _, c := range got {
					t.Logf("found %d: %v…", len(c.Addresses), c.Addresses[:min(3, len(c.Addresses))])
				}
				t.Fatalf("%d campaigns, want %d", len(got), len(want))
			}
			for _, p := range want {
				i := slices.IndexFunc(got, func(c Campaign) bool { return slices.Equal(c.Addresses, p) })
				if i < 0 {
					t.Errorf("planted campaign of %d starting %s not found exactly", len(p), p[0])
					continue
				}
				for _, u := range got[i].Usernames {
					if 2*u.Members < len(p) {
						t.Errorf("username %q tried by %d of %d is in the dictionary", u.Name, u.Members, len(p))
					}
				}
				if !slices.ContainsFunc(got[i].Usernames, func(u Name) bool { return u.Name == "root" }) {
					t.Errorf("root, tried by every member, is not in the dictionary")
				}
			}
		})
	}
}

// TestFindThresholds: two addresses are alike at a Jaccard index of 0.5
// with 5 shared names, not below.
func TestFindThresholds(t *testing.T) {
	names := func(from, to int) []string {
		var s []string
		for i := from; i < to; i++ {
			s = append(s, fmt.Sprintf("n%d", i))
		}
		return s
	}
	for _, tc := range []struct {
		name string
		sets map[string][]string
		want int
	}{
		// 10 and 10 names sharing 7: 7/13 ≥ 0.5
		{"jaccard 0.54", map[string][]string{"1.0.0.1": names(0, 10), "1.0.0.2": names(3, 13), "1.0.0.3": names(0, 10)}, 1},
		// sharing 6 of 14: 6/14 < 0.5, and the third is unlike either
		{"jaccard 0.43", map[string][]string{"1.0.0.1": names(0, 10), "1.0.0.2": names(4, 14), "1.0.0.3": names(20, 30)}, 0},
		// 4 names each, all shared: too few names
		{"four names", map[string][]string{"1.0.0.1": names(0, 4), "1.0.0.2": names(0, 4), "1.0.0.3": names(0, 4)}, 0},
		{"five names", map[string][]string{"1.0.0.1": names(0, 5), "1.0.0.2": names(0, 5), "1.0.0.3": names(0, 5)}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// noise so that no name is common
			sets := map[string][]string{}
			for k, v := range tc.sets {
				sets[k] = v
			}
			for i := 0; i < 100; i++ {
				sets[fmt.Sprintf("9.9.%d.%d", i/250, i%250)] = []string{"root"}
			}
			// a campaign needs 3 members: with the first two alike and
			// the third alike to the first, one campaign
			if got := Find(sets, Options{MinMembers: 2}); len(got) != tc.want {
				t.Errorf("%d campaigns, want %d: %v", len(got), tc.want, got)
			}
		})
	}
}

// BenchmarkCampaigns: 10,000 addresses over 2,000 usernames, 40
// campaigns of 100 addresses among 6,000 noisy ones.
func BenchmarkCampaigns(b *testing.B) {
	var plants []plant
	for i := 0; i < 40; i++ {
		plants = append(plants, plant{100, 30, 20, 28, 0, false})
	}
	w := build(3, 6000, 2000-40*30, plants)
	names := map[string]bool{}
	for _, s := range w.sets {
		for _, n := range s {
			names[n] = true
		}
	}
	b.Logf("%d addresses, %d usernames", len(w.sets), len(names))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if got := Find(w.sets, Options{}); len(got) != 40 {
			b.Fatalf("%d campaigns, want 40", len(got))
		}
	}
}

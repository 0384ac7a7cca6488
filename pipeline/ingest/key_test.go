package ingest

import "testing"

// TestKeysKeepLow32Bits: a line's key is the low 32 bits of the 64-bit key
// that knockmap computed up to schema 5 (the values below), so that the
// keys schema 6 keeps of rows loaded before still match the same lines read
// again. Identical lines at one time stamp get different keys.
func TestKeysKeepLow32Bits(t *testing.T) {
	var o occurrences
	var h hostHash
	for i, c := range []struct {
		ts    int64
		pid   int32
		host  string
		msg   string
		old64 uint64
	}{
		{1700000000000000, 4242, "raspberrypi", "Failed password for root from 1.2.3.4 port 22 ssh2", 0x467a5f15f92760c4},
		{1700000000000000, 4242, "raspberrypi", "Failed password for root from 1.2.3.4 port 22 ssh2", 0x502c38a46710193d},
		{1700000000000000, 4242, "raspberrypi", "Failed password for root from 1.2.3.4 port 22 ssh2", 0x6ad69076c5499336},
		{1700000001000000, 4242, "raspberrypi", "Failed password for root from 1.2.3.4 port 22 ssh2", 0x9af2c6923743c7a9},
		{1700000001000000, 0, "web1", "Invalid user admin from 2001:db8::1 port 50000", 0xf42a0f207851c936},
		{-5, -1, "", "", 0x50ba22043dddb9da},
	} {
		if got := o.key(c.ts, c.pid, h.of([]byte(c.host)), []byte(c.msg)); got != uint32(c.old64) {
			t.Errorf("line %d: key %#x, want %#x (the low half of %#x)", i, got, uint32(c.old64), c.old64)
		}
	}
}

package sshd

import (
	"math"
	"testing"
)

// TestRepeatNeverWraps: the product of a repeated line's count and a PAM
// line's own count stays positive (it wrapped to a negative int32, which
// the failed_logins view expanded to nothing).
func TestRepeatNeverWraps(t *testing.T) {
	var e Event
	msg := "message repeated 999999999 times: [ PAM 1048576 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.2  user=root]"
	if !Parse([]byte(msg), &e) {
		t.Fatal("not recognised")
	}
	if e.Repeat != math.MaxInt32 {
		t.Errorf("Repeat = %d, want %d", e.Repeat, math.MaxInt32)
	}
	if e.Repeat <= MaxRepeat {
		t.Errorf("an implausible count %d is within MaxRepeat", e.Repeat)
	}
}

package render

import (
	"time"

	"golang.org/x/image/font"
)

// Tick is one labelled mark of a time axis.
type Tick struct {
	At    time.Time
	Label string
}

// TickGap is the least room, in unscaled pixels, between two time labels,
// and TickSpace the least distance between two ticks, so that an axis is
// read at a glance rather than counted.
const (
	TickGap   = 12
	TickSpace = 60
)

// tickStep is one way to mark a time axis: every k hours, days, weeks,
// months or years.
type tickStep struct {
	min   time.Duration // the shortest distance between two ticks
	first func(time.Time) time.Time
	next  func(time.Time) time.Time
	label func(t, prev time.Time) string // prev: the tick before, zero for the first
}

func hoursStep(k int) tickStep {
	return tickStep{
		min: time.Duration(k) * time.Hour,
		first: func(t time.Time) time.Time {
			u := t.Truncate(time.Hour)
			for u.Before(t) || u.Hour()%k != 0 {
				u = u.Add(time.Hour)
			}
			return u
		},
		next: func(t time.Time) time.Time { return t.Add(time.Duration(k) * time.Hour) },
		label: func(t, prev time.Time) string {
			if prev.IsZero() || t.YearDay() != prev.YearDay() {
				return t.Format("2 Jan 15:04")
			}
			return t.Format("15:04")
		},
	}
}

func daysStep(k int) tickStep {
	return tickStep{
		min: time.Duration(k) * 24 * time.Hour,
		first: func(t time.Time) time.Time {
			u := midnight(t)
			for u.Before(t) || (u.Unix()/86400)%int64(k) != 0 {
				u = u.AddDate(0, 0, 1)
			}
			return u
		},
		next:  func(t time.Time) time.Time { return t.AddDate(0, 0, k) },
		label: dayLabel,
	}
}

// weeksStep marks Mondays.
func weeksStep() tickStep {
	return tickStep{
		min: 7 * 24 * time.Hour,
		first: func(t time.Time) time.Time {
			u := midnight(t)
			for u.Before(t) || u.Weekday() != time.Monday {
				u = u.AddDate(0, 0, 1)
			}
			return u
		},
		next:  func(t time.Time) time.Time { return t.AddDate(0, 0, 7) },
		label: dayLabel,
	}
}

func monthsStep(k int) tickStep {
	return tickStep{
		min: time.Duration(k) * 28 * 24 * time.Hour,
		first: func(t time.Time) time.Time {
			u := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
			for u.Before(t) || (int(u.Month())-1)%k != 0 {
				u = u.AddDate(0, 1, 0)
			}
			return u
		},
		next: func(t time.Time) time.Time { return t.AddDate(0, k, 0) },
		label: func(t, prev time.Time) string {
			if prev.IsZero() || t.Year() != prev.Year() {
				return t.Format("Jan 2006")
			}
			return t.Format("Jan")
		},
	}
}

func yearsStep(k int) tickStep {
	return tickStep{
		min: time.Duration(k) * 365 * 24 * time.Hour,
		first: func(t time.Time) time.Time {
			u := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
			for u.Before(t) || u.Year()%k != 0 {
				u = u.AddDate(1, 0, 0)
			}
			return u
		},
		next:  func(t time.Time) time.Time { return t.AddDate(k, 0, 0) },
		label: func(t, _ time.Time) string { return t.Format("2006") },
	}
}

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func dayLabel(t, prev time.Time) string {
	if prev.IsZero() || t.Year() != prev.Year() {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2 Jan")
}

// tickSteps are the candidates, finest first.
var tickSteps = []tickStep{
	hoursStep(1), hoursStep(2), hoursStep(3), hoursStep(6), hoursStep(12),
	daysStep(1), daysStep(2), weeksStep(),
	monthsStep(1), monthsStep(2), monthsStep(3), monthsStep(6),
	yearsStep(1), yearsStep(2), yearsStep(5), yearsStep(10), yearsStep(20), yearsStep(50), yearsStep(100),
}

// TimeTicks marks a time axis from first to last (UTC), px unscaled pixels
// long, at the finest round step (hours, days, weeks, months, years) whose
// ticks are TickSpace apart and whose labels, in the charts' 11-point face,
// are at least TickGap apart. An
// axis of no length gets one tick, at first.
func TimeTicks(first, last time.Time, px float64) []Tick {
	first, last = first.UTC(), last.UTC()
	if !last.After(first) || px <= 0 {
		return []Tick{{At: first, Label: first.Format("2 Jan 2006")}}
	}
	face := newFace(false, 11)
	perNs := px / float64(last.Sub(first))
	for _, st := range tickSteps {
		room := float64(st.min) * perNs
		if room < TickSpace {
			continue
		}
		var ticks []Tick
		widest := 0.0
		var prev time.Time
		for t := st.first(first); !t.After(last); t = st.next(t) {
			l := st.label(t, prev)
			prev = t
			widest = max(widest, float64(font.MeasureString(face, l))/64)
			ticks = append(ticks, Tick{At: t, Label: l})
		}
		if widest+TickGap <= room {
			return ticks
		}
	}
	return []Tick{{At: first, Label: first.Format("2 Jan 2006")}}
}

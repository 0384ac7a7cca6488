package report

import (
	"image"
	"image/color"
	"time"

	"github.com/knockmap/knockmap/maps/basemap"
	"github.com/knockmap/knockmap/maps/render"
)

// Picture is one image of the report.
type Picture struct {
	File  string // name in the output folder
	Title string
	Alt   string
	draw  func(render.Style) image.Image
}

func bars(cs []Count, flags bool) []render.Bar {
	out := make([]render.Bar, len(cs))
	for i, c := range cs {
		out[i] = render.Bar{Label: c.Label, Value: float64(c.N)}
		if flags {
			out[i].Icon = basemap.Flag(c.Code)
		}
	}
	return out
}

// The two bands that are not one country: they are kept apart, so that
// the countries outside the top never hide the attempts not located.
const (
	otherLabel      = "other countries"
	notLocatedLabel = "not located"
)

// countryBars are the top countries with their flags, then the attempts
// from every other country and those from addresses of no known country,
// as two bars in their own colours (each only when it has attempts).
func countryBars(d *Data) []render.Bar {
	out := bars(d.Countries, true)
	var top, all int64
	for _, c := range d.Countries {
		top += c.N
	}
	for _, c := range d.ByCountry {
		all += c.N
	}
	if n := all - top; n > 0 {
		out = append(out, render.Bar{Label: otherLabel, Value: float64(n), Color: render.OtherCountries})
	}
	if n := d.Totals.Attempts - all; n > 0 {
		out = append(out, render.Bar{Label: notLocatedLabel, Value: float64(n), Color: render.NotLocated})
	}
	return out
}

// charts are the pictures that need no basemap.
func charts(d *Data, span string) []Picture {
	top := topCodes(d.ByCountry, 6)
	ts := timeSeries(d, top)
	return []Picture{
		{File: "ports.png", Title: "Top source ports", Alt: "Bar chart of the clients' source ports most used",
			draw: func(s render.Style) image.Image {
				return render.BarChart{Title: "Top source ports", Subtitle: "failed logins by the client's source port, " + span,
					Note: "The source port is chosen by the connecting system; the server's port is 22, which is why 22 is rare here.",
					Bars: bars(d.Ports, false)}.Draw(s)
			}},
		{File: "usernames.png", Title: "Top usernames", Alt: "Bar chart of the usernames most tried",
			draw: func(s render.Style) image.Image {
				return render.BarChart{Title: "Top usernames", Subtitle: "failed logins by the username tried, " + span,
					Bars: bars(d.Usernames, false)}.Draw(s)
			}},
		{File: "countries.png", Title: "Top countries", Alt: "Bar chart of the countries most attempts come from, with flags",
			draw: func(s render.Style) image.Image {
				return render.BarChart{Title: "Top countries", Subtitle: "failed logins by the country of the source address, " + span,
					Note: "IP geolocation gives a nominal location: where an address block is registered or routed.",
					Bars: countryBars(d)}.Draw(s)
			}},
		{File: "asns.png", Title: "Top networks", Alt: "Bar chart of the autonomous systems most attempts come from",
			draw: func(s render.Style) image.Image {
				note := ""
				if len(d.ASNs) == 0 {
					note = "No ASN database: `knockmap geoip update` fetches one."
				}
				return render.BarChart{Title: "Top networks (ASNs)", Subtitle: "failed logins by the autonomous system of the source address, " + span,
					Note: note, Bars: bars(d.ASNs, false)}.Draw(s)
			}},
		{File: "timeline.png", Title: ts.title("Attempts"), Alt: "Stacked area chart of attempts per " + ts.unit + " by country",
			draw: func(s render.Style) image.Image {
				return render.Timeline{Title: ts.title("Failed logins"), Subtitle: "stacked by the top countries (UTC " + ts.unit + "s), " + span,
					Times: ts.times, Series: ts.series}.Draw(s)
			}},
		{File: "heatmap.png", Title: "Weekday and hour", Alt: "Heatmap of attempts by weekday and hour",
			draw: func(s render.Style) image.Image {
				return render.Heatmap{Title: "When they try", Subtitle: "failed logins by weekday and hour (UTC), " + span, Cells: d.Hours,
					Cell: "a cell: the attempts in that hour of that weekday, summed over the whole period"}.Draw(s)
			}},
	}
}

// topCodes are the n countries with most attempts.
func topCodes(cs []Count, n int) []Count {
	if len(cs) > n {
		return cs[:n]
	}
	return cs
}

// series are counts over evenly spaced times, one band per top country,
// then the other countries' and the not located attempts.
type series struct {
	unit   string // "day" or "hour"
	step   time.Duration
	times  []time.Time
	series []render.Series
	codes  []string // per band: the country's code, "other" or "unlocated"
}

func (s series) title(what string) string { return what + " per " + s.unit }

// lineStyle is the colour and dash of the i-th country's line: the palette
// once solid, then again with each dash in turn.
func lineStyle(i int) (color.RGBA, string) {
	n := len(render.Categorical)
	return render.Categorical[i%n], render.Dashes[(i/n)%len(render.Dashes)]
}

// timeSeries makes one band per top country, one for the other countries
// and one for the attempts not located (these two only when they have
// attempts), over every hour from the first to the last when the report
// counted by the hour (Data.Hourly), else over every day.
func timeSeries(d *Data, top []Count) series {
	s := series{unit: "day", step: 24 * time.Hour}
	counts := d.Daily
	if bucketFor(d.Totals) == weekSeconds {
		s.unit, s.step = "week", 7*24*time.Hour
	}
	if len(d.Hourly) > 0 {
		s.unit, s.step, counts = "hour", time.Hour, d.Hourly
	}
	if len(counts) == 0 {
		return s
	}
	first, last := counts[0].Day, counts[0].Day
	for _, x := range counts {
		if x.Day.Before(first) {
			first = x.Day
		}
		if x.Day.After(last) {
			last = x.Day
		}
	}
	n := int(last.Sub(first)/s.step) + 1
	s.times = make([]time.Time, n)
	for i := range s.times {
		s.times[i] = first.Add(time.Duration(i) * s.step)
	}
	idx := map[string]int{}
	for i, c := range top {
		idx[c.Code] = i
		col, _ := lineStyle(i)
		s.series = append(s.series, render.Series{Name: c.Label, Values: make([]float64, n), Color: col})
		s.codes = append(s.codes, c.Code)
	}
	other := render.Series{Name: otherLabel, Values: make([]float64, n), Color: render.OtherCountries}
	none := render.Series{Name: notLocatedLabel, Values: make([]float64, n), Color: render.NotLocated}
	var nOther, nNone int64
	for _, x := range counts {
		i := int(x.Day.Sub(first) / s.step)
		switch k, ok := idx[x.Code]; {
		case ok:
			s.series[k].Values[i] += float64(x.N)
		case x.Code == "":
			none.Values[i] += float64(x.N)
			nNone += x.N
		default:
			other.Values[i] += float64(x.N)
			nOther += x.N
		}
	}
	if nOther > 0 {
		s.series = append(s.series, other)
		s.codes = append(s.codes, "other")
	}
	if nNone > 0 {
		s.series = append(s.series, none)
		s.codes = append(s.codes, "unlocated")
	}
	return s
}

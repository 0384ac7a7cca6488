package report

import (
	"image"
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

// charts are the pictures that need no basemap.
func charts(d *Data, span string) []Picture {
	top := topCodes(d.ByCountry, 6)
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
					Bars: bars(d.Countries, true)}.Draw(s)
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
		{File: "timeline.png", Title: "Daily attempts", Alt: "Stacked area chart of daily attempts by country",
			draw: func(s render.Style) image.Image {
				days, series := dailySeries(d.Daily, top)
				return render.Timeline{Title: "Failed logins per day", Subtitle: "stacked by the top countries (UTC days), " + span,
					Days: days, Series: series}.Draw(s)
			}},
		{File: "heatmap.png", Title: "Weekday and hour", Alt: "Heatmap of attempts by weekday and hour",
			draw: func(s render.Style) image.Image {
				return render.Heatmap{Title: "When they try", Subtitle: "failed logins by weekday and hour (UTC), " + span, Cells: d.Hours}.Draw(s)
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

// dailySeries makes one band per top country and one for the rest, over
// every day from the first to the last.
func dailySeries(daily []Day, top []Count) ([]time.Time, []render.Series) {
	if len(daily) == 0 {
		return nil, nil
	}
	first, last := daily[0].Day, daily[0].Day
	for _, x := range daily {
		if x.Day.Before(first) {
			first = x.Day
		}
		if x.Day.After(last) {
			last = x.Day
		}
	}
	n := int(last.Sub(first).Hours()/24) + 1
	days := make([]time.Time, n)
	for i := range days {
		days[i] = first.AddDate(0, 0, i)
	}
	idx := map[string]int{}
	series := make([]render.Series, 0, len(top)+1)
	for i, c := range top {
		idx[c.Code] = i
		series = append(series, render.Series{Name: c.Label, Values: make([]float64, n), Color: render.Categorical[i%len(render.Categorical)]})
	}
	series = append(series, render.Series{Name: "other or unknown", Values: make([]float64, n), Color: render.Other})
	for _, x := range daily {
		i := int(x.Day.Sub(first).Hours() / 24)
		k, ok := idx[x.Code]
		if !ok {
			k = len(series) - 1
		}
		series[k].Values[i] += float64(x.N)
	}
	return days, series
}

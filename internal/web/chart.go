package web

import (
	"fmt"
	"html/template"
	"strings"
)

// series is one row of values in a bar chart.
type series struct {
	Name   string
	Class  string
	Values []int64
}

// chart is an SVG bar chart rendered on the server, so the page needs no
// script.
type chart struct {
	SVG   template.HTML
	Max   int64
	Empty bool
}

const (
	chartWidth  = 720
	chartHeight = 160
)

// barChart draws the series side by side per slot. Every series must
// have the same number of values.
func barChart(ss []series) chart {
	if len(ss) == 0 || len(ss[0].Values) == 0 {
		return chart{Empty: true}
	}
	slots := len(ss[0].Values)
	var max int64
	for _, s := range ss {
		for _, v := range s.Values {
			max = maxInt64(max, v)
		}
	}
	if max == 0 {
		return chart{Empty: true}
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" preserveAspectRatio="none">`, chartWidth, chartHeight+2)
	slotWidth := float64(chartWidth) / float64(slots)
	barWidth := slotWidth * 0.8 / float64(len(ss))
	for i := range slots {
		for j, s := range ss {
			v := s.Values[i]
			if v == 0 {
				continue
			}
			h := float64(v) / float64(max) * chartHeight
			x := float64(i)*slotWidth + slotWidth*0.1 + float64(j)*barWidth
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %d</title></rect>`,
				template.HTMLEscapeString(s.Class), x, chartHeight-h, barWidth, h, template.HTMLEscapeString(s.Name), v)
		}
	}
	fmt.Fprintf(&b, `<line x1="0" y1="%d" x2="%d" y2="%d" class="axis"/></svg>`, chartHeight, chartWidth, chartHeight)
	// The markup is built from numbers and escaped names only.
	return chart{SVG: template.HTML(b.String()), Max: max}
}

func maxInt64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// A Table is one of the report's lists of counts with its heading and the
// name of its key column, in the order the report shows them.
type Table struct {
	Name    string // a stable name: "refusals_by_basis"
	Heading string // in English
	Key     string // what the key is: "basis", "action", "code", ...
	Counts  []Count
}

// HasExamples reports whether any count of the table has an example.
func (t Table) HasExamples() bool {
	for _, c := range t.Counts {
		if c.Example != "" {
			return true
		}
	}
	return false
}

// Tables lists the report's tables of counts, in the order they are shown.
func (r *Report) Tables() []Table {
	return []Table{
		{"refusals_by_basis", "Refusals by basis", "basis", r.RefusalsByBasis},
		{"refusals_by_action", "Refusals by action", "action", r.RefusalsByAction},
		{"remedies", "What would have made a refusal a yes (remedies offered)", "remedy", r.Remedies},
		{"escalations_by_basis", "Left for a manager, by basis", "basis", r.EscalationsByBasis},
		{"conditions", "Conditions staff had to meet", "condition", r.Conditions},
		{"defaulted", "Jurisdictions with no profile (the default applied)", "jurisdiction", r.Defaulted},
		{"amended", "Jurisdictions an overlay amended", "jurisdiction", r.Amended},
		{"revisions", "Decisions by policy revision", "revision", r.Revisions},
	}
}

// WriteText writes the report as text tables, as checkin report prints it.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	period := "all records"
	if r.First != "" {
		period = r.First + " to " + r.Last
	}
	noun := "decisions"
	if r.Decisions == 1 {
		noun = "decision"
	}
	p("%d %s, %s", r.Decisions, noun, period)
	if r.Since != "" || r.Until != "" {
		p(" (asked: since %s, until %s)", orDash(r.Since), orDash(r.Until))
	}
	if r.Unreadable > 0 {
		p("\nunreadable lines, left out: %d (line numbers: %s)", r.Unreadable, joinInts(r.UnreadableLines))
	}
	p("\n\nOUTCOME\tDECISIONS\n")
	for _, c := range r.Outcomes {
		p("%s\t%d\n", c.Key, c.N)
	}
	if len(r.Days) > 0 {
		p("\nDAY\tTOTAL")
		for _, o := range checkin.Outcomes() {
			p("\t%s", o)
		}
		p("\n")
		for _, d := range r.Days {
			p("%s\t%d", d.Date, d.Total)
			for _, o := range checkin.Outcomes() {
				p("\t%d", d.Outcomes[o])
			}
			p("\n")
		}
	}
	for _, t := range r.Tables() {
		p("\n%s\n", strings.ToUpper(t.Heading))
		if len(t.Counts) == 0 {
			p("  none\n")
			continue
		}
		if !t.HasExamples() {
			p("%s\tN\n", strings.ToUpper(t.Key))
			for _, c := range t.Counts {
				p("%s\t%d\n", c.Key, c.N)
			}
			continue
		}
		p("%s\tN\tEXAMPLE\n", strings.ToUpper(t.Key))
		for _, c := range t.Counts {
			p("%s\t%d\t%s\n", c.Key, c.N, c.Example)
		}
	}
	if rp := r.Replay; rp != nil {
		p("\nREPLAYED UNDER REVISION %s\n", rp.Revision)
		p("refusals now allowed\t%d of %d\n", rp.NowAllowed, rp.Refusals)
		p("allowed actions now refused or escalated\t%d of %d\n", rp.NowRefused, rp.Allowed)
		p("decisions that could not be made again\t%d\n", rp.Failed)
		if len(rp.NowAllowedByBasis) > 0 {
			p("\nREFUSALS NOW ALLOWED, BY THEIR OLD BASIS\nBASIS\tN\n")
			for _, c := range rp.NowAllowedByBasis {
				p("%s\t%d\n", c.Key, c.N)
			}
		}
		if len(rp.Examples) > 0 {
			p("\nRECORD\tACTION\tBEFORE\tAFTER\n")
			for _, c := range rp.Examples {
				p("%s\t%s\t%s %s\t%s %s\n", c.Record, c.Action, c.Before, c.BasisBefore, c.After, c.BasisAfter)
			}
		}
	}
	return tw.Flush()
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// OutcomeColors are the colours the chart gives each outcome: a colour-blind
// safe diverging scheme, green for go ahead to red for refused. The chart
// never relies on colour alone: its legend and each bar's title say the words.
var OutcomeColors = map[checkin.Outcome]string{
	checkin.Proceed:               "#1b7837",
	checkin.ProceedWithConditions: "#7fbf7b",
	checkin.Partial:               "#f1a340",
	checkin.OutcomeEscalate:       "#998ec3",
	checkin.Refuse:                "#b2182b",
	checkin.Invalid:               "#878787",
}

// DaysSVG draws the decisions of each day as a bar, stacked by outcome, as
// an SVG image with a title, a description, a legend and a title on every
// bar (for a pointer and a screen reader); label gives an outcome's words.
// Every text is escaped, so it can be put straight into an HTML page.
func (r *Report) DaysSVG(title string, label func(checkin.Outcome) string) []byte {
	const (
		width, height       = 760, 300
		left, right, top    = 48, 12, 16
		bottom, legendSpace = 40, 40
	)
	plotW, plotH := float64(width-left-right), float64(height-top-bottom-legendSpace)
	most := 0
	for _, d := range r.Days {
		most = max(most, d.Total)
	}
	scale := niceCeiling(most)
	var b bytes.Buffer
	esc := func(s string) string {
		var e bytes.Buffer
		_ = xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 %d %d" aria-labelledby="days-title days-desc" class="days-chart">`, width, height)
	fmt.Fprintf(&b, `<title id="days-title">%s</title>`, esc(title))
	var desc strings.Builder
	for _, d := range r.Days {
		fmt.Fprintf(&desc, "%s: %d. ", d.Date, d.Total)
	}
	fmt.Fprintf(&b, `<desc id="days-desc">%s</desc>`, esc(strings.TrimSpace(desc.String())))
	// The axis and its gridlines: 0, half and the top of the scale.
	for _, v := range []int{0, scale / 2, scale} {
		y := float64(top) + plotH - plotH*float64(v)/float64(scale)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ccc"/>`, left, y, width-right, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" font-size="12" fill="#333">%d</text>`, left-6, y+4, v)
	}
	n := max(len(r.Days), 1)
	slot := plotW / float64(n)
	barW := max(slot*0.7, 1)
	labelEvery := max(1, n/12)
	for i, d := range r.Days {
		x := float64(left) + slot*float64(i) + (slot-barW)/2
		y := float64(top) + plotH
		var parts []string
		for _, o := range checkin.Outcomes() {
			if d.Outcomes[o] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", d.Outcomes[o], label(o)))
			}
		}
		fmt.Fprintf(&b, `<g><title>%s</title>`, esc(fmt.Sprintf("%s: %d decisions (%s)", d.Date, d.Total, strings.Join(parts, ", "))))
		for _, o := range checkin.Outcomes() {
			count := d.Outcomes[o]
			if count == 0 {
				continue
			}
			h := plotH * float64(count) / float64(scale)
			y -= h
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" data-outcome="%s"/>`,
				x, y, barW, h, OutcomeColors[o], esc(string(o)))
		}
		b.WriteString(`</g>`)
		if i%labelEvery == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="11" fill="#333">%s</text>`,
				x+barW/2, float64(top)+plotH+16, esc(d.Date[5:]))
		}
	}
	// The legend: a swatch and the outcome's words, wrapping onto a second
	// line when the words are long.
	x, ly := float64(left), float64(height-legendSpace)
	for _, o := range checkin.Outcomes() {
		words := label(o)
		w := 30 + 7.2*float64(len([]rune(words)))
		if x+w > float64(width-right) && x > float64(left) {
			x, ly = float64(left), ly+18
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="12" height="12" fill="%s"/>`, x, ly, OutcomeColors[o])
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" fill="#111">%s</text>`, x+16, ly+11, esc(words))
		x += w
	}
	b.WriteString(`</svg>`)
	return b.Bytes()
}

// niceCeiling is a round number at least n (and at least 2), for the top
// of the chart's scale.
func niceCeiling(n int) int {
	if n <= 2 {
		return 2
	}
	step := 1
	for step*10 < n {
		step *= 10
	}
	for _, m := range []int{1, 2, 5, 10} {
		if step*m >= n {
			top := step * m
			if top%2 == 1 {
				top++
			}
			return top
		}
	}
	return n
}

package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// alwaysListed says whether field is one nearly every state's law
// addresses, so the coverage report names the jurisdictions without an
// entry for it even while fewer than half have one: there the default decides.
func alwaysListed(field string) bool {
	return field == "adult_surrogates" || field == "self_consent"
}

// fieldCoverage is how many jurisdiction profiles set one field, how many
// of those entries are marked verify, and which profiles leave it out.
type fieldCoverage struct {
	field   string
	set     int
	verify  int
	missing []string
}

// coverage counts, per field of the default profile (and any field a state
// adds), the state profiles that set it. The default itself is not counted.
func coverage(profiles []checkin.Jurisdiction) (fields []fieldCoverage, states int) {
	byField := map[string]*fieldCoverage{}
	var order []string
	add := func(field string) *fieldCoverage {
		if byField[field] == nil {
			byField[field] = &fieldCoverage{field: field}
			order = append(order, field)
		}
		return byField[field]
	}
	for _, j := range profiles {
		for _, e := range j.Entries {
			c := add(e.Field)
			if j.Code == "default" {
				continue
			}
			c.set++
			if e.Verify {
				c.verify++
			}
		}
		if j.Code != "default" {
			states++
		}
	}
	for _, field := range order {
		c := byField[field]
		for _, j := range profiles {
			if j.Code != "default" && !slices.ContainsFunc(j.Entries, func(e checkin.ProfileEntry) bool { return e.Field == field }) {
				c.missing = append(c.missing, j.Code)
			}
		}
		fields = append(fields, *c)
	}
	slices.SortStableFunc(fields, func(a, b fieldCoverage) int { return b.set - a.set })
	return fields, states
}

// writeCoverage prints the coverage as a Markdown table, which reads on a
// terminal and pastes into a document, then the jurisdictions with no entry
// for the fields most of them set.
func writeCoverage(w io.Writer, profiles []checkin.Jurisdiction) error {
	fields, states := coverage(profiles)
	var b strings.Builder
	entries, verify := 0, 0
	fmt.Fprintf(&b, "| field | jurisdictions that set it (of %d) | of those, verify |\n|---|---:|---:|\n", states)
	for _, c := range fields {
		fmt.Fprintf(&b, "| `%s` | %d | %d |\n", c.field, c.set, c.verify)
		entries += c.set
		verify += c.verify
	}
	fmt.Fprintf(&b, "\n%d jurisdiction profiles besides the default: %d entries, %d marked verify.\n", states, entries, verify)
	for _, c := range fields {
		if len(c.missing) == 0 || (2*c.set <= states && !alwaysListed(c.field)) {
			continue
		}
		fmt.Fprintf(&b, "\nNo entry for %s (the default applies): %s\n", c.field, strings.Join(c.missing, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

package checkin_test

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/grid"
)

// gridSize is how many grid requests the property test decides: enough to
// reach every value of every dimension in every jurisdiction many times over.
// The race detector slows evaluation tenfold, so a race build decides a
// tenth of them.
func gridSize() int {
	if raceEnabled {
		return 12_000
	}
	return 120_000
}

// Bases that act on a delegation rather than on a guardian's own word.
var delegateBases = []string{
	"PROXY_AUTHORIZATION", "CAREGIVER_AFFIDAVIT", "FOSTER_PLACEMENT", "STATUTORY_RELATIVE",
	"HIPAA_AUTHORIZATION", "ADULT_COMPANION", "ACCOMPANYING_ADULT",
}

// Refusals that need no remedy: a restriction, a refusal, or the patient's own right to decide.
var finalRefusals = []string{"RESTRICTED_BY_ORDER", "GUARDIAN_REFUSED", "PATIENT_DECIDES", "PATIENT_ABSENT"}

func TestProperties(t *testing.T) {
	t.Parallel()
	e := engine(t)
	var jurisdictions []string
	for _, j := range e.Jurisdictions() {
		if j.Code != "default" {
			jurisdictions = append(jurisdictions, j.Code)
		}
	}
	jurisdictions = append(jurisdictions, "US-KS") // a state without a profile

	cells := make(chan grid.Cell)
	var decided atomic.Int64
	var mu sync.Mutex
	violations := map[string][]string{}
	violate := func(property string, c grid.Cell, format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(violations[property]) < 5 {
			violations[property] = append(violations[property], c.String()+": "+fmt.Sprintf(format, args...))
		}
	}
	decide := func(c grid.Cell, req checkin.Request) (checkin.ActionDecision, bool) {
		d, err := e.Decide(t.Context(), req)
		decided.Add(1)
		if err != nil {
			violate("decides", c, "%v", err)
			return checkin.ActionDecision{}, false
		}
		if len(d.Actions) != 1 {
			violate("every requested action appears exactly once", c, "%d actions", len(d.Actions))
		}
		ad, ok := d.Actions[c.Action]
		if !ok {
			violate("every requested action appears exactly once", c, "missing")
		}
		return ad, ok
	}

	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for c := range cells {
				ad, ok := decide(c, c.Request())
				if !ok {
					continue
				}
				minor := c.AgeBand == "child" || c.AgeBand == "teen" || c.AgeBand == "older_minor"
				self := c.Relationship == checkin.Self

				if c.Documents == "restriction" && !self && ad.Basis != "RESTRICTED_BY_ORDER" {
					violate("an active restriction denies the actions it covers", c, "%s %s", ad.Verdict, ad.Basis)
				}
				if ad.Verdict == checkin.Deny && len(ad.Remedies) == 0 && !slices.Contains(finalRefusals, ad.Basis) {
					violate("every deny carries a remedy", c, "%s has none", ad.Basis)
				}
				if c.Documents == "refusal" && minor && !self && c.Role == "none" &&
					ad.Verdict.Allowed() && slices.Contains(delegateBases, ad.Basis) {
					violate("a delegate never overrides a guardian's refusal", c, "%s %s", ad.Verdict, ad.Basis)
				}
				if c.Delegated() && ad.Verdict == checkin.Deny {
					for name, change := range documentLosses {
						req := c.Request()
						change(&req.Records)
						if after, ok := decide(c, req); ok && after.Verdict.Allowed() {
							violate("losing a document never turns a deny into an allow", c,
								"%s: %s became %s %s", name, ad.Basis, after.Verdict, after.Basis)
						}
					}
				}
			}
		})
	}
	for c := range grid.Cells(jurisdictions, gridSize()) {
		cells <- c
	}
	close(cells)
	wg.Wait()

	require.GreaterOrEqual(t, decided.Load(), int64(gridSize()*9/10))
	t.Logf("decided %d grid requests over %d jurisdictions", decided.Load(), len(jurisdictions))
	properties := make([]string, 0, len(violations))
	for p := range violations {
		properties = append(properties, p)
	}
	sort.Strings(properties)
	for _, p := range properties {
		t.Errorf("%s: violated, e.g.\n  %s", p, joinLines(violations[p]))
	}
}

// Ways a companion's document can stop counting.
var documentLosses = map[string]func(*checkin.Records){
	"removed": func(r *checkin.Records) { r.Documents = nil },
	"revoked": func(r *checkin.Records) {
		for i := range r.Documents {
			r.Documents[i].Revoked = true
		}
	},
	"expired": func(r *checkin.Records) {
		for i := range r.Documents {
			r.Documents[i].ValidUntil = "2026-11-21"
			r.Documents[i].SignedOn = "2024-01-01"
		}
	},
}

func joinLines(lines []string) string {
	out := ""
	for i, l := range lines {
		if i > 0 {
			out += "\n  "
		}
		out += l
	}
	return out
}

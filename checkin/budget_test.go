package checkin_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

var update = flag.Bool("update", false, "record what the tests measure in testdata (the rule budget) instead of checking it")

// budgetFile is the rule budget: what the default policy costs per decision
// on the scenario corpus, in rule bodies entered and expressions evaluated,
// as OPA's profiler counts them. Like a golden file it changes only on
// purpose, with the change that moves it:
//
//	go test ./checkin -run TestRuleBudget -update
const budgetFile = "testdata/budget.json"

// budgetSlack is how far the cost may fall below the budget before the
// budget must be recorded anew, so that it follows the policy down and a
// later growth cannot hide in the room left.
const budgetSlack = 0.02

// A budget is what budgetFile holds. The costliest rules are for the reader
// and for the failure message: only the totals are held to.
type budget struct {
	Decisions              int          `json:"decisions"`
	RuleBodiesPerDecision  float64      `json:"rule_bodies_per_decision"`
	ExpressionsPerDecision float64      `json:"expressions_per_decision"`
	Costliest              []budgetRule `json:"costliest"`
}

type budgetRule struct {
	Rule                   string  `json:"rule"`
	At                     string  `json:"at"`
	BodiesPerDecision      float64 `json:"bodies_per_decision"`
	ExpressionsPerDecision float64 `json:"expressions_per_decision"`
}

// marshal writes the budget as JSON with one line to a rule, to be read.
func (b budget) marshal() []byte {
	rules := make([]string, len(b.Costliest))
	for i, r := range b.Costliest {
		line, _ := json.Marshal(r)
		rules[i] = "    " + string(line)
	}
	return fmt.Appendf(nil, "{\n  \"decisions\": %d,\n  \"rule_bodies_per_decision\": %.2f,\n"+
		"  \"expressions_per_decision\": %.2f,\n  \"costliest\": [\n%s\n  ]\n}\n",
		b.Decisions, b.RuleBodiesPerDecision, b.ExpressionsPerDecision, strings.Join(rules, ",\n"))
}

// budgetOf rounds a profile as the budget file records it: to two decimals,
// which is what the comparison then reads.
func budgetOf(p checkin.Profile, top int) budget {
	b := budget{
		Decisions:              p.Evaluations,
		RuleBodiesPerDecision:  round2(p.PerEvaluation(p.RuleBodies)),
		ExpressionsPerDecision: round2(p.PerEvaluation(p.Expressions)),
	}
	for _, r := range p.Rules[:min(top, len(p.Rules))] {
		b.Costliest = append(b.Costliest, budgetRule{
			Rule:                   r.Rule,
			At:                     fmt.Sprintf("%s:%d", r.File, r.Line),
			BodiesPerDecision:      round2(p.PerEvaluation(r.Bodies)),
			ExpressionsPerDecision: round2(p.PerEvaluation(r.Expressions)),
		})
	}
	return b
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// The default policy stays within its rule budget on the scenario corpus.
// The counts are exact, the same in every run, so no growth at all passes.
func TestRuleBudget(t *testing.T) {
	t.Parallel()
	if raceEnabled {
		t.Skip("the counts do not depend on the race detector, which makes profiling the corpus ten times slower")
	}
	reqs, _ := corpus(t)
	prof, err := engine(t).Profile(t.Context(), reqs)
	require.NoError(t, err)
	checkAttribution(t, prof)
	got := budgetOf(prof, 10)

	if *update {
		require.NoError(t, os.WriteFile(budgetFile, got.marshal(), 0o644))
		t.Logf("recorded in %s: %.2f rule bodies and %.2f expressions per decision over %d decisions",
			budgetFile, got.RuleBodiesPerDecision, got.ExpressionsPerDecision, got.Decisions)
		return
	}
	data, err := os.ReadFile(budgetFile)
	require.NoError(t, err, "no rule budget: record one with go test ./checkin -run TestRuleBudget -update")
	var want budget
	require.NoError(t, json.Unmarshal(data, &want), "reading %s", budgetFile)

	record := fmt.Sprintf("if the change is meant, record the budget with go test ./checkin -run TestRuleBudget -update "+
		"and commit %s with it", filepath.ToSlash(filepath.Join("checkin", budgetFile)))
	if got.Decisions != want.Decisions {
		t.Fatalf("the budget was recorded over %d decisions and the scenario corpus now has %d: the costs per decision "+
			"are of another mix of requests; %s", want.Decisions, got.Decisions, record)
	}
	var problems []string
	for _, m := range []struct {
		what      string
		got, want float64
	}{
		{"rule bodies", got.RuleBodiesPerDecision, want.RuleBodiesPerDecision},
		{"expressions", got.ExpressionsPerDecision, want.ExpressionsPerDecision},
	} {
		change := fmt.Sprintf("%.2f %s per decision, budget %.2f (%+.1f%%)", m.got, m.what, m.want, 100*(m.got/m.want-1))
		switch {
		case m.got > m.want:
			problems = append(problems, "over budget: "+change)
		case m.got < m.want*(1-budgetSlack):
			problems = append(problems, fmt.Sprintf("well under budget (more than %.0f%%): %s", 100*budgetSlack, change))
		}
	}
	if len(problems) > 0 {
		t.Errorf("%s\nthe costliest rules now, per decision:\n%s%s",
			strings.Join(problems, "\n"), costliest(got, want), record)
	}
}

// checkAttribution holds the profile's rules to what attribution by line
// must give: every rule entered evaluated expressions and every rule with
// expressions was entered, and the rules hold every expression but the
// query's own, evaluated and redone once per decision.
func checkAttribution(t *testing.T, prof checkin.Profile) {
	t.Helper()
	inRules := 0
	for _, r := range prof.Rules {
		if (r.Bodies == 0) != (r.Expressions == 0) {
			t.Errorf("%s (%s:%d): %d bodies and %d expressions: expressions attributed to the wrong rule",
				r.Rule, r.File, r.Line, r.Bodies, r.Expressions)
		}
		inRules += r.Expressions
	}
	require.Equal(t, prof.Expressions-2*prof.Evaluations, inRules, "expressions attributed to no rule")
}

// costliest tabulates the rules that cost most now, each beside what the
// budget file recorded for it, if it was among the costliest then.
func costliest(got, want budget) string {
	recorded := map[string]budgetRule{}
	for _, r := range want.Costliest {
		recorded[r.Rule] = r
	}
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "  rule\tat\t  bodies\texpressions\trecorded: bodies\texpressions")
	for _, r := range got.Costliest {
		fmt.Fprintf(w, "  %s\t%s\t%8.2f\t%11.2f\t", r.Rule, r.At, r.BodiesPerDecision, r.ExpressionsPerDecision)
		if was, ok := recorded[r.Rule]; ok {
			fmt.Fprintf(w, "%16.2f\t%11.2f\n", was.BodiesPerDecision, was.ExpressionsPerDecision)
		} else {
			fmt.Fprintf(w, "%16s\t%11s\n", "-", "-")
		}
	}
	w.Flush()
	return b.String()
}

// Profile decides only what Decide would: an invalid request, or one for a
// practice without a profile, is an error naming the request.
func TestProfileRefusesWhatDecideRefuses(t *testing.T) {
	t.Parallel()
	reqs, _ := corpus(t)
	e := engine(t)
	prof, err := e.Profile(t.Context(), reqs[:2])
	require.NoError(t, err)
	require.Equal(t, 2, prof.Evaluations)

	unknown := reqs[0]
	unknown.Practice = "no-such-practice"
	_, err = e.Profile(t.Context(), []checkin.Request{reqs[0], unknown})
	var invalid *checkin.ValidationError
	require.ErrorAs(t, err, &invalid)
	require.ErrorContains(t, err, "request 1")
	require.ErrorContains(t, err, `"no-such-practice" is not a practice profile`)

	unknown.Practice, unknown.Jurisdiction = "", "Texas"
	_, err = e.Profile(t.Context(), []checkin.Request{unknown})
	require.ErrorAs(t, err, &invalid)
	require.ErrorContains(t, err, "request 0")
}

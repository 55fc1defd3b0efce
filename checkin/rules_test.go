package checkin_test

import (
	"fmt"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// The contract's rules and the codes they decide are described once, in the
// METADATA of the Rego definitions that decide; the decision and its
// explanation both read them. These tests read the METADATA through OPA's
// annotation API and hold the decisions of the whole grid to it.

// policyAnnotations compiles the policy's Rego and returns what OPA attached
// each METADATA block to.
func policyAnnotations(t testing.TB) (*ast.AnnotationSet, map[string]*ast.Module) {
	t.Helper()
	modules := policyModules(t)
	c := ast.NewCompiler()
	c.Compile(modules)
	require.False(t, c.Failed(), "%v", c.Errors)
	return c.GetAnnotationSet(), c.Modules // the compiler's copies, to which the annotations point
}

// A decider is a definition that builds a ruling: its METADATA names the
// code it decides and titles it.
type decider struct {
	rule  string // the definition's name
	at    string // file:row of its head
	code  string
	title string
}

// deciders finds every definition that calls allow, allow_if or deny, with
// the METADATA OPA attached to it.
func deciders(t *testing.T) []decider {
	t.Helper()
	as, modules := policyAnnotations(t)
	attached := map[*ast.Rule][]*ast.Annotations{}
	for _, ref := range as.Flatten() {
		if r := ref.GetRule(); r != nil {
			attached[r] = append(attached[r], ref.Annotations)
		}
	}
	var found []decider
	for _, file := range slices.Sorted(maps.Keys(modules)) {
		for _, rule := range modules[file].Rules {
			if constructors[rule.Head.Name.String()] && file == "checkin/rulings.rego" {
				continue
			}
			if !decides(rule) {
				continue
			}
			at := fmt.Sprintf("%s:%d", file, rule.Location.Row)
			blocks := attached[rule]
			if !assert.Len(t, blocks, 1, "%s: %s decides, so it needs exactly one METADATA block", at, rule.Head.Name) {
				continue
			}
			code, _ := blocks[0].Custom["code"].(string)
			assert.NotEmpty(t, code, "%s: %s's METADATA has no custom.code", at, rule.Head.Name)
			assert.NotEmpty(t, blocks[0].Title, "%s: %s's METADATA has no title", at, rule.Head.Name)
			found = append(found, decider{rule: rule.Head.Name.String(), at: at, code: code, title: blocks[0].Title})
		}
	}
	require.NotEmpty(t, found)
	return found
}

// decides reports whether a definition builds a ruling, parsed or compiled
// (the compiler names the constructors data.checkin.allow and may move a
// call into an expression of its own).
func decides(rule *ast.Rule) bool {
	found := false
	is := func(op string) bool {
		switch strings.TrimPrefix(op, "data.checkin.") {
		case "allow", "allow_if", "deny", "deny_with_reason":
			return true
		}
		return false
	}
	ast.WalkTerms(rule, func(term *ast.Term) bool {
		if call, ok := term.Value.(ast.Call); ok && is(call[0].Value.String()) {
			found = true
		}
		return found
	})
	ast.WalkExprs(rule, func(e *ast.Expr) bool {
		if e.IsCall() && is(e.Operator().String()) {
			found = true
		}
		return found
	})
	return found
}

// Every METADATA block that names a code is attached to a definition that
// decides that code: none describes a rule it sits beside.
func TestMetadataDescribesTheRuleItIsAttachedTo(t *testing.T) {
	t.Parallel()
	as, _ := policyAnnotations(t)
	for _, ref := range as.Flatten() {
		code, ok := ref.Annotations.Custom["code"].(string)
		if !ok {
			continue
		}
		r := ref.GetRule()
		if !assert.NotNil(t, r, "%s: a METADATA block naming %s describes no rule", ref.Location, code) {
			continue
		}
		assert.True(t, decides(r), "%s: METADATA naming %s is attached to %s, which decides nothing",
			ref.Location, code, r.Head.Name)
	}
	titles := map[string][]string{}
	for _, d := range deciders(t) {
		titles[d.code] = append(titles[d.code], d.title)
	}
	for code, ts := range titles {
		assert.Len(t, slices.Compact(slices.Sorted(slices.Values(ts))), len(ts),
			"%s: two deciding definitions share a title (%v): the explanation could not tell them apart", code, ts)
	}
}

// ruleTitlesFromMetadata reads each contract rule's title from the METADATA
// of candidate["<number>"][action], independently of the engine.
func ruleTitlesFromMetadata(t *testing.T) map[string]string {
	t.Helper()
	as, _ := policyAnnotations(t)
	titles := map[string]string{}
	for _, ref := range as.Flatten() {
		r := ref.GetRule()
		if r == nil || !strings.HasPrefix(ref.Path.String(), "data.checkin.candidate[") {
			continue
		}
		head := r.Head.Ref()
		require.Len(t, head, 3, "%s: a candidate is candidate[number][action]", ref.Location)
		number, ok := head[1].Value.(ast.String)
		require.True(t, ok, "%s: candidate's first key is the rule's number", ref.Location)
		titles[string(number)] = ref.Annotations.Title
	}
	require.NotEmpty(t, titles)
	return titles
}

// contractRules is the contract's order of rules, from rule 2 (rule 1,
// invalid input, is the request's validation).
var contractRules = []string{"2", "3", "4", "5", "6", "7", "8", "9", "10"}

// Decide and Explain agree on the rule that decided every action of every
// grid request and scenario case: the explanation reads the rule the ruling
// recorded, lists the contract's rules in order with their METADATA titles,
// and the first that applies is the one that decided.
func TestExplainAgreesWithDecide(t *testing.T) {
	if testing.Short() {
		t.Skip("-short leaves out explaining a sample of the property grid against its decisions")
	}
	t.Parallel()
	e := engine(t)
	titles := ruleTitlesFromMetadata(t)
	require.ElementsMatch(t, contractRules, slices.Collect(maps.Keys(titles)), "a candidate definition per contract rule")
	codeTitles := map[string]bool{}
	for _, d := range deciders(t) {
		codeTitles[d.code+"\x00"+d.title] = true
	}

	requests := scenarioRequests(t)
	for c := range checkintest.Grid(gridJurisdictions(e), explainSample()) {
		requests = append(requests, c.Request())
	}
	var (
		mu       sync.Mutex
		problems []string
		seen     = map[string]bool{}
	)
	disagree := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(problems) < 10 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	check := func(req checkin.Request) {
		x, err := e.Explain(t.Context(), req)
		if err != nil {
			disagree("%s: %v", req.Jurisdiction, err)
			return
		}
		for a, ad := range x.Decision.Actions {
			where := fmt.Sprintf("%s %s/%s", req.Jurisdiction, a, ad.Basis)
			ax := x.Actions[a]
			var numbers []string
			first := ""
			for _, r := range ax.Rules {
				numbers = append(numbers, r.Rule)
				if r.Title != titles[r.Rule] {
					disagree("%s: rule %s is titled %q, its METADATA %q", where, r.Rule, r.Title, titles[r.Rule])
				}
				if r.Applies && first == "" {
					first = r.Rule
				}
				if !r.Applies && (r.WhyNot == "" || strings.Contains(r.WhyNot, "{")) {
					disagree("%s: rule %s does not apply, and says why in words: %q", where, r.Rule, r.WhyNot)
				}
			}
			switch {
			case !slices.Equal(numbers, contractRules):
				disagree("%s: the explanation lists rules %v, not the contract's %v", where, numbers, contractRules)
			case ax.DecidedBy != ad.Rule.Number:
				disagree("%s: the explanation says rule %s decided, the decision rule %s\n%s",
					where, ax.DecidedBy, ad.Rule.Number, x)
			case first != ad.Rule.Number:
				disagree("%s: rule %s decided, but rule %s is the first that applies\n%s", where, ad.Rule.Number, first, x)
			case !codeTitles[string(ad.Basis)+"\x00"+ad.Rule.Title]:
				disagree("%s: the ruling's title %q is no METADATA title of a definition deciding %s",
					where, ad.Rule.Title, ad.Basis)
			}
			mu.Lock()
			seen[string(ad.Basis)] = true
			mu.Unlock()
		}
	}
	work := make(chan checkin.Request)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for req := range work {
				check(req)
			}
		})
	}
	for _, req := range requests {
		work <- req
	}
	close(work)
	wg.Wait()
	for _, p := range problems {
		t.Error(p)
	}
	var unseen []string
	for _, d := range deciders(t) {
		if !seen[d.code] {
			unseen = append(unseen, d.code)
		}
	}
	assert.Empty(t, unseen, "codes whose METADATA no request's decision shows: a scenario should reach each")
	t.Logf("%d requests explained; bases seen: %s", len(requests), strings.Join(slices.Sorted(maps.Keys(seen)), " "))
}

// scenarioRequests are the valid requests of every scenario file.
func scenarioRequests(t *testing.T) []checkin.Request {
	t.Helper()
	cases, err := checkintest.LoadScenarios(os.DirFS("testdata"), "scenarios")
	require.NoError(t, err)
	var requests []checkin.Request
	for _, c := range cases {
		if c.Expect.Outcome == checkin.Invalid {
			continue
		}
		req, err := checkin.ParseRequest(c.Request)
		require.NoError(t, err, c.Name)
		requests = append(requests, req)
	}
	return requests
}

// explainSample is a third of the property grid (gridSize): every value of
// every dimension, in every jurisdiction, many times over.
func explainSample() int {
	return gridSize() / 3
}

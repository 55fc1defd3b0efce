package policy

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/profiler"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// A Profile is what evaluating the policy's query cost over a set of inputs,
// counted by OPA's tracer: since OPA's evaluator costs about the same per
// rule body and per expression, the counts are the cost, and unlike a time
// they do not depend on the machine.
type Profile struct {
	Evaluations int // inputs evaluated
	RuleBodies  int // rule bodies entered, every else branch and function call counted
	Expressions int // expressions evaluated, redos included
	Rules       []RuleCost
}

// A RuleCost is one rule's share of a Profile. Time is OPA's profiler's
// measure of the rule's own expressions, not of the rules they call.
type RuleCost struct {
	Rule        string // e.g. data.checkin.ruling
	File        string // where its first definition is
	Line        int
	Bodies      int
	Expressions int
	Time        time.Duration
}

// PerEvaluation divides n by the number of evaluations.
func (p Profile) PerEvaluation(n int) float64 {
	if p.Evaluations == 0 {
		return 0
	}
	return float64(n) / float64(p.Evaluations)
}

// Profile evaluates the policy's query for each input under OPA's profiler
// and a counter of rule bodies, and returns the costs rule by rule, the
// costliest (by expressions evaluated, then bodies entered) first.
func (p *Policy) Profile(ctx context.Context, inputs []ast.Value) (Profile, error) {
	prof := profiler.New()
	bodies := bodyCounter{}
	for _, in := range inputs {
		rs, err := p.prepared.Eval(ctx, rego.EvalParsedInput(in),
			rego.EvalQueryTracer(prof), rego.EvalQueryTracer(bodies))
		if err != nil {
			return Profile{}, fmt.Errorf("policy: profiling %s: %w", p.opts.Query, err)
		}
		if len(rs) == 0 {
			return Profile{}, ErrUndefined
		}
	}

	rules := p.ruleIndex()
	out := Profile{Evaluations: len(inputs)}
	costs := map[string]*RuleCost{}
	cost := func(r *ast.Rule) *RuleCost {
		name := r.Path().String()
		if c, ok := costs[name]; ok {
			return c
		}
		c := &RuleCost{Rule: name}
		if loc := firstDefinition(p.compiler, r); loc != nil {
			c.File, c.Line = loc.File, loc.Row
		}
		costs[name] = c
		return c
	}
	for r, n := range bodies {
		out.RuleBodies += n
		cost(r).Bodies += n
	}
	for _, s := range prof.ReportTopNResults(-1, []string{"total_time_ns"}) {
		n := s.NumEval + s.NumRedo
		out.Expressions += n
		if r := rules.at(s.Location); r != nil {
			c := cost(r)
			c.Expressions += n
			c.Time += time.Duration(s.ExprTimeNs)
		}
	}
	for _, c := range costs {
		out.Rules = append(out.Rules, *c)
	}
	slices.SortFunc(out.Rules, func(a, b RuleCost) int {
		return cmp.Or(cmp.Compare(b.Expressions, a.Expressions), cmp.Compare(b.Bodies, a.Bodies),
			cmp.Compare(a.Rule, b.Rule))
	})
	return out, nil
}

// bodyCounter counts the rule bodies OPA's evaluator enters, by rule.
type bodyCounter map[*ast.Rule]int

func (bodyCounter) Enabled() bool               { return true }
func (bodyCounter) Config() topdown.TraceConfig { return topdown.TraceConfig{} }
func (c bodyCounter) TraceEvent(ev topdown.Event) {
	if r, ok := ev.Node.(*ast.Rule); ok && ev.Op == topdown.EnterOp {
		c[r]++
	}
}

// ruleIndex finds the rule an expression belongs to by its place in a file:
// the last rule (or else branch) starting at or before its line.
type ruleIndex map[string][]*ast.Rule // by file, in order of line

func (p *Policy) ruleIndex() ruleIndex {
	idx := ruleIndex{}
	for _, m := range p.compiler.Modules {
		ast.WalkRules(m, func(r *ast.Rule) bool {
			if r.Location != nil {
				idx[r.Location.File] = append(idx[r.Location.File], r)
			}
			return false
		})
	}
	for _, rules := range idx {
		slices.SortFunc(rules, func(a, b *ast.Rule) int { return cmp.Compare(a.Location.Row, b.Location.Row) })
	}
	return idx
}

func (idx ruleIndex) at(loc *ast.Location) *ast.Rule {
	if loc == nil {
		return nil
	}
	rules := idx[loc.File]
	i := sort.Search(len(rules), func(i int) bool { return rules[i].Location.Row > loc.Row })
	if i == 0 {
		return nil
	}
	return rules[i-1]
}

// firstDefinition is where the first rule of r's name is defined.
func firstDefinition(c *ast.Compiler, r *ast.Rule) *ast.Location {
	var first *ast.Location
	for _, other := range c.GetRulesExact(r.Path()) {
		if l := other.Location; l != nil && (first == nil || l.File < first.File ||
			l.File == first.File && l.Row < first.Row) {
			first = l
		}
	}
	if first == nil {
		first = r.Location
	}
	return first
}

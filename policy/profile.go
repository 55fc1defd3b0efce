package policy

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/metrics"
	"github.com/open-policy-agent/opa/v1/profiler"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// A Profile is what evaluating the policy's query cost over a set of inputs,
// counted by OPA's tracer. OPA's evaluator costs about the same per rule
// body and per expression, so the counts are the cost, and unlike a time
// they are the same on every machine and in every run.
type Profile struct {
	Evaluations int // inputs evaluated
	// RuleBodies counts the rule bodies entered: every definition of a
	// rule, else branch and function call the evaluator tried, whether it
	// succeeded or not. A rule whose value was already known is not entered.
	RuleBodies int
	// Expressions counts the expressions evaluated as OPA's profiler does:
	// the compiled expressions (the compiler splits some, such as
	// input.age >= 18 into a lookup and a comparison), each evaluation and
	// each redo (a return to the expression for its next solution) counted
	// once. It includes the query's own expression, which is no rule's.
	Expressions int
	Rules       []RuleCost // the costliest first: by expressions, then bodies
}

// A RuleCost is one rule's share of a Profile: the rule bodies entered under
// its name (else branches included) and the expressions evaluated in them.
// Time is OPA's profiler's measure of those expressions, each timed until
// the next expression starts, so it leaves out the rules they call; it
// varies from run to run.
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
// and a counter of rule bodies, and returns the costs rule by rule. An
// input whose query is undefined is an error, as in Eval.
func (p *Policy) Profile(ctx context.Context, inputs []ast.Value) (Profile, error) {
	bodies := bodyCounter{}
	var exprs []profiler.ExprStats
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return Profile{}, fmt.Errorf("policy: %w", err)
		}
		// A profiler per input: it times each expression until the next
		// one, so one shared by all would charge the last expression of
		// each input with the time until the next input starts.
		prof := profiler.New()
		rs, err := p.prepared.Eval(ctx, rego.EvalParsedInput(in), rego.EvalMetrics(metrics.NoOp()),
			rego.EvalQueryTracer(prof), rego.EvalQueryTracer(bodies))
		if err != nil {
			return Profile{}, fmt.Errorf("policy: profiling %s: %w", p.opts.Query, err)
		}
		if len(rs) == 0 {
			return Profile{}, ErrUndefined
		}
		for _, f := range prof.ReportByFile().Files {
			exprs = append(exprs, f.Result...)
		}
	}

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
	rules := p.ruleIndex()
	for _, s := range exprs {
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
// the last rule (or else branch) starting at or before its line. OPA's
// profiler counts expressions by line, and a rule's expressions, the ones
// the compiler makes from its head included, lie between its first line and
// the next rule's.
type ruleIndex map[string][]*ast.Rule // by file, in order of place

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
		slices.SortFunc(rules, func(a, b *ast.Rule) int {
			return cmp.Or(cmp.Compare(a.Location.Row, b.Location.Row), cmp.Compare(a.Location.Col, b.Location.Col))
		})
	}
	return idx
}

func (idx ruleIndex) at(loc *ast.Location) *ast.Rule {
	if loc == nil {
		return nil
	}
	rules := idx[loc.File]
	// The first rule starting after loc's line; the one before it is loc's.
	i, _ := slices.BinarySearchFunc(rules, loc.Row+1, func(r *ast.Rule, row int) int { return cmp.Compare(r.Location.Row, row) })
	if i == 0 {
		return nil
	}
	return rules[i-1]
}

// firstDefinition is where the first rule of r's name is defined: in the
// first file by name, at its first line there.
func firstDefinition(c *ast.Compiler, r *ast.Rule) *ast.Location {
	first := r.Location
	for _, other := range c.GetRulesExact(r.Path()) {
		if l := other.Location; l != nil && (first == nil || l.File < first.File ||
			l.File == first.File && l.Row < first.Row) {
			first = l
		}
	}
	return first
}

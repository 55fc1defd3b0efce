package checkin

import (
	"context"
	"fmt"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// An Explanation shows why a decision came out as it did: for each action,
// the contract's rules in the order they are tried, why each that did not
// apply did not, and which decided.
type Explanation struct {
	Decision Decision                     `json:"decision"`
	Actions  map[Action]ActionExplanation `json:"actions"`
	// Trace is OPA's trace of the evaluation, when asked for with WithTrace.
	Trace string `json:"trace,omitempty"`
}

// An ActionExplanation lists the rules considered for one action.
type ActionExplanation struct {
	Rules []RuleConsidered `json:"rules"`
	// DecidedBy is the number of the rule that decided: the one the
	// decision's own ruling records, so the two cannot disagree.
	DecidedBy string `json:"decided_by"`
}

// A RuleConsidered is one rule of the decision procedure and whether it applied.
type RuleConsidered struct {
	Rule    string `json:"rule"`  // its number in the contract's order, e.g. "7"
	Title   string `json:"title"` // from the METADATA of the policy's definition of the rule
	Applies bool   `json:"applies"`
	WhyNot  string `json:"why_not,omitempty"` // for a rule that does not apply, why not
}

// An ExplainOption configures Explain.
type ExplainOption func(*explainConfig)

type explainConfig struct{ trace bool }

// WithTrace adds OPA's full trace of the evaluation to the explanation.
func WithTrace() ExplainOption { return func(c *explainConfig) { c.trace = true } }

// Explain decides the request and explains the decision. It evaluates the
// policy again, more slowly than Decide: it is for people, not the hot path.
// Explanations are not recorded.
func (e *Engine) Explain(ctx context.Context, req Request, opts ...ExplainOption) (Explanation, error) {
	var cfg explainConfig
	for _, o := range opts {
		o(&cfg)
	}
	s, err := e.serving()
	if err != nil {
		return Explanation{}, err
	}
	p := s.policy
	d, err := e.decide(ctx, p, &req)
	if err != nil {
		return Explanation{}, err
	}
	v, trace, err := p.Query(ctx, "data.checkin.explanation", req.inputValue(), cfg.trace)
	if err != nil {
		return Explanation{}, err
	}
	x := Explanation{Decision: d, Actions: map[Action]ActionExplanation{}, Trace: trace}
	obj, ok := v.(ast.Object)
	if !ok {
		return Explanation{}, fmt.Errorf("checkin: policy explanation is %s, not an object", ast.ValueName(v))
	}
	titles := ruleTitles(p.Annotations())
	var r reader
	obj.Foreach(func(k, v *ast.Term) {
		a, _ := k.Value.(ast.String)
		ao, _ := v.Value.(ast.Object)
		if ao == nil {
			r.fail("explanation of %v is not an object", k)
			return
		}
		ax := ActionExplanation{DecidedBy: r.str(ao, "decided_by")}
		if rules, ok := r.field(ao, "rules").(*ast.Array); ok {
			rules.Foreach(func(t *ast.Term) {
				ro, _ := t.Value.(ast.Object)
				if ro == nil {
					r.fail("explanation of %v holds %v, not a rule", k, t)
					return
				}
				rc := RuleConsidered{Rule: r.str(ro, "rule")}
				rc.Title = titles[rc.Rule]
				applies, _ := r.field(ro, "applies").(ast.Boolean)
				rc.Applies = bool(applies)
				if !rc.Applies {
					if why, ok := r.object(ro, "why_not"); ok {
						rc.WhyNot = r.str(why, "message")
					}
				}
				ax.Rules = append(ax.Rules, rc)
			})
		}
		x.Actions[Action(a)] = ax
	})
	return x, r.err
}

// String writes the explanation in words, action by action in the
// contract's order of actions.
func (x Explanation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "outcome: %s (policy %s, jurisdiction %s, practice %s)\n",
		x.Decision.Outcome, x.Decision.Policy.Revision, x.Decision.Policy.Jurisdiction, x.Decision.Policy.Practice)
	for _, a := range actions {
		ax, ok := x.Actions[a]
		if !ok {
			continue
		}
		d := x.Decision.Actions[a]
		fmt.Fprintf(&b, "\n%s: %s, basis %s\n", a, d.Verdict, d.Basis)
		for _, r := range ax.Rules {
			switch {
			case r.Rule == ax.DecidedBy:
				fmt.Fprintf(&b, "  %-5s %s: applies, and decides (%s).\n", r.Rule, r.Title, d.Rule.Title)
			case r.Applies:
				fmt.Fprintf(&b, "  %-5s %s: would apply, but an earlier rule decided.\n", r.Rule, r.Title)
			default:
				fmt.Fprintf(&b, "  %-5s %s: does not apply. %s\n", r.Rule, r.Title, r.WhyNot)
			}
		}
		for _, n := range d.Reasons {
			fmt.Fprintf(&b, "  because: %s\n", n.Message)
		}
		for _, n := range d.Conditions {
			fmt.Fprintf(&b, "  do first: %s\n", n.Message)
		}
		for _, n := range d.Remedies {
			fmt.Fprintf(&b, "  to make it a yes: %s\n", n.Message)
		}
	}
	return b.String()
}

// ruleTitles reads the title of each contract rule from the METADATA of the
// policy's definitions of candidate["<number>"][action], the rules as the
// decision tries them.
func ruleTitles(as *ast.AnnotationSet) map[string]string {
	titles := map[string]string{}
	for _, e := range as.Flatten() {
		if number, ok := candidateNumber(e.GetRule()); ok {
			titles[number] = e.Annotations.Title
		}
	}
	return titles
}

// candidateNumber is the number of the contract rule a definition of
// data.checkin.candidate["<number>"][action] is, if it is one.
func candidateNumber(r *ast.Rule) (string, bool) {
	if r == nil || r.Module == nil || r.Module.Package.Path.String() != "data.checkin" {
		return "", false
	}
	ref := r.Head.Ref()
	if len(ref) != 3 || !ref[0].Equal(ast.VarTerm("candidate")) {
		return "", false
	}
	number, ok := ref[1].Value.(ast.String)
	return string(number), ok
}

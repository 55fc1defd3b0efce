package checkin

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The policy's answer is read straight from OPA's value into the Decision,
// without a JSON round trip. A policy that answers in another shape is a
// policy bug, reported as an error rather than guessed at.

func decisionFrom(v ast.Value) (Decision, error) {
	o, ok := v.(ast.Object)
	if !ok {
		return Decision{}, fmt.Errorf("checkin: policy decision is %s, not an object", ast.ValueName(v))
	}
	var r reader
	d := Decision{
		Outcome:     Outcome(r.str(o, "outcome")),
		Obligations: r.notes(o, "obligations"),
		Notices:     r.notes(o, "notices"),
	}
	if p, ok := r.object(o, "policy"); ok {
		d.Policy.Jurisdiction = r.str(p, "jurisdiction")
		d.Policy.Practice = r.str(p, "practice")
	}
	if actions, ok := r.object(o, "actions"); ok {
		d.Actions = make(map[Action]ActionDecision, actions.Len())
		actions.Foreach(func(k, v *ast.Term) {
			a, _ := k.Value.(ast.String)
			ad, _ := v.Value.(ast.Object)
			if ad == nil {
				r.err = fmt.Errorf("checkin: policy decision for %v is not an object", k)
				return
			}
			decision := ActionDecision{
				Verdict:    Verdict(r.str(ad, "verdict")),
				Basis:      Code(r.str(ad, "basis")),
				Reasons:    r.notes(ad, "reasons"),
				Conditions: r.notes(ad, "conditions"),
				Remedies:   r.notes(ad, "remedies"),
			}
			if rule, ok := r.object(ad, "rule"); ok {
				decision.Rule = RuleRef{Number: r.str(rule, "number"), Title: r.str(rule, "title")}
			}
			d.Actions[Action(a)] = decision
		})
	}
	return d, r.err
}

// reader reads fields of OPA objects, remembering the first one that is missing or of the wrong type.
type reader struct{ err error }

func (r *reader) field(o ast.Object, key string) ast.Value {
	t := o.Get(ast.InternedTerm(key))
	if t == nil {
		r.fail("missing %q", key)
		return nil
	}
	return t.Value
}

func (r *reader) str(o ast.Object, key string) string {
	s, ok := r.field(o, key).(ast.String)
	if !ok {
		r.fail("%q is not a string", key)
	}
	return string(s)
}

func (r *reader) object(o ast.Object, key string) (ast.Object, bool) {
	v, ok := r.field(o, key).(ast.Object)
	if !ok {
		r.fail("%q is not an object", key)
	}
	return v, ok
}

func (r *reader) notes(o ast.Object, key string) []Note {
	list, ok := r.field(o, key).(*ast.Array)
	if !ok {
		r.fail("%q is not a list", key)
		return nil
	}
	notes := make([]Note, 0, list.Len())
	list.Foreach(func(t *ast.Term) {
		if n, ok := t.Value.(ast.Object); ok {
			notes = append(notes, Note{Code: Code(r.str(n, "code")), Message: r.str(n, "message")})
		} else {
			r.fail("%q holds %v, not a note", key, t)
		}
	})
	return notes
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("checkin: policy decision: "+format, args...)
	}
}

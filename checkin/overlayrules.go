package checkin

import (
	"fmt"
	"slices"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/frontdesk-policy/frontdesk/policy"
)

// overlaySets are the sets an overlay adds to whose elements cover actions.
var overlaySets = []string{"restrictions", "conditions", "remedies"}

// overlayRules are the sets an overlay adds to, which the default policy reads.
var overlayRules = append([]string{"guardian_required"}, overlaySets...)

// checkOverlayRules reads an overlay's rules before they are compiled: each
// of the sets the default policy reads must be added to element by element,
// and the actions they name where they are written out must exist. An action
// that does not exist, or covers that list none, would make a rule that
// silently never applies.
func checkOverlayRules(modules []*ast.Module) []policy.Problem {
	var problems []policy.Problem
	fail := func(t *ast.Term, format string, args ...any) {
		problems = append(problems, policy.Problem{
			File: t.Location.File, Line: t.Location.Row, Code: "overlay_rule_error", Message: fmt.Sprintf(format, args...),
		})
	}
	for _, m := range modules {
		for _, r := range m.Rules {
			key, name := r.Head.Key, r.Head.Ref().String()
			if !slices.Contains(overlayRules, name) {
				continue
			}
			if r.Head.RuleKind() != ast.MultiValue || key == nil {
				at := r.Head.Ref()[0]
				fail(at, "%s is a set the default policy reads: add to it with %q", name, name+" contains ...")
				continue
			}
			switch {
			case name == "guardian_required":
				if s, ok := key.Value.(ast.String); ok && !Action(s).Valid() {
					fail(key, "guardian_required: %s is not an action (one of %v)", string(s), actions)
				}
			case slices.Contains(overlaySets, name):
				obj, ok := key.Value.(ast.Object)
				if !ok {
					continue
				}
				covers := obj.Get(ast.StringTerm("covers"))
				if covers == nil {
					fail(key, "%s: an element needs covers, the actions it applies to", name)
					continue
				}
				var items []*ast.Term
				switch c := covers.Value.(type) {
				case *ast.Array:
					c.Foreach(func(t *ast.Term) { items = append(items, t) })
				case ast.Set:
					items = c.Slice()
				default:
					continue // computed: the rule's own tests must show what it covers
				}
				if len(items) == 0 {
					fail(covers, "%s: covers is empty, so the element applies to nothing", name)
				}
				for _, item := range items {
					if s, ok := item.Value.(ast.String); ok && s != "*" && !Action(s).Valid() {
						fail(item, "%s: covers %s, which is not an action (one of %v, or *)", name, string(s), actions)
					}
				}
			}
		}
	}
	return problems
}

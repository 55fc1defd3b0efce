package checkin

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/frontdesk-policy/frontdesk/policy"
)

// Profile decides each request under OPA's profiler and reports what the
// policy cost, rule by rule: the rule bodies entered and expressions
// evaluated per decision, and where. Requests are validated first; nothing
// is recorded. It is for people weighing a policy, not for the hot path.
func (e *Engine) Profile(ctx context.Context, reqs []Request) (policy.Profile, error) {
	p := e.current.Load()
	inputs := make([]ast.Value, len(reqs))
	for i := range reqs {
		if err := reqs[i].Validate(); err != nil {
			return policy.Profile{}, fmt.Errorf("checkin: request %d: %w", i, err)
		}
		inputs[i] = reqs[i].inputValue()
	}
	return p.Profile(ctx, inputs)
}

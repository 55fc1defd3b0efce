package checkin

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/frontdesk-policy/frontdesk/policy"
)

// A Profile is what deciding a set of requests cost, counted by OPA's
// profiler: rule bodies entered and expressions evaluated, in all and rule
// by rule. The counts are the same on every machine, so they measure a
// policy where a time cannot.
type Profile = policy.Profile

// A RuleCost is one rule's share of a Profile.
type RuleCost = policy.RuleCost

// Profile decides each request under OPA's profiler and reports what the
// policy cost. Each request must be one Decide would decide: it is validated
// and its practice must have a profile. Nothing is recorded. It is for
// people weighing a policy, not for the hot path: the tracing slows every
// decision it profiles.
func (e *Engine) Profile(ctx context.Context, reqs []Request) (Profile, error) {
	s, err := e.serving()
	if err != nil {
		return Profile{}, err
	}
	p := s.policy
	inputs := make([]ast.Value, len(reqs))
	for i := range reqs {
		if err := validRequest(p, &reqs[i]); err != nil {
			return Profile{}, fmt.Errorf("checkin: request %d: %w", i, err)
		}
		inputs[i] = reqs[i].inputValue()
	}
	return p.Profile(ctx, inputs)
}

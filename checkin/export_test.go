package checkin

import "github.com/frontdesk-policy/frontdesk/policy"

// PolicyOf gives tests the policy an engine decides on, to query data the
// Rego reads.
func PolicyOf(e *Engine) *policy.Policy { return e.current.Load() }

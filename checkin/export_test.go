package checkin

import (
	"io/fs"

	"github.com/frontdesk-policy/frontdesk/policy"
)

// WithBasePolicy decides on base in place of the embedded default policy:
// for tests that edit a shipped file, such as taking an entry out of a
// jurisdiction profile, which no overlay may do, and for those that decide on
// the pinned copy of an earlier default policy (testdata/pinned).
func WithBasePolicy(base fs.FS) Option {
	return func(c *config) { c.layers[0] = policy.Source{Name: "rego", FS: base} }
}

// PolicyOf gives tests the policy an engine decides on, to query data the
// Rego reads.
func PolicyOf(e *Engine) *policy.Policy { return e.deciding() }

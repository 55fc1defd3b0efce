package checkintest

import (
	"context"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/internal/hooks"
	"github.com/frontdesk-policy/frontdesk/policy"
)

// A RegoTestResult is the outcome of one Rego test of a policy.
type RegoTestResult = policy.TestResult

// RegoTests runs the Rego tests of the policy the engine decides on, the
// default policy's and every overlay's, as `opa test` would. New already
// ran each overlay's own tests, and refused the overlay if any failed.
func RegoTests(ctx context.Context, engine *checkin.Engine) ([]RegoTestResult, error) {
	return hooks.RegoTests(ctx, engine)
}

package checkintest

import (
	"context"
	"time"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/internal/hooks"
)

// A RegoTestResult is the outcome of one Rego test of a policy.
type RegoTestResult struct {
	File     string
	Line     int
	Package  string // without the "data." prefix
	Name     string
	Pass     bool
	Skip     bool   // a todo_test_ rule
	Message  string // why it failed or could not run
	Output   string // what the test printed
	Duration time.Duration
}

// RegoTests runs the Rego tests of the policy the engine decides on, the
// default policy's and every overlay's, as `opa test` would. New already
// ran each overlay's own tests, and refused the overlay if any failed.
func RegoTests(ctx context.Context, engine *checkin.Engine) ([]RegoTestResult, error) {
	results, err := hooks.RegoTests(ctx, engine)
	out := make([]RegoTestResult, len(results))
	for i, r := range results {
		out[i] = RegoTestResult(r)
	}
	return out, err
}

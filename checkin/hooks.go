package checkin

import (
	"context"
	"encoding/json"

	"github.com/frontdesk-policy/frontdesk/checkin/internal/hooks"
	"github.com/frontdesk-policy/frontdesk/checkin/internal/scenarios"
	"github.com/frontdesk-policy/frontdesk/policy"
)

func init() {
	hooks.RegoTests = func(ctx context.Context, e any) ([]policy.TestResult, error) {
		return e.(*Engine).deciding().Test(ctx)
	}
	hooks.DecideScenarios = func(ctx context.Context, d any) func(json.RawMessage) (scenarios.Decision, error) {
		return decideScenarios(ctx, d.(decider))
	}
}

// Package hooks lets package checkintest reach into an Engine for what only
// tests need, without checkin exporting it. Package checkin sets the hooks.
package hooks

import (
	"context"
	"encoding/json"

	"github.com/frontdesk-policy/frontdesk/checkin/internal/scenarios"
	"github.com/frontdesk-policy/frontdesk/policy"
)

// RegoTests runs the Rego tests of an engine's policy; engine is a *checkin.Engine.
var RegoTests func(ctx context.Context, engine any) ([]policy.TestResult, error)

// DecideScenarios decides scenario requests as the engine checks an
// overlay's; decider has checkin's Decide method.
var DecideScenarios func(ctx context.Context, decider any) func(json.RawMessage) (scenarios.Decision, error)

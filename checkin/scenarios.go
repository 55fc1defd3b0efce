package checkin

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/frontdesk-policy/frontdesk/checkin/internal/scenarios"
)

// A decider is what decides scenario requests: an Engine, or any other
// Decide a test wraps (checkintest.Decider).
type decider interface {
	Decide(context.Context, Request) (Decision, error)
}

// decideScenarios decides scenario requests on e, as package scenarios
// checks them: an overlay's scenario files must pass before it is used, and
// checkintest checks them the same way.
func decideScenarios(ctx context.Context, e decider) func(json.RawMessage) (scenarios.Decision, error) {
	return func(request json.RawMessage) (scenarios.Decision, error) {
		req, err := ParseRequest(request)
		var d Decision
		if err == nil {
			d, err = e.Decide(ctx, req)
		}
		var invalid *ValidationError
		if errors.As(err, &invalid) {
			return scenarios.Decision{Invalid: invalid.Error()}, nil
		}
		if err != nil {
			return scenarios.Decision{}, err
		}
		sd := scenarios.Decision{Outcome: string(d.Outcome), Actions: make(map[string]scenarios.Verdict, len(d.Actions))}
		for a, ad := range d.Actions {
			sd.Actions[string(a)] = scenarios.Verdict{Verdict: string(ad.Verdict), Basis: string(ad.Basis)}
		}
		return sd, nil
	}
}

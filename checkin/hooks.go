package checkin

import (
	"context"

	"github.com/frontdesk-policy/frontdesk/checkin/internal/hooks"
	"github.com/frontdesk-policy/frontdesk/policy"
)

func init() {
	hooks.RegoTests = func(ctx context.Context, e any) ([]policy.TestResult, error) {
		return e.(*Engine).current.Load().Test(ctx)
	}
}

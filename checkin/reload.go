package checkin

import (
	"context"
	"fmt"
	"time"

	"github.com/open-policy-agent/opa/v1/plugins"

	"github.com/frontdesk-policy/frontdesk/policy"
)

// Reload rebuilds the policy from its sources (overlay folders are read
// again) beside the one serving, checks it as New does, and swaps it in
// atomically. On failure the last good policy keeps serving, and the error
// is returned and logged. Decisions in flight finish on the policy they
// started with; no decision mixes two. A new policy starts with an empty
// decision cache (WithDecisionCache).
//
// A bundle-fed engine asks its bundle service now, and checks and activates
// what it sends as polling would; its configuration must set the bundle's
// trigger to manual, since OPA's downloader polls on its own otherwise.
func (e *Engine) Reload(ctx context.Context) error {
	if f := e.fleet; f != nil {
		if *f.source.Config.Trigger != plugins.TriggerManual {
			return fmt.Errorf("checkin: bundles.%s is polled (trigger: %s): Reload needs trigger: manual", f.bundleName, *f.source.Config.Trigger)
		}
		return f.downloader.Trigger(ctx)
	}
	e.reloadMu.Lock()
	defer e.reloadMu.Unlock()
	err := e.reload(ctx)
	if e.cfg.onReload != nil {
		e.cfg.onReload(ctx, e.Revision(), err)
	}
	return err
}

func (e *Engine) reload(ctx context.Context) error {
	serving := e.Revision()
	p, err := e.build(ctx, e.cfg.layers)
	if err != nil {
		e.cfg.logger.ErrorContext(ctx, "checkin: policy reload failed; the last good policy keeps serving",
			"revision", serving, "error", err)
		return err
	}
	e.serve(p, e.cfg.layers)
	if p.Revision() != serving {
		e.cfg.logger.InfoContext(ctx, "checkin: policy reloaded", "revision", p.Revision(), "previous", serving)
	}
	return nil
}

// Watch reloads the policy whenever the files of its overlays change,
// looking every interval, until ctx is done. Run it in its own goroutine.
// A change that fails to load is logged and leaves the last good policy
// serving; the next change is tried again. A bundle-fed engine has no
// folders to watch: its bundle service is polled as configured, and Watch
// returns at once.
func (e *Engine) Watch(ctx context.Context, interval time.Duration) {
	if e.fleet != nil {
		return
	}
	last, _ := policy.Fingerprint(e.cfg.layers...)
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		now, err := policy.Fingerprint(e.cfg.layers...)
		if err != nil || now == last {
			continue
		}
		last = now
		_ = e.Reload(ctx) // logged by Reload
	}
}

package checkin_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// BenchmarkBundleFed decides the scenario corpus on the photo-ID policy
// three ways: loaded from its folder (the baseline), fed from a signed
// bundle, and fed from the bundle with every decision sent to the
// collector. A bundle-fed engine decides on the same prepared policy, so the
// first two should cost the same; the third adds redaction, OPA's mask and
// the upload buffer.
func BenchmarkBundleFed(b *testing.B) {
	engines, err := fleetPolicies()
	require.NoError(b, err)
	reqs, _ := corpus(b)
	f := newTestFleet(b)
	raw, _ := f.bundle(b, "photo-id", f.signing)
	f.bundles.publish(raw)
	fed := desk(b, f.config(b, nil, nil))
	require.NoError(b, fed.Reload(b.Context()))
	logged := desk(b, f.config(b, nil, map[string]any{"reporting": map[string]any{"trigger": "manual",
		"buffer_type": "event", "buffer_size_limit_events": 1000}}))
	require.NoError(b, logged.Reload(b.Context()))
	require.Equal(b, engines["photo-id"].Revision(), fed.Revision())

	for _, bench := range []struct {
		name   string
		engine *checkin.Engine
	}{
		{"local", engines["photo-id"]},
		{"bundle_fed", fed},
		{"bundle_fed_with_decision_logs", logged},
	} {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := bench.engine.Decide(b.Context(), reqs[i%len(reqs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

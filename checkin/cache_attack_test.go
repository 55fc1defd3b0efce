package checkin_test

import (
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// pickUpRequest is Jamie's mother, with photo ID and custody, taking Jamie
// home at the hour given, on 2026-11-22 in the visit's zone (-06:00).
func pickUpRequest(hour int) checkin.Request {
	req := aRequest()
	req.Companion = checkin.Companion{ID: mother.Person, Name: mother.Name, Relationship: checkin.Parent, Age: 38,
		Identity: checkin.PhotoID}
	req.Records.Guardians = []checkin.Guardian{mother}
	req.Records.Guardians[0].LegalCustody = new(true)
	req.Requested = []checkin.Action{checkin.PickUp}
	req.At = time.Date(2026, 11, 22, hour, 0, 0, 0, visitTime.Location())
	return req
}

func afterNoon(d checkin.Decision) bool {
	return slices.ContainsFunc(d.Actions[checkin.PickUp].Conditions, func(n checkin.Note) bool {
		return n.Code == "AFTER_NOON"
	})
}

// Each testdata/overlays/cache-* overlay reads the time of day in its own
// way, to add condition AFTER_NOON to a pick-up after 12:00. Asked at 09:00
// and then at 17:00 of the same day, an engine with the cache decides each
// as one without it: the 09:00 answer is never given at 17:00.
func TestDecisionCacheAttackOverlays(t *testing.T) {
	t.Parallel()
	dirs, err := filepath.Glob(filepath.Join("testdata", "overlays", "cache-*"))
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, dir := range dirs {
		t.Run(strings.TrimPrefix(filepath.Base(dir), "cache-"), func(t *testing.T) {
			t.Parallel()
			overlay := checkin.WithOverlayDir(filepath.Join(dir, "overlay"))
			plain, err := checkin.New(t.Context(), overlay)
			require.NoError(t, err)
			var log strings.Builder
			cached := cacheEngine(t, 10, overlay, checkin.WithRecorder(cacheFlag{}),
				checkin.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
			for _, hour := range []int{9, 17} {
				req := pickUpRequest(hour)
				want, err := plain.Decide(t.Context(), req)
				require.NoError(t, err)
				require.Equal(t, hour >= 12, afterNoon(want), "%02d:00: the overlay must read the time of day", hour)
				got, hit := decideFlagged(t, cached, req)
				assert.False(t, hit, "%02d:00 answered from the cache", hour)
				assert.Equal(t, want, got, "%02d:00", hour)
			}
			assert.Equal(t, 2, cached.CacheStats().Entries)
			assert.Contains(t, log.String(), "read_at=", "the engine's log names the rule that reads the time")
			t.Log(strings.TrimSpace(log.String()))
		})
	}
}

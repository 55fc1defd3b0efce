package checkin_test

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/grid"
)

// Every entry of every jurisdiction profile changes some decision: decided
// with the profile as shipped and with that one entry taken out, some probe
// request (the jurisdiction's scenarios and a sample of the grid) comes out
// differently. An entry that changes nothing is dead data or a rule missing.
//
// An entry that restates the default (Connecticut's foster placement scope)
// is there so that the state keeps its answer, and its own source, if the
// default changes: it is probed against a default whose value is emptied.
func TestEveryProfileEntryChangesADecision(t *testing.T) {
	t.Parallel()
	e := engine(t)
	profiles := e.Jurisdictions()
	defaults := profiles[0] // Jurisdictions lists the default first
	scenarios, err := checkin.LoadScenarios(os.DirFS("testdata"), "scenarios")
	require.NoError(t, err)
	const sample = 400
	for _, j := range profiles[1:] {
		var probes []checkin.Request
		for _, s := range scenarios {
			if req, err := checkin.ParseRequest(s.Request); err == nil && req.Jurisdiction == j.Code {
				probes = append(probes, req)
			}
		}
		for c := range grid.Cells([]string{j.Code}, sample) {
			probes = append(probes, c.Request())
		}
		for _, entry := range j.Entries {
			t.Run(j.Code+"/"+entry.Field, func(t *testing.T) {
				t.Parallel()
				less := profileOverlay(t, "without-"+entry.Field, j, func(e checkin.ProfileEntry) (checkin.ProfileEntry, bool) {
					return e, e.Field != entry.Field
				})
				shipped, without := e, withOverlays(t, less)
				if restated(defaults, entry) {
					emptied := emptiedDefault(t, defaults, entry.Field)
					shipped, without = withOverlays(t, emptied), withOverlays(t, emptied, less)
				}
				for _, req := range probes {
					a, err1 := shipped.Decide(t.Context(), req)
					b, err2 := without.Decide(t.Context(), req)
					if (err1 == nil) != (err2 == nil) || !sameRulings(a, b) {
						return
					}
				}
				t.Errorf("%s %s changes none of %d probe decisions", j.Code, entry.Field, len(probes))
			})
		}
	}
}

// emptiedDefault is an overlay giving the default profile's field an empty list.
func emptiedDefault(t *testing.T, defaults checkin.Jurisdiction, field string) checkin.Option {
	return profileOverlay(t, "emptied-"+field, defaults, func(e checkin.ProfileEntry) (checkin.ProfileEntry, bool) {
		if e.Field == field {
			e.Value = []any{}
		}
		return e, true
	})
}

// restated reports whether entry has the default profile's value.
func restated(defaults checkin.Jurisdiction, entry checkin.ProfileEntry) bool {
	for _, d := range defaults.Entries {
		if d.Field == entry.Field {
			return reflect.DeepEqual(d.Value, entry.Value)
		}
	}
	return false
}

// profileOverlay writes profile j, its entries passed through keep, as an overlay.
func profileOverlay(t *testing.T, name string, j checkin.Jurisdiction, keep func(checkin.ProfileEntry) (checkin.ProfileEntry, bool)) checkin.Option {
	t.Helper()
	entries := map[string]any{}
	for _, e := range j.Entries {
		if e, ok := keep(e); ok {
			entries[e.Field] = map[string]any{"value": e.Value, "source": e.Source}
		}
	}
	data, err := json.Marshal(map[string]any{"name": j.Name, "entries": entries})
	require.NoError(t, err)
	return checkin.WithOverlay(name, fstest.MapFS{"jurisdictions/" + j.Code + "/data.json": {Data: data}})
}

func withOverlays(t *testing.T, first checkin.Option, rest ...checkin.Option) *checkin.Engine {
	t.Helper()
	e, err := checkin.New(t.Context(), append([]checkin.Option{first}, rest...)...)
	require.NoError(t, err)
	return e
}

// sameRulings compares what the desk would do: verdicts, bases and the codes
// of conditions and remedies.
func sameRulings(a, b checkin.Decision) bool {
	codes := func(d checkin.Decision) map[checkin.Action][]string {
		out := map[checkin.Action][]string{}
		for act, ad := range d.Actions {
			list := []string{string(ad.Verdict), ad.Basis}
			for _, n := range append(append([]checkin.Note{}, ad.Conditions...), ad.Remedies...) {
				list = append(list, n.Code)
			}
			out[act] = list
		}
		return out
	}
	return a.Outcome == b.Outcome && reflect.DeepEqual(codes(a), codes(b))
}

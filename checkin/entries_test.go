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
func TestEveryProfileEntryChangesADecision(t *testing.T) {
	t.Parallel()
	e := engine(t)
	scenarios, err := checkin.LoadScenarios(os.DirFS("testdata"), "scenarios")
	require.NoError(t, err)
	const sample = 400
	for _, j := range e.Jurisdictions() {
		if j.Code == "default" {
			continue
		}
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
				without := withoutEntry(t, j, entry.Field)
				for _, req := range probes {
					shipped, err1 := e.Decide(t.Context(), req)
					taken, err2 := without.Decide(t.Context(), req)
					if (err1 == nil) != (err2 == nil) || !sameRulings(shipped, taken) {
						return
					}
				}
				t.Errorf("%s %s changes none of %d probe decisions", j.Code, entry.Field, len(probes))
			})
		}
	}
}

// withoutEntry is the default policy with one jurisdiction profile replaced
// by itself less one entry.
func withoutEntry(t *testing.T, j checkin.Jurisdiction, field string) *checkin.Engine {
	t.Helper()
	entries := map[string]any{}
	for _, e := range j.Entries {
		if e.Field != field {
			entries[e.Field] = map[string]any{"value": e.Value, "source": e.Source}
		}
	}
	data, err := json.Marshal(map[string]any{"name": j.Name, "entries": entries})
	require.NoError(t, err)
	e, err := checkin.New(t.Context(), checkin.WithOverlay("without-"+field,
		fstest.MapFS{"jurisdictions/" + j.Code + "/data.json": {Data: data}}))
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

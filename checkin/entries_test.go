package checkin_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
	"github.com/frontdesk-policy/frontdesk/rego"
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
	if testing.Short() {
		t.Skip("-short leaves out deciding each jurisdiction's probes without each of its profile entries (a policy per entry)")
	}
	t.Parallel()
	e := engine(t)
	profiles := e.Jurisdictions()
	defaults := profiles[0] // Jurisdictions lists the default first
	scenarios, err := checkintest.LoadScenarios(os.DirFS("testdata"), "scenarios")
	require.NoError(t, err)
	const sample = 400
	for _, j := range profiles[1:] {
		var probes []checkin.Request
		for _, s := range scenarios {
			if req, err := checkin.ParseRequest(s.Request); err == nil && req.Jurisdiction == j.Code {
				probes = append(probes, req)
			}
		}
		for c := range checkintest.Grid([]string{j.Code}, sample) {
			probes = append(probes, c.Request())
		}
		for _, entry := range j.Entries {
			t.Run(j.Code+"/"+entry.Field, func(t *testing.T) {
				t.Parallel()
				less := editProfile(j, func(e checkin.ProfileEntry) (checkin.ProfileEntry, bool) {
					return e, e.Field != entry.Field
				})
				shipped, without := e, withEdits(t, less)
				if restated(defaults, entry) {
					emptied := emptiedDefault(defaults, entry.Field)
					shipped, without = withEdits(t, emptied), withEdits(t, emptied, less)
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

// emptiedDefault gives the default profile's field an empty list.
func emptiedDefault(defaults checkin.Jurisdiction, field string) editPolicy {
	return editProfile(defaults, func(e checkin.ProfileEntry) (checkin.ProfileEntry, bool) {
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

// An editPolicy changes a copy of the default policy's files.
type editPolicy func(t *testing.T, files fstest.MapFS)

// editProfile rewrites profile j with its entries passed through keep. No
// overlay can take an entry out of a shipped profile (an overlay amends
// entries, it never drops them), so the edit is made to the default policy.
func editProfile(j checkin.Jurisdiction, keep func(checkin.ProfileEntry) (checkin.ProfileEntry, bool)) editPolicy {
	return func(t *testing.T, files fstest.MapFS) {
		t.Helper()
		entries := map[string]any{}
		for _, e := range j.Entries {
			if e, ok := keep(e); ok {
				entries[e.Field] = map[string]any{"value": e.Value, "source": e.Source}
			}
		}
		data, err := json.Marshal(map[string]any{"name": j.Name, "entries": entries})
		require.NoError(t, err)
		files["jurisdictions/"+j.Code+"/data.json"] = &fstest.MapFile{Data: data}
	}
}

// withEdits is an engine on the default policy with the edits made to a copy of its files.
func withEdits(t *testing.T, edits ...editPolicy) *checkin.Engine {
	t.Helper()
	files := fstest.MapFS{}
	err := fs.WalkDir(rego.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(rego.FS(), name)
		files[name] = &fstest.MapFile{Data: data}
		return err
	})
	require.NoError(t, err)
	for _, edit := range edits {
		edit(t, files)
	}
	e, err := checkin.New(t.Context(), checkin.WithBasePolicy(files))
	require.NoError(t, err)
	return e
}

// sameRulings compares what the desk would do: verdicts, bases, and the
// conditions and remedies, code and text (a profile entry may change only
// what staff are told to confirm first, as a consensus surrogate rule does).
func sameRulings(a, b checkin.Decision) bool {
	codes := func(d checkin.Decision) map[checkin.Action][]string {
		out := map[checkin.Action][]string{}
		for act, ad := range d.Actions {
			list := []string{string(ad.Verdict), string(ad.Basis)}
			for _, n := range append(append([]checkin.Note{}, ad.Conditions...), ad.Remedies...) {
				list = append(list, string(n.Code), n.Message)
			}
			out[act] = list
		}
		return out
	}
	return a.Outcome == b.Outcome && reflect.DeepEqual(codes(a), codes(b))
}

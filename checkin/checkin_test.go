package checkin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// aRequest is a valid request to vary in tests: an aunt with a sick child.
func aRequest() checkin.Request {
	return checkin.Request{
		At:           visitTime,
		Jurisdiction: "US-GU",
		Patient:      jamie,
		Companion:    checkin.Companion{ID: "per-aunt", Name: "Maria Lopez", Relationship: checkin.AuntUncle, Age: 35, BroughtPatient: true},
		Records:      checkin.Records{Guardians: []checkin.Guardian{mother}},
		Requested:    []checkin.Action{checkin.Accompany, checkin.ConsentSick},
	}
}

func TestDecideRejectsInvalidRequests(t *testing.T) {
	t.Parallel()
	e := engine(t)
	for _, tc := range []struct {
		name   string
		change func(*checkin.Request)
		field  string
	}{
		{"missing at", func(r *checkin.Request) { r.At = checkin.Request{}.At }, "at"},
		{"missing jurisdiction", func(r *checkin.Request) { r.Jurisdiction = "" }, "jurisdiction"},
		{"unknown practice", func(r *checkin.Request) { r.Practice = "lenient" }, "practice"},
		{"missing patient id", func(r *checkin.Request) { r.Patient.ID = "" }, "patient.id"},
		{"bad birth date", func(r *checkin.Request) { r.Patient.BirthDate = "10/05/2019" }, "patient.birth_date"},
		{"birth after visit", func(r *checkin.Request) { r.Patient.BirthDate = "2027-01-01" }, "patient.birth_date"},
		{"unknown status", func(r *checkin.Request) { r.Patient.Statuses = []checkin.Status{"retired"} }, "patient.statuses[0]"},
		{"unknown relationship", func(r *checkin.Request) { r.Companion.Relationship = "godparent" }, "companion.relationship"},
		{"self with another id", func(r *checkin.Request) { r.Companion.Relationship = checkin.Self }, "companion.relationship"},
		{"negative age", func(r *checkin.Request) { r.Companion.Age = -1 }, "companion.age"},
		{"unknown identity", func(r *checkin.Request) { r.Companion.Identity = "passport" }, "companion.identity"},
		{"unknown role", func(r *checkin.Request) { r.Records.Guardians[0].Role = "godparent" }, "records.guardians[0].role"},
		{"unknown document kind", func(r *checkin.Request) {
			r.Records.Documents = []checkin.Document{{ID: "d", Kind: "note", Grantee: "per-aunt"}}
		}, "records.documents[0].kind"},
		{"bad document date", func(r *checkin.Request) {
			r.Records.Documents = []checkin.Document{{ID: "d", Kind: checkin.ProxyAuthorization, Grantee: "per-aunt", ValidUntil: "2027-02-30"}}
		}, "records.documents[0].valid_until"},
		{"unknown covered action", func(r *checkin.Request) {
			r.Records.Refusals = []checkin.Refusal{{By: "per-mom", Covers: []checkin.Action{"tattoo"}}}
		}, "records.refusals[0].covers[0]"},
		{"no actions", func(r *checkin.Request) { r.Requested = nil }, "requested"},
		{"unknown action", func(r *checkin.Request) { r.Requested = append(r.Requested, "consent_tattoo") }, "requested[2]"},
		{"jurisdiction in lower case", func(r *checkin.Request) { r.Jurisdiction = "us-tn" }, "jurisdiction"},
		{"patient's id as an aunt", func(r *checkin.Request) { r.Companion.ID = r.Patient.ID }, "companion.relationship"},
		{"two documents, one id", func(r *checkin.Request) {
			proxy := checkin.Document{ID: "d", Kind: checkin.ProxyAuthorization, GrantedBy: "per-mom", Grantee: "per-aunt"}
			r.Records.Documents = []checkin.Document{proxy, proxy}
		}, "records.documents[1].id"},
		{"two guardians, one person", func(r *checkin.Request) {
			r.Records.Guardians = append(r.Records.Guardians, mother)
		}, "records.guardians[1].person"},
		{"restriction covering nothing", func(r *checkin.Request) {
			r.Records.Restrictions = []checkin.Restriction{{Person: "per-aunt"}}
		}, "records.restrictions[0].covers"},
		{"proxy without grantor", func(r *checkin.Request) {
			r.Records.Documents = []checkin.Document{{ID: "d", Kind: checkin.ProxyAuthorization, Grantee: "per-aunt"}}
		}, "records.documents[0].granted_by"},
		{"51 guardians", func(r *checkin.Request) {
			for i := range checkin.MaxEntries {
				r.Records.Guardians = append(r.Records.Guardians, checkin.Guardian{Person: fmt.Sprint("g", i), Role: checkin.RoleParent})
			}
		}, "records.guardians"},
		{"12 requested", func(r *checkin.Request) {
			r.Requested = slices.Concat(checkin.Actions(), []checkin.Action{checkin.Accompany})
		}, "requested"},
		{"201-character name", func(r *checkin.Request) {
			r.Companion.Name = strings.Repeat("x", checkin.MaxTextLength+1)
		}, "companion.name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := aRequest()
			req.Records.Guardians = []checkin.Guardian{mother}
			tc.change(&req)
			d, err := e.Decide(t.Context(), req)
			var invalid *checkin.ValidationError
			require.ErrorAs(t, err, &invalid)
			assert.Empty(t, d.Actions, "nothing is decided on invalid input")
			fields := make([]string, len(invalid.Problems))
			for i, p := range invalid.Problems {
				fields[i] = p.Field
				assert.NotEmpty(t, p.Problem)
			}
			assert.Contains(t, fields, tc.field)
		})
	}
}

func TestParseRequestNamesTheField(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, json, field, problem string }{
		{"unknown field", `{"at": "2026-11-22T09:30:00Z", "colour": "red"}`, "colour", "is not a field of the request"},
		{"wrong type", `{"companion": {"age": "thirty"}}`, "companion.age", `"thirty" is not a whole number`},
		{"fractional age", `{"companion": {"age": 30.5}}`, "companion.age", "30.5 is not a whole number"},
		{"null age", `{"companion": {"age": null}}`, "companion.age", "null is not a whole number"},
		{"null revoked", `{"records": {"documents": [{"revoked": null}]}}`, "records.documents[0].revoked",
			"null is not true or false"},
		{"null name", `{"patient": {"name": null}}`, "patient.name", "null is not a string"},
		{"case variant", `{"records": {"documents": [{"REVOKED": true}]}}`, "records.documents[0].REVOKED",
			`is not a field of the request; did you mean "revoked"?`},
		{"key given twice", `{"companion": {"age": 12, "age": 34}}`, "companion.age", "is given twice in one object"},
		{"too many entries", `{"records": {"refusals": [` + strings.Repeat(`{}, `, checkin.MaxEntries) + `{}]}}`,
			"records.refusals", "has 51 entries; at most 50"},
		{"too long", `{"patient": {"id": "` + strings.Repeat("é", checkin.MaxTextLength+1) + `"}}`, "patient.id",
			"is 201 characters long; at most 200"},
		{"not an object", `["accompany"]`, "", "a list is not an object"},
		{"two values", `{} {}`, "", "more than one JSON value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := checkin.ParseRequest([]byte(tc.json))
			var invalid *checkin.ValidationError
			require.ErrorAs(t, err, &invalid)
			assert.Equal(t, checkin.Problem{Field: tc.field, Problem: tc.problem}, invalid.Problems[0])
		})
	}

	// The bound on the JSON comes before reading any of it.
	huge := append([]byte(`{"colour": "`), bytes.Repeat([]byte("x"), checkin.MaxRequestBytes)...)
	_, err := checkin.ParseRequest(append(huge, `"}`...))
	var invalid *checkin.ValidationError
	require.ErrorAs(t, err, &invalid)
	assert.Equal(t, []checkin.Problem{{Problem: fmt.Sprintf("the request is %d bytes of JSON; at most %d",
		len(huge)+2, checkin.MaxRequestBytes)}}, invalid.Problems)

	// JSON nested deeper than the contract is skipped unread, and past
	// encoding/json's depth limit it is not JSON: either way at the cost of
	// reading it once.
	deep := `{"colour": ` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}`
	_, err = checkin.ParseRequest([]byte(deep))
	require.ErrorAs(t, err, &invalid)
	assert.Contains(t, invalid.Error(), "exceeded max depth")

	// A bad time, which a Request cannot hold, is reported with the rest.
	_, err = checkin.ParseRequest([]byte(`{"at": "yesterday"}`))
	require.ErrorAs(t, err, &invalid)
	assert.Equal(t, checkin.Problem{Field: "at", Problem: `"yesterday" is not an RFC 3339 time`}, invalid.Problems[0])
	assert.Contains(t, invalid.Problems, checkin.Problem{Field: "jurisdiction", Problem: "is required"})
	assert.Contains(t, invalid.Problems, checkin.Problem{Field: "companion.age", Problem: "is required"})

	// What Go writes, ParseRequest reads: no nulls, even for an empty request.
	empty, err := json.Marshal(checkin.Request{})
	require.NoError(t, err)
	_, err = checkin.ParseRequest(empty)
	require.NoError(t, err, "%s", empty)

	// Decoding into a Request by json.Unmarshal tolerates keys that are not
	// fields, but never reads a case variant as the field.
	var r checkin.Request
	require.NoError(t, json.Unmarshal([]byte(`{"colour": "red", "companion": {"age": 30}}`), &r))
	assert.Equal(t, 30, r.Companion.Age)
	require.ErrorAs(t, json.Unmarshal([]byte(`{"companion": {"AGE": 30}}`), &r), &invalid)
	assert.Equal(t, "companion.AGE", invalid.Problems[0].Field)
}

func TestRequestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	cases, err := checkintest.LoadScenarios(os.DirFS("testdata"), "scenarios")
	require.NoError(t, err)
	for _, c := range cases {
		req, err := checkin.ParseRequest(c.Request)
		if c.Expect.Outcome == checkin.Invalid && err != nil {
			continue // a request the decoder rejects has no Go form to round-trip
		}
		require.NoError(t, err, c.Name)
		again, err := json.Marshal(req)
		require.NoError(t, err)
		back, err := checkin.ParseRequest(again)
		require.NoError(t, err, c.Name)
		twice, err := json.Marshal(back)
		require.NoError(t, err)
		assert.JSONEq(t, string(again), string(twice), c.Name)
		assert.True(t, req.At.Equal(back.At), c.Name)
	}
}

func TestEveryRequestedActionIsDecidedOnce(t *testing.T) {
	t.Parallel()
	req := aRequest()
	req.Requested = checkin.Actions()
	d, err := engine(t).Decide(t.Context(), req)
	require.NoError(t, err)
	assert.Len(t, d.Actions, len(checkin.Actions()))
	for _, a := range checkin.Actions() {
		ad := d.Actions[a]
		assert.NotEmpty(t, ad.Basis, a)
		assert.NotEmpty(t, ad.Reasons, a)
		if ad.Verdict == checkin.Deny {
			assert.NotEmpty(t, ad.Remedies, "a refusal without a way forward: %s", a)
		}
	}
	assert.Equal(t, engine(t).Revision(), d.Policy.Revision)
}

func TestDecideHonoursCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := engine(t).Decide(ctx, aRequest())
	require.ErrorIs(t, err, context.Canceled)
}

// Many goroutines share one engine; run with -race.
func TestDecideConcurrently(t *testing.T) {
	if testing.Short() {
		t.Skip("-short leaves out the concurrent decisions (8 goroutines over the scenario corpus), meant for -race")
	}
	t.Parallel()
	e := engine(t)
	cases, err := checkintest.LoadScenarios(os.DirFS("testdata"), "scenarios")
	require.NoError(t, err)
	var want []checkin.Decision
	var reqs []checkin.Request
	var names []string
	for _, c := range cases {
		req, err := checkin.ParseRequest(c.Request)
		if c.Expect.Outcome == checkin.Invalid && err != nil {
			continue // rejected before it could be decided, concurrently or not
		}
		require.NoError(t, err, c.Name)
		d, _ := e.Decide(t.Context(), req)
		reqs, want, names = append(reqs, req), append(want, d), append(names, c.Name)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for n := range 50 {
				i := (g + n) % len(reqs)
				got, err := e.Decide(context.Background(), reqs[i])
				var invalid *checkin.ValidationError
				if err != nil && !errors.As(err, &invalid) {
					errs <- err
					return
				}
				if !assert.Equal(t, want[i], got, names[i]) {
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Decoding and deciding arbitrary bytes never panics, and never decides an
// invalid request.
func FuzzDecide(f *testing.F) {
	cases, err := checkintest.LoadScenarios(os.DirFS("testdata"), "scenarios")
	require.NoError(f, err)
	for _, c := range cases {
		f.Add([]byte(c.Request))
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"at": "2026-11-22T09:30:00Z", "requested": ["*"]}`))
	f.Add([]byte(`[1, 2]`))
	e := engine(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := checkin.ParseRequest(data)
		if err != nil {
			var invalid *checkin.ValidationError
			require.ErrorAs(t, err, &invalid)
			return
		}
		d, err := e.Decide(context.Background(), req)
		if req.Validate() != nil {
			require.Error(t, err, "an invalid request was decided")
			return
		}
		var invalid *checkin.ValidationError
		if errors.As(err, &invalid) {
			assert.Empty(t, d.Actions)
			return
		}
		require.NoError(t, err)
		assert.Len(t, d.Actions, distinct(req.Requested))
	})
}

func distinct(actions []checkin.Action) int {
	seen := map[checkin.Action]bool{}
	for _, a := range actions {
		seen[a] = true
	}
	return len(seen)
}

package checkin

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/util"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Go and Rego check requests against the same contract: for callers of the
// Go API and for callers of data.checkin.decision. They must name the same
// fields. Each case changes a valid request built in Go, or its JSON (for
// what a Go value cannot hold: nulls, keys that are not fields, wrong types).
func TestGoAndRegoValidationAgree(t *testing.T) {
	e, err := New(context.Background())
	require.NoError(t, err)
	p := e.deciding()
	base := Request{
		At:           time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC),
		Jurisdiction: "US-GU",
		Patient:      Patient{ID: "pt-1", BirthDate: "2019-05-10"},
		Companion:    Companion{ID: "per-1", Relationship: AuntUncle, Age: 35},
		Records:      Records{Guardians: []Guardian{{Person: "per-mom", Role: RoleParent}}},
		Requested:    []Action{ConsentSick},
	}
	long := strings.Repeat("é", MaxTextLength+1) // characters, not bytes
	proxy := Document{ID: "d", Kind: ProxyAuthorization, GrantedBy: "per-mom", Grantee: "per-1"}
	fromMom := func(covers ...Action) VerbalConsent { return VerbalConsent{From: "per-mom", Covers: covers} }
	valid := map[string]bool{
		"valid": true, "document without covers is the law's scope": true, "50 of each and 11 actions": true,
		"200 characters is not too long": true,
	}
	for name, change := range map[string]func(*Request){
		"valid":                 func(*Request) {},
		"missing jurisdiction":  func(r *Request) { r.Jurisdiction = "" },
		"unknown practice":      func(r *Request) { r.Practice = "lenient" },
		"bad birth date":        func(r *Request) { r.Patient.BirthDate = "2019-02-30" },
		"future birth date":     func(r *Request) { r.Patient.BirthDate = "2030-01-01" },
		"unknown status":        func(r *Request) { r.Patient.Statuses = []Status{"retired"} },
		"unknown relationship":  func(r *Request) { r.Companion.Relationship = "godparent" },
		"self with another id":  func(r *Request) { r.Companion.Relationship = Self },
		"unknown identity":      func(r *Request) { r.Companion.Identity = "passport" },
		"unknown role":          func(r *Request) { r.Records.Guardians[0].Role = "godparent" },
		"guardian without role": func(r *Request) { r.Records.Guardians[0].Role = "" },
		"document without kind": func(r *Request) {
			r.Records.Documents = []Document{{ID: "d", Grantee: "per-1"}}
		},
		"unknown kind": func(r *Request) {
			r.Records.Documents = []Document{{ID: "d", Kind: "note", Grantee: "per-1"}}
		},
		"bad document date": func(r *Request) {
			r.Records.Documents = []Document{{ID: "d", Kind: CaregiverAffidavit, Grantee: "per-1", SignedOn: "yesterday"}}
		},
		"unknown covered action": func(r *Request) { r.Desk.VerbalConsent = []VerbalConsent{fromMom("tattoo")} },
		"document without grantee": func(r *Request) {
			r.Records.Documents = []Document{{ID: "d", Kind: CaregiverAffidavit}}
		},
		"restriction without person": func(r *Request) {
			r.Records.Restrictions = []Restriction{{Covers: []Action{AllActions}}}
		},
		"refusal without guardian": func(r *Request) { r.Records.Refusals = []Refusal{{Covers: []Action{ConsentSick}}} },
		"no actions":               func(r *Request) { r.Requested = nil },
		"unknown action":           func(r *Request) { r.Requested = []Action{"consent_tattoo"} },

		// Version 2.
		"jurisdiction in lower case":      func(r *Request) { r.Jurisdiction = "us-tn" },
		"jurisdiction with a space":       func(r *Request) { r.Jurisdiction = "US-TN " },
		"jurisdiction a country":          func(r *Request) { r.Jurisdiction = "USA" },
		"jurisdiction with an underscore": func(r *Request) { r.Jurisdiction = "US_TN" },
		"patient's id, not self":          func(r *Request) { r.Companion.ID = "pt-1" },
		"two documents, one id": func(r *Request) {
			r.Records.Documents = []Document{proxy, proxy, {ID: "e", Kind: CaregiverAffidavit, Grantee: "per-1"}, proxy}
		},
		"two guardians, one person": func(r *Request) {
			r.Records.Guardians = append(r.Records.Guardians, r.Records.Guardians[0])
		},
		"restriction covering nothing": func(r *Request) {
			r.Records.Restrictions = []Restriction{{Person: "per-x", Covers: []Action{}}}
		},
		"restriction without covers": func(r *Request) { r.Records.Restrictions = []Restriction{{Person: "per-x"}} },
		"refusal without covers":     func(r *Request) { r.Records.Refusals = []Refusal{{By: "per-mom"}} },
		"refusal by someone not on file": func(r *Request) {
			r.Records.Refusals = []Refusal{{By: "per-aunt", Covers: []Action{ConsentSick}}}
		},
		"designation without covers": func(r *Request) { r.Records.Designations = []Designation{{Person: "per-1"}} },
		"phone consent to nothing":   func(r *Request) { r.Desk.VerbalConsent = []VerbalConsent{fromMom()} },
		"document without covers is the law's scope": func(r *Request) {
			r.Records.Documents = []Document{{ID: "d", Kind: CaregiverAffidavit, Grantee: "per-1"}}
		},
		"proxy without grantor": func(r *Request) {
			r.Records.Documents = []Document{{ID: "d", Kind: ProxyAuthorization, Grantee: "per-1"}}
		},
		"hipaa authorization without grantor": func(r *Request) {
			r.Records.Documents = []Document{{ID: "d", Kind: HIPAAAuthorization, Grantee: "per-1"}}
		},
		"healthcare poa without grantor": func(r *Request) {
			r.Records.Documents = []Document{{ID: "d", Kind: HealthcarePOA, Grantee: "per-1"}}
		},
		"foster placement without grantor": func(r *Request) {
			r.Records.Documents = []Document{{ID: "d", Kind: FosterPlacement, Grantee: "per-1"}}
		},
		"negative witnesses": func(r *Request) {
			r.Records.Documents = []Document{{ID: "d", Kind: CaregiverAffidavit, Grantee: "per-1", Witnesses: -2}}
		},

		// Limits, each at one more than allowed.
		"51 guardians": func(r *Request) {
			r.Records.Guardians = many(MaxEntries+1, parent)
		},
		"51 documents": func(r *Request) {
			r.Records.Documents = many(MaxEntries+1, func(i int) Document {
				return Document{ID: fmt.Sprint("d", i), Kind: CaregiverAffidavit, Grantee: "per-1"}
			})
		},
		"51 restrictions": func(r *Request) {
			r.Records.Restrictions = many(MaxEntries+1, func(int) Restriction {
				return Restriction{Person: "x", Covers: []Action{AllActions}}
			})
		},
		"51 refusals": func(r *Request) {
			r.Records.Refusals = many(MaxEntries+1, func(int) Refusal {
				return Refusal{By: "per-mom", Covers: []Action{ConsentSick}}
			})
		},
		"51 designations": func(r *Request) {
			r.Records.Designations = many(MaxEntries+1, func(int) Designation {
				return Designation{Person: "x", Covers: []Action{AllActions}}
			})
		},
		"51 phone consents": func(r *Request) {
			r.Desk.VerbalConsent = many(MaxEntries+1, func(int) VerbalConsent { return fromMom(ConsentSick) })
		},
		"12 requested": func(r *Request) { r.Requested = slices.Concat(Actions(), []Action{Accompany}) },
		"12 covered by a document": func(r *Request) {
			d := proxy
			d.Covers = append([]Action{AllActions}, Actions()...)
			r.Records.Documents = []Document{d}
		},
		"12 covered by a restriction": func(r *Request) {
			r.Records.Restrictions = []Restriction{{Person: "x", Covers: append([]Action{AllActions}, Actions()...)}}
		},
		"12 covered by phone": func(r *Request) {
			r.Desk.VerbalConsent = []VerbalConsent{fromMom(slices.Concat(Actions(), []Action{Accompany})...)}
		},
		"50 of each and 11 actions": func(r *Request) {
			r.Records.Guardians = many(MaxEntries, parent)
			r.Desk.VerbalConsent = many(MaxEntries, func(int) VerbalConsent { return fromMom(Actions()...) })
			r.Requested = Actions()
		},
		"long jurisdiction":   func(r *Request) { r.Jurisdiction = long },
		"long practice":       func(r *Request) { r.Practice = long },
		"long patient id":     func(r *Request) { r.Patient.ID = long },
		"long patient name":   func(r *Request) { r.Patient.Name = long },
		"long status":         func(r *Request) { r.Patient.Statuses = []Status{Status(long)} },
		"long companion name": func(r *Request) { r.Companion.Name = long },
		"long relationship":   func(r *Request) { r.Companion.Relationship = Relationship(long) },
		"long guardian name":  func(r *Request) { r.Records.Guardians[0].Name = long },
		"long document id":    func(r *Request) { d := proxy; d.ID = long; r.Records.Documents = []Document{d} },
		"long grantor":        func(r *Request) { d := proxy; d.GrantedBy = long; r.Records.Documents = []Document{d} },
		"long covered action": func(r *Request) {
			d := proxy
			d.Covers = []Action{Action(long)}
			r.Records.Documents = []Document{d}
		},
		"long restriction source": func(r *Request) {
			r.Records.Restrictions = []Restriction{{Person: "x", Covers: []Action{AllActions}, Source: long}}
		},
		"long refusal guardian": func(r *Request) {
			r.Records.Refusals = []Refusal{{By: long, Covers: []Action{ConsentSick}}}
		},
		"long designated person": func(r *Request) {
			r.Records.Designations = []Designation{{Person: long, Covers: []Action{AllActions}}}
		},
		"long phone witness": func(r *Request) {
			v := fromMom(ConsentSick)
			v.Witness = long
			r.Desk.VerbalConsent = []VerbalConsent{v}
		},
		"long requested action": func(r *Request) { r.Requested = []Action{Action(long)} },
		"200 characters is not too long": func(r *Request) {
			r.Companion.Name = long[:len(long)-len("é")]
		},
	} {
		t.Run(name, func(t *testing.T) {
			req := base
			req.Records.Guardians = append([]Guardian(nil), base.Records.Guardians...)
			change(&req)
			goFields := fieldsOf(validate(p.Data(), &req))
			assert.Equal(t, goFields, regoFields(t, e, req.inputValue()))
			assert.Equal(t, valid[name], len(goFields) == 0, "valid: %v", goFields)
		})
	}

	// What only JSON can say: each case sets one field of base's JSON.
	null := json.RawMessage("null")
	for name, tc := range map[string]struct {
		path  string
		value any
	}{
		"null age":          {"companion.age", null},
		"null name":         {"companion.name", null},
		"null present":      {"patient.present", null},
		"null emergency":    {"emergency", null},
		"null jurisdiction": {"jurisdiction", null},
		"null records":      {"records", null},
		"null guardians":    {"records.guardians", null},
		"null guardian":     {"records.guardians", []any{null}},
		"null custody": {"records.guardians", []any{
			map[string]any{"person": "g", "role": "parent", "legal_custody": nil},
		}},
		"null revoked": {"records.documents", affidavitWith("revoked", nil)},
		"null covers":  {"records.restrictions", []any{map[string]any{"person": "x", "covers": nil}}},
		"null covered action": {"records.restrictions", []any{
			map[string]any{"person": "x", "covers": []any{"*", nil}},
		}},
		"null requested":                  {"requested", null},
		"REVOKED":                         {"records.documents", affidavitWith("REVOKED", true)},
		"Jurisdiction":                    {"Jurisdiction", "US-TX"},
		"Companion.Age":                   {"companion.Age", 12},
		"unknown top-level key":           {"colour", "red"},
		"unknown document key":            {"records.documents", affidavitWith("expires", "2027-01-01")},
		"age as a string":                 {"companion.age", "35"},
		"age with a fraction":             {"companion.age", 34.5},
		"revoked as a string":             {"records.documents", affidavitWith("revoked", "false")},
		"covers as a string":              {"records.restrictions", []any{map[string]any{"person": "x", "covers": "*"}}},
		"requested as a string":           {"requested", "consent_sick"},
		"patient as a list":               {"patient", []any{}},
		"emergency as a number":           {"emergency", 1},
		"witnesses in fractions":          {"records.documents", affidavitWith("witnesses", 1.5)},
		"long value under an unknown key": {"colour", long},
		"empty identity":                  {"companion.identity", ""},
		"empty practice":                  {"practice", ""},
		"empty companion name":            {"companion.name", ""},
		"empty document end date":         {"records.documents", affidavitWith("valid_until", "")},
		"empty restriction end date": {"records.restrictions", []any{
			map[string]any{"person": "x", "covers": []any{"*"}, "valid_until": ""},
		}},
	} {
		t.Run(name, func(t *testing.T) {
			raw := withJSON(t, base, tc.path, tc.value)
			var goErr error
			req, err := ParseRequest(raw)
			if goErr = err; err == nil {
				goErr = validate(p.Data(), &req)
			}
			require.Error(t, goErr, "%s", raw)
			var doc any
			require.NoError(t, util.UnmarshalJSON(raw, &doc))
			input, err := ast.InterfaceToValue(doc)
			require.NoError(t, err)
			assert.Equal(t, fieldsOf(goErr), regoFields(t, e, input), "%s", raw)
		})
	}
}

// validate is what Decide checks before it evaluates anything.
func validate(data map[string]any, req *Request) error {
	if err := req.Validate(); err != nil {
		return err
	}
	profiles, _ := data["practices"].(map[string]any)
	if _, ok := profiles[req.Practice]; req.Practice != "" && !ok {
		return &ValidationError{Problems: []Problem{{Field: "practice"}}}
	}
	return nil
}

func fieldsOf(err error) []string {
	fields := []string{}
	if v, ok := err.(*ValidationError); ok {
		for _, pr := range v.Problems {
			fields = append(fields, pr.Field)
		}
	}
	sort.Strings(fields)
	return fields
}

// regoFields are the fields data.checkin.decision names as problems.
func regoFields(t *testing.T, e *Engine, input ast.Value) []string {
	t.Helper()
	out, _, err := e.deciding().Query(context.Background(), "data.checkin.decision", input, false)
	require.NoError(t, err)
	fields := []string{}
	if problems := out.(ast.Object).Get(ast.StringTerm("problems")); problems != nil {
		problems.Value.(*ast.Array).Foreach(func(t *ast.Term) {
			fields = append(fields, string(t.Value.(ast.Object).Get(ast.StringTerm("field")).Value.(ast.String)))
		})
	}
	sort.Strings(fields)
	return fields
}

// parent is the i-th of many guardians.
func parent(i int) Guardian { return Guardian{Person: fmt.Sprint("g", i), Role: RoleParent} }

// affidavitWith is a list of one caregiver's affidavit, in JSON, with one more key.
func affidavitWith(key string, value any) []any {
	return []any{map[string]any{"id": "d", "kind": "caregiver_affidavit", "grantee": "c", key: value}}
}

func many[T any](n int, entry func(int) T) []T {
	list := make([]T, n)
	for i := range list {
		list[i] = entry(i)
	}
	return list
}

// withJSON is req's JSON with the field at a dotted path set to value.
func withJSON(t *testing.T, req Request, path string, value any) []byte {
	t.Helper()
	raw, err := json.Marshal(req)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	keys := strings.Split(path, ".")
	at := doc
	for _, k := range keys[:len(keys)-1] {
		next, _ := at[k].(map[string]any)
		if next == nil {
			next = map[string]any{}
			at[k] = next
		}
		at = next
	}
	at[keys[len(keys)-1]] = value
	raw, err = json.Marshal(doc)
	require.NoError(t, err)
	return raw
}

// The limits and the shape of a request have one home in Go (limits.go, and
// Request's own fields), one in Rego and one in the JSON Schema: they agree.
func TestShapeAndLimitsAgree(t *testing.T) {
	e, err := New(context.Background())
	require.NoError(t, err)
	query := func(q string) any {
		out, _, err := e.deciding().Query(context.Background(), q, ast.NewObject(), false)
		require.NoError(t, err)
		v, err := ast.JSON(out)
		require.NoError(t, err)
		return v
	}
	assert.Equal(t, map[string]any{
		"entries": json.Number(fmt.Sprint(MaxEntries)), "actions": json.Number(fmt.Sprint(MaxActions)),
		"characters": json.Number(fmt.Sprint(MaxTextLength)),
	}, numbersAsJSON(query("data.checkin.limits")))
	assert.Equal(t, jurisdictionPattern, query("data.checkin.jurisdiction_pattern"))
	assert.Equal(t, regoShape(requestShape), numbersAsJSON(query("data.checkin.request_shape")))

	schema := inputSchema.(map[string]any)
	jurisdiction := schema["properties"].(map[string]any)["jurisdiction"].(map[string]any)
	assert.Equal(t, jurisdictionPattern, jurisdiction["pattern"])
	schemaAgrees(t, "", requestShape, schema)
}

// regoShape writes a shape as validation.rego's request_shape does.
func regoShape(s *shape) any {
	switch s.kind {
	case kindObject:
		fields := map[string]any{}
		for name, f := range s.fields {
			fields[name] = regoShape(f)
		}
		return fields
	case kindList:
		if s.atMost == 0 {
			return []any{regoShape(s.elem)}
		}
		return []any{regoShape(s.elem), json.Number(fmt.Sprint(s.atMost))}
	default:
		return map[shapeKind]string{kindString: "string", kindWhole: "whole number", kindBoolean: "boolean"}[s.kind]
	}
}

// numbersAsJSON writes every number as a json.Number, for comparisons.
func numbersAsJSON(v any) any {
	raw, _ := json.Marshal(v)
	var out any
	_ = util.UnmarshalJSON(raw, &out)
	return out
}

func schemaAgrees(t *testing.T, path string, s *shape, schema map[string]any) {
	t.Helper()
	types := map[shapeKind]string{
		kindString: "string", kindWhole: "integer", kindBoolean: "boolean", kindList: "array", kindObject: "object",
	}
	if !assert.Equal(t, types[s.kind], schema["type"], path) {
		return
	}
	switch s.kind {
	case kindString:
		assert.EqualValues(t, MaxTextLength, schema["maxLength"], path)
	case kindList:
		if s.atMost > 0 {
			assert.EqualValues(t, s.atMost, schema["maxItems"], path)
		} else {
			assert.NotContains(t, schema, "maxItems", path)
		}
		schemaAgrees(t, path+"[]", s.elem, schema["items"].(map[string]any))
	case kindObject:
		assert.Equal(t, false, schema["additionalProperties"], path)
		properties := schema["properties"].(map[string]any)
		assert.Len(t, properties, len(s.fields), path)
		for name, f := range s.fields {
			if assert.Contains(t, properties, name, path) {
				schemaAgrees(t, strings.TrimPrefix(path+"."+name, "."), f, properties[name].(map[string]any))
			}
		}
	}
}

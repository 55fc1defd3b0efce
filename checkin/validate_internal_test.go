package checkin

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Go and Rego check requests against the same contract: for callers of the
// Go API and for callers of data.checkin.decision. They must name the same
// fields.
func TestGoAndRegoValidationAgree(t *testing.T) {
	e, err := New(context.Background())
	require.NoError(t, err)
	p := e.current.Load()
	base := Request{
		At:           time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC),
		Jurisdiction: "US-KS",
		Patient:      Patient{ID: "pt-1", BirthDate: "2019-05-10"},
		Companion:    Companion{ID: "per-1", Relationship: AuntUncle, Age: 35},
		Records:      Records{Guardians: []Guardian{{Person: "per-mom", Role: RoleParent}}},
		Requested:    []Action{ConsentSick},
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
			r.Records.Documents = []Document{{ID: "d", Kind: ProxyAuthorization, Grantee: "per-1", SignedOn: "yesterday"}}
		},
		"unknown covered action": func(r *Request) {
			r.Desk.VerbalConsent = []VerbalConsent{{From: "per-mom", Covers: []Action{"tattoo"}}}
		},
		"document without grantee": func(r *Request) {
			r.Records.Documents = []Document{{ID: "d", Kind: ProxyAuthorization}}
		},
		"restriction without person": func(r *Request) {
			r.Records.Restrictions = []Restriction{{Covers: []Action{AllActions}}}
		},
		"refusal without guardian": func(r *Request) { r.Records.Refusals = []Refusal{{Covers: []Action{ConsentSick}}} },
		"no actions":               func(r *Request) { r.Requested = nil },
		"unknown action":           func(r *Request) { r.Requested = []Action{"consent_tattoo"} },
	} {
		t.Run(name, func(t *testing.T) {
			req := base
			req.Records.Guardians = append([]Guardian(nil), base.Records.Guardians...)
			change(&req)

			var goFields []string
			err := req.Validate()
			if err == nil {
				err = checkPractice(p, req.Practice)
			}
			if v, ok := err.(*ValidationError); ok {
				for _, pr := range v.Problems {
					goFields = append(goFields, pr.Field)
				}
			}

			out, _, err := p.Query(context.Background(), "data.checkin.decision", req.inputValue(), false)
			require.NoError(t, err)
			var regoFields []string
			if problems := out.(ast.Object).Get(ast.StringTerm("problems")); problems != nil {
				problems.Value.(*ast.Array).Foreach(func(t *ast.Term) {
					regoFields = append(regoFields, string(t.Value.(ast.Object).Get(ast.StringTerm("field")).Value.(ast.String)))
				})
			}
			sort.Strings(goFields)
			sort.Strings(regoFields)
			assert.Equal(t, goFields, regoFields)
		})
	}
}

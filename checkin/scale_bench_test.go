package checkin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// BenchmarkRequestSize decides requests with n entries in each list (n up
// to the contract's limit), to show how a decision's cost grows with the
// request. The contract wants it linear: about 2x per doubling of n, where
// a rule over the product of two lists gives about 4x.
//
//	go test -run '^$' -bench RequestSize -count 1 ./checkin
//
// Besides ns/op each size reports x/prev (against the size before it) and
// x/doubling (that ratio scaled to an exact doubling of n).
func BenchmarkRequestSize(b *testing.B) {
	e, err := checkin.New(context.Background())
	require.NoError(b, err)
	sizes := []int{6, 12, 25, checkin.MaxEntries}
	perOp := map[int]float64{}
	for i, n := range sizes {
		req := sizedRequest(n)
		_, err := e.Decide(context.Background(), req)
		require.NoError(b, err, "the request of size %d is valid", n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := e.Decide(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
			perOp[n] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if i > 0 {
				prev := sizes[i-1]
				ratio := perOp[n] / perOp[prev]
				b.ReportMetric(ratio, "x/prev")
				b.ReportMetric(math.Pow(ratio, 1/math.Log2(float64(n)/float64(prev))), "x/doubling")
			}
		})
	}
}

// sizedRequest is a valid request with n guardians, documents,
// restrictions, refusals and consents by phone, asking every action. The
// companion is named in some of each: a document in five is theirs, and so
// is one restriction and one consent by phone.
func sizedRequest(n int) checkin.Request {
	const companion = "per-aunt"
	req := checkin.Request{
		At:           visitTime,
		Jurisdiction: "US-CA",
		Patient:      jamie,
		Companion: checkin.Companion{ID: companion, Name: "Maria Lopez", Relationship: checkin.AuntUncle, Age: 35,
			Identity: checkin.PhotoID, BroughtPatient: true, LivesWithPatient: true},
		Requested: checkin.Actions(),
	}
	for i := range n {
		guardian := fmt.Sprintf("per-g%d", i)
		grantee := fmt.Sprintf("per-d%d", i)
		if i%5 == 0 {
			grantee = companion
		}
		restricted := fmt.Sprintf("per-r%d", i)
		if i == n-1 {
			restricted = companion
		}
		req.Records.Guardians = append(req.Records.Guardians, checkin.Guardian{
			Person: guardian, Name: fmt.Sprintf("Guardian %d", i), Role: checkin.RoleParent,
		})
		req.Records.Documents = append(req.Records.Documents, checkin.Document{
			ID: fmt.Sprintf("doc-%d", i), Kind: checkin.ProxyAuthorization, GrantedBy: guardian, Grantee: grantee,
			Covers:    []checkin.Action{checkin.ConsentSick, checkin.ConsentVaccine, checkin.DiscussCare},
			ValidFrom: "2026-01-01", ValidUntil: "2027-01-01",
		})
		req.Records.Restrictions = append(req.Records.Restrictions, checkin.Restriction{
			Person: restricted, Covers: []checkin.Action{checkin.ReceiveRecords}, Source: "court_order",
		})
		req.Records.Refusals = append(req.Records.Refusals, checkin.Refusal{
			By: guardian, Covers: []checkin.Action{checkin.ConsentBehavioral},
		})
		from := guardian
		if i == 1 {
			from = companion
		}
		req.Desk.VerbalConsent = append(req.Desk.VerbalConsent, checkin.VerbalConsent{
			From: from, Covers: []checkin.Action{checkin.ConsentWellness}, Witness: "staff-3",
		})
	}
	return req
}

// A decision's cost grows linearly with the request, counted rather than
// timed so that a shared, noisy machine cannot hide a product of two lists:
// the steps OPA's trace records for a request with twice the entries in
// every list are about twice as many (a rule over two lists would give four).
func TestDecisionCostIsLinear(t *testing.T) {
	t.Parallel()
	e, err := checkin.New(t.Context())
	require.NoError(t, err)
	steps := func(n int) int {
		raw, err := json.Marshal(sizedRequest(n))
		require.NoError(t, err)
		var doc any
		require.NoError(t, json.Unmarshal(raw, &doc))
		input, err := ast.InterfaceToValue(doc)
		require.NoError(t, err)
		_, trace, err := checkin.PolicyOf(e).Query(t.Context(), "data.checkin.valid_decision", input, true)
		require.NoError(t, err)
		return strings.Count(trace, "\n")
	}
	// The cost of each entry added: from 12 to 25 entries, and from 25 to
	// 50. A linear policy adds about the same per entry both times; a rule
	// over two lists adds more the more there are.
	small, half, full := steps(12), steps(checkin.MaxEntries/2), steps(checkin.MaxEntries)
	lower := float64(half-small) / float64(checkin.MaxEntries/2-12)
	upper := float64(full-half) / float64(checkin.MaxEntries-checkin.MaxEntries/2)
	t.Logf("trace steps at 12, 25, 50 entries: %d, %d, %d; per entry added %.0f then %.0f", small, half, full, lower, upper)
	require.Less(t, upper/lower, 1.25, "each entry costs %.2fx more at 50 than at 25: some rule ranges over the product of two lists", upper/lower)
}

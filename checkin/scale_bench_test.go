package checkin_test

import (
	"context"
	"fmt"
	"math"
	"testing"

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
		Requested: checkin.Actions,
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
			Covers:    checkin.ActionList{checkin.ConsentSick, checkin.ConsentVaccine, checkin.DiscussCare},
			ValidFrom: "2026-01-01", ValidUntil: "2027-01-01",
		})
		req.Records.Restrictions = append(req.Records.Restrictions, checkin.Restriction{
			Person: restricted, Covers: checkin.ActionList{checkin.ReceiveRecords}, Source: "court_order",
		})
		req.Records.Refusals = append(req.Records.Refusals, checkin.Refusal{
			By: guardian, Covers: checkin.ActionList{checkin.ConsentBehavioral},
		})
		from := guardian
		if i == 1 {
			from = companion
		}
		req.Desk.VerbalConsent = append(req.Desk.VerbalConsent, checkin.VerbalConsent{
			From: from, Covers: checkin.ActionList{checkin.ConsentWellness}, Witness: "staff-3",
		})
	}
	return req
}

package checkintest

// The grid is check-in requests that cover the contract's vocabulary: every
// relationship, guardian role, document state, patient age band and action,
// in every jurisdiction. Property tests decide them all, and policy
// comparisons decide them under two policies.

import (
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// A Cell names one point of the grid: one request for one action.
type Cell struct {
	Relationship checkin.Relationship
	Role         string // "none", "custodial" or "noncustodial": the companion's standing as a guardian on record
	Documents    string // what is on file or said at the desk, such as "proxy_expired" or "barred_refusal"
	AgeBand      string // the patient's age: "child", "teen", ..., "adult", "adult_lacking_capacity"
	Identity     checkin.Identity
	Jurisdiction string
	Action       checkin.Action
}

func (c Cell) String() string {
	return fmt.Sprintf("%s/%s/%s/%s/%s/%s/%s", c.Jurisdiction, c.AgeBand, c.Relationship, c.Role, c.Identity, c.Documents, c.Action)
}

// roles are the companion's standings as a guardian.
var roles = []string{"none", "custodial", "noncustodial"}

// documents are the states of what is on file or said at the desk. In the
// "barred_" states the mother is under a protective order, covering every
// action except in "barred_from_pick_up_proxy", and the state's document,
// phone consent or refusal is hers.
var documents = []string{
	"none", "proxy", "proxy_expired", "proxy_revoked", "proxy_out_of_scope", "proxy_not_from_guardian",
	"caregiver_affidavit", "foster_placement", "hipaa_authorization", "verbal_consent", "guardian_unreachable",
	"restriction", "refusal", "emergency", "restriction_emergency",
	"barred_proxy", "barred_hipaa_authorization", "barred_verbal_consent", "barred_refusal",
	"barred_from_pick_up_proxy",
}

// identities are how staff know the companion: checked, or not yet.
var identities = []checkin.Identity{checkin.PhotoID, checkin.Unverified}

// ageBands are patient ages: the ages at which the rules change hands.
var ageBands = []string{"child", "teen", "older_minor", "eighteen", "nineteen", "adult", "adult_lacking_capacity"}

var ages = map[string]int{"child": 6, "teen": 13, "older_minor": 16, "eighteen": 18, "nineteen": 19, "adult": 45, "adult_lacking_capacity": 80}

// The vocabulary the grid spans, read once.
var (
	actions       = checkin.Actions()
	relationships = checkin.Relationships()
)

// at is the moment every grid request is decided at.
var at = time.Date(2026, 11, 22, 9, 30, 0, 0, time.FixedZone("CST", -6*60*60))

// GridSize is the number of cells in the grid over the given jurisdictions.
func GridSize(jurisdictions []string) int {
	return len(relationships) * len(roles) * len(documents) * len(ageBands) * len(identities) * len(jurisdictions) * len(actions)
}

// Grid yields every n-th cell of the grid over the given jurisdictions, n
// chosen so that about want cells come out (all of them when want is 0 or at
// least GridSize). The stride is odd, so a sample still reaches every value
// of every dimension.
func Grid(jurisdictions []string, want int) iter.Seq[Cell] {
	total := GridSize(jurisdictions)
	stride := 1
	if want > 0 && want < total {
		stride = total / want
		if stride%2 == 0 {
			stride--
		}
	}
	return func(yield func(Cell) bool) {
		for i := 0; i < total; i += stride {
			if !yield(cellAt(i, jurisdictions)) {
				return
			}
		}
	}
}

func cellAt(i int, jurisdictions []string) Cell {
	var c Cell
	pick := func(n int) int {
		k := i % n
		i /= n
		return k
	}
	c.Action = actions[pick(len(actions))]
	c.Relationship = relationships[pick(len(relationships))]
	c.Documents = documents[pick(len(documents))]
	c.Role = roles[pick(len(roles))]
	c.AgeBand = ageBands[pick(len(ageBands))]
	c.Identity = identities[pick(len(identities))]
	c.Jurisdiction = jurisdictions[pick(len(jurisdictions))]
	return c
}

// The people of every grid request.
const (
	patientID   = "pt-1"
	companionID = "per-companion"
	motherID    = "per-mother"
	fatherID    = "per-father"
	// GridGuardianName is the mother, the guardian on file in every grid
	// request: the person a "barred_" state bars.
	GridGuardianName = "Ana Lee"
	// GridCompanionName is the companion of every grid request: the person
	// "restriction" bars.
	GridCompanionName = "Sam Lee"
)

// Request builds the cell's request, decided at 2026-11-22 09:30 CST.
func (c Cell) Request() checkin.Request {
	birth := at.AddDate(-ages[c.AgeBand], -2, 0).Format(time.DateOnly)
	r := checkin.Request{
		At:           at,
		Jurisdiction: c.Jurisdiction,
		Patient: checkin.Patient{
			ID: patientID, Name: "Pat Lee", BirthDate: birth,
			LacksCapacity: c.AgeBand == "adult_lacking_capacity",
		},
		Companion: checkin.Companion{
			ID: companionID, Name: GridCompanionName, Relationship: c.Relationship, Age: 35,
			Identity: c.Identity, BroughtPatient: true, LivesWithPatient: true,
		},
		Records:   checkin.Records{Guardians: []checkin.Guardian{{Person: motherID, Name: GridGuardianName, Role: checkin.RoleParent}}},
		Requested: []checkin.Action{c.Action},
	}
	if c.Relationship == checkin.Self {
		r.Companion.ID = patientID
		r.Companion.Age = ages[c.AgeBand]
	}
	switch c.Role {
	case "custodial", "noncustodial":
		g := checkin.Guardian{Person: r.Companion.ID, Name: r.Companion.Name, Role: checkin.RoleParent}
		if c.Relationship == checkin.LegalGuardian {
			g.Role = checkin.RoleCourtGuardian
		}
		if c.Role == "noncustodial" {
			g.LegalCustody = new(false)
		}
		r.Records.Guardians = append(r.Records.Guardians, g)
	}
	all := []checkin.Action{checkin.AllActions}
	proxy := checkin.Document{
		ID: "doc-1", Kind: checkin.ProxyAuthorization, GrantedBy: motherID, Grantee: r.Companion.ID,
		Covers: all, ValidFrom: "2026-01-01", ValidUntil: "2027-01-01",
	}
	// A patient of 18 is still a minor in some jurisdictions (19 in Alabama
	// and Nebraska), so their documents come from the mother, as a minor's
	// would; from 19 the patient grants their own.
	if ages[c.AgeBand] >= 19 {
		proxy.GrantedBy = patientID
	}
	switch c.Documents {
	case "proxy":
		r.Records.Documents = []checkin.Document{proxy}
	case "proxy_expired":
		proxy.ValidUntil = "2026-10-31"
		r.Records.Documents = []checkin.Document{proxy}
	case "proxy_revoked":
		proxy.Revoked = true
		r.Records.Documents = []checkin.Document{proxy}
	case "proxy_out_of_scope":
		proxy.Covers = []checkin.Action{checkin.SchoolNote}
		r.Records.Documents = []checkin.Document{proxy}
	case "proxy_not_from_guardian":
		proxy.GrantedBy = fatherID
		r.Records.Documents = []checkin.Document{proxy}
	case "caregiver_affidavit":
		r.Records.Documents = []checkin.Document{{
			ID: "doc-2", Kind: checkin.CaregiverAffidavit, Grantee: r.Companion.ID, Relative: true, SignedOn: "2026-06-01",
		}}
	case "foster_placement":
		// A placement counts only from the agency on file that made it.
		r.Records.Guardians = append(r.Records.Guardians,
			checkin.Guardian{Person: "agency-1", Name: "County Children's Services", Role: checkin.RoleAgency})
		r.Records.Documents = []checkin.Document{{
			ID: "doc-3", Kind: checkin.FosterPlacement, GrantedBy: "agency-1", Grantee: r.Companion.ID, ValidFrom: "2026-01-01",
		}}
	case "hipaa_authorization":
		hipaa := proxy
		hipaa.ID, hipaa.Kind = "doc-4", checkin.HIPAAAuthorization
		r.Records.Documents = []checkin.Document{hipaa}
	case "verbal_consent":
		r.Desk.VerbalConsent = []checkin.VerbalConsent{{From: motherID, Covers: all, Witness: "staff-1"}}
	case "guardian_unreachable":
		r.Desk.GuardianUnreachable = true
	case "restriction":
		r.Records.Restrictions = []checkin.Restriction{{Person: r.Companion.ID, Covers: all, Source: "protective_order"}}
	case "restriction_emergency":
		r.Records.Restrictions = []checkin.Restriction{{Person: r.Companion.ID, Covers: all, Source: "protective_order"}}
		r.Emergency = true
	case "refusal":
		// The mother refuses everything on anyone else's word, while every
		// delegation a companion could hold is in place.
		r.Records.Refusals = []checkin.Refusal{{By: motherID, Covers: all}}
		r.Records.Documents = []checkin.Document{proxy}
		r.Desk.GuardianUnreachable = true
	case "emergency":
		r.Emergency = true
	}
	if barred := strings.TrimPrefix(c.Documents, "barred_"); barred != c.Documents {
		order := checkin.Restriction{Person: motherID, Covers: all, Source: "protective_order"}
		if barred == "from_pick_up_proxy" {
			order.Covers, order.Source = []checkin.Action{checkin.PickUp}, "court_order"
		}
		r.Records.Restrictions = append(r.Records.Restrictions, order)
		proxy.GrantedBy = motherID // for an adult patient too: hers, whoever the patient is
		switch barred {
		case "proxy", "from_pick_up_proxy":
			r.Records.Documents = []checkin.Document{proxy}
		case "hipaa_authorization":
			proxy.ID, proxy.Kind = "doc-4", checkin.HIPAAAuthorization
			r.Records.Documents = []checkin.Document{proxy}
		case "verbal_consent":
			r.Desk.VerbalConsent = []checkin.VerbalConsent{{From: motherID, Covers: all, Witness: "staff-1"}}
		case "refusal":
			// The father, unrestricted, delegated everything; the barred
			// mother's refusal must not undo it.
			r.Records.Guardians = append(r.Records.Guardians,
				checkin.Guardian{Person: fatherID, Name: "Lou Lee", Role: checkin.RoleParent})
			r.Records.Refusals = []checkin.Refusal{{By: motherID, Covers: all}}
			proxy.GrantedBy = fatherID
			r.Records.Documents = []checkin.Document{proxy}
		}
	}
	return r
}

// Age is the patient's age in whole years on the day of the request.
func (c Cell) Age() int { return ages[c.AgeBand] }

// Barred reports whether the cell's mother is under a restriction covering
// the cell's action, so that nothing she granted, said or refused may count
// for it.
func (c Cell) Barred() bool {
	return strings.HasPrefix(c.Documents, "barred_") &&
		(c.Documents != "barred_from_pick_up_proxy" || c.Action == checkin.PickUp)
}

// Restricted reports whether the cell's companion is under a restriction.
func (c Cell) Restricted() bool {
	return c.Documents == "restriction" || c.Documents == "restriction_emergency"
}

// Delegated reports whether the cell's request holds a document that a
// companion acts on, and so can be removed, revoked or expired.
func (c Cell) Delegated() bool {
	switch c.Documents {
	case "proxy", "caregiver_affidavit", "foster_placement", "hipaa_authorization", "barred_refusal":
		return true
	}
	return false
}

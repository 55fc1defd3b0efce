package checkin_test

import (
	"context"
	"errors"
	"fmt"
	"testing/fstest"
	"time"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// visitTime is the morning every example happens on.
var visitTime = time.Date(2026, 11, 22, 9, 30, 0, 0, time.FixedZone("CST", -6*60*60))

// mother is the custodial parent on record in the examples about Jamie.
var mother = checkin.Guardian{Person: "per-mom", Name: "Ana Lopez", Role: checkin.RoleParent}

// jamie is a seven-year-old patient.
var jamie = checkin.Patient{ID: "pt-1", Name: "Jamie Lopez", BirthDate: "2019-05-10"}

// show prints each requested action's verdict, basis, conditions and remedies.
func show(d checkin.Decision, requested []checkin.Action) {
	fmt.Println("outcome:", d.Outcome)
	for _, a := range requested {
		ad := d.Actions[a]
		fmt.Printf("%s: %s %s\n", a, ad.Verdict, ad.Basis)
		for _, c := range ad.Conditions {
			fmt.Println("  do first:", c.Code)
		}
		for _, r := range ad.Remedies {
			fmt.Println("  to make it a yes:", r.Code)
		}
	}
}

// The mother's partner brings the sick child; the office calls the mother,
// who consents by phone.
func Example_partnerWithPhoneConsent() {
	engine, err := checkin.New(context.Background())
	if err != nil {
		panic(err)
	}
	req := checkin.Request{
		At:           visitTime,
		Jurisdiction: "US-KS",
		Patient:      jamie,
		Companion: checkin.Companion{
			ID: "per-sam", Name: "Sam Rivera", Relationship: checkin.ParentPartner, Age: 35,
			Identity: checkin.PhotoID, BroughtPatient: true,
		},
		Records: checkin.Records{Guardians: []checkin.Guardian{mother}},
		Desk: checkin.Desk{VerbalConsent: []checkin.VerbalConsent{
			{From: "per-mom", Covers: []checkin.Action{checkin.ConsentSick}, Witness: "staff-3"},
		}},
		Requested: []checkin.Action{checkin.Accompany, checkin.ConsentSick, checkin.ConsentVaccine, checkin.SchoolNote},
	}
	d, err := engine.Decide(context.Background(), req)
	if err != nil {
		panic(err)
	}
	show(d, req.Requested)
	// Output:
	// outcome: partial
	// accompany: allow_with_conditions ADULT_COMPANION
	//   do first: RECORD_RELATIONSHIP
	// consent_sick: allow_with_conditions VERBAL_CONSENT
	//   do first: DOCUMENT_VERBAL_CONSENT
	// consent_vaccine: deny NO_AUTHORITY
	//   to make it a yes: CALL_GUARDIAN
	//   to make it a yes: SIGN_PROXY_FORM
	// school_note: allow ACCOMPANYING_ADULT
}

// An aunt holds the mother's signed authorization, but her ID has not been
// checked, and procedures stay with the parent.
func Example_auntWithAuthorization() {
	engine, err := checkin.New(context.Background())
	if err != nil {
		panic(err)
	}
	req := checkin.Request{
		At:           visitTime,
		Jurisdiction: "US-KS",
		Patient:      jamie,
		Companion:    checkin.Companion{ID: "per-aunt", Name: "Maria Lopez", Relationship: checkin.AuntUncle, Age: 35},
		Records: checkin.Records{
			Guardians: []checkin.Guardian{mother},
			Documents: []checkin.Document{{
				ID: "doc-1", Kind: checkin.ProxyAuthorization, GrantedBy: "per-mom", Grantee: "per-aunt",
				Covers:    []checkin.Action{checkin.ConsentSick, checkin.ConsentProcedure},
				ValidFrom: "2026-01-10", ValidUntil: "2027-01-10",
			}},
		},
		Requested: []checkin.Action{checkin.ConsentSick, checkin.ConsentProcedure},
	}
	d, err := engine.Decide(context.Background(), req)
	if err != nil {
		panic(err)
	}
	show(d, req.Requested)
	// Output:
	// outcome: partial
	// consent_sick: allow_with_conditions PROXY_AUTHORIZATION
	//   do first: VERIFY_PHOTO_ID
	// consent_procedure: deny GUARDIAN_REQUIRED
	//   to make it a yes: CALL_GUARDIAN
}

// The sitter's authorization expired last month.
func Example_sitterWithExpiredForm() {
	engine, err := checkin.New(context.Background())
	if err != nil {
		panic(err)
	}
	req := checkin.Request{
		At:           visitTime,
		Jurisdiction: "US-KS",
		Patient:      jamie,
		Companion: checkin.Companion{
			ID: "per-sitter", Name: "Kim Park", Relationship: checkin.Sitter, Age: 22,
			Identity: checkin.PhotoID, BroughtPatient: true,
		},
		Records: checkin.Records{
			Guardians: []checkin.Guardian{mother},
			Documents: []checkin.Document{{
				ID: "doc-7", Kind: checkin.ProxyAuthorization, GrantedBy: "per-mom", Grantee: "per-sitter",
				Covers: []checkin.Action{checkin.ConsentSick}, ValidFrom: "2025-10-01", ValidUntil: "2026-10-31",
			}},
		},
		Requested: []checkin.Action{checkin.ConsentSick, checkin.PickUp},
	}
	d, err := engine.Decide(context.Background(), req)
	if err != nil {
		panic(err)
	}
	show(d, req.Requested)
	fmt.Println(d.Actions[checkin.ConsentSick].Reasons[0].Message)
	// Output:
	// outcome: partial
	// consent_sick: deny DOCUMENT_EXPIRED
	//   to make it a yes: CALL_GUARDIAN
	//   to make it a yes: RENEW_DOCUMENT
	//   to make it a yes: SIGN_PROXY_FORM
	// pick_up: allow ACCOMPANYING_ADULT
	// doc-7 (authorization to consent) has expired: its last day was 2026-10-31.
}

// A protective order on file bars the father, although he is a parent.
func Example_protectiveOrder() {
	engine, err := checkin.New(context.Background())
	if err != nil {
		panic(err)
	}
	req := checkin.Request{
		At:           visitTime,
		Jurisdiction: "US-KS",
		Patient:      jamie,
		Companion:    checkin.Companion{ID: "per-dad", Name: "Luis Lopez", Relationship: checkin.Parent, Age: 37, Identity: checkin.PhotoID},
		Records: checkin.Records{
			Guardians: []checkin.Guardian{mother, {Person: "per-dad", Name: "Luis Lopez", Role: checkin.RoleParent}},
			Restrictions: []checkin.Restriction{{
				Person: "per-dad", Covers: []checkin.Action{checkin.AllActions}, Source: "protective_order", ValidUntil: "2027-06-01",
			}},
		},
		Requested: []checkin.Action{checkin.PickUp, checkin.DiscussCare},
	}
	d, err := engine.Decide(context.Background(), req)
	if err != nil {
		panic(err)
	}
	show(d, req.Requested)
	fmt.Println(d.Obligations[0].Code)
	// Output:
	// outcome: refuse
	// pick_up: deny RESTRICTED_BY_ORDER
	//   to make it a yes: CALL_GUARDIAN
	//   to make it a yes: BRING_COURT_ORDER
	// discuss_care: deny RESTRICTED_BY_ORDER
	//   to make it a yes: CALL_GUARDIAN
	//   to make it a yes: BRING_COURT_ORDER
	// FOLLOW_SAFETY_PROTOCOL
}

// An adult patient decides who is involved in her care.
func Example_adultPatientWithFriend() {
	engine, err := checkin.New(context.Background())
	if err != nil {
		panic(err)
	}
	req := checkin.Request{
		At:           visitTime,
		Jurisdiction: "US-KS",
		Patient:      checkin.Patient{ID: "pt-9", Name: "Dana Cole", BirthDate: "1981-02-14"},
		Companion:    checkin.Companion{ID: "per-lee", Name: "Lee Ford", Relationship: checkin.Friend, Age: 44},
		Desk:         checkin.Desk{PatientAgrees: true},
		Requested:    []checkin.Action{checkin.Accompany, checkin.ConsentSick},
	}
	d, err := engine.Decide(context.Background(), req)
	if err != nil {
		panic(err)
	}
	show(d, req.Requested)
	// Output:
	// outcome: partial
	// accompany: allow PATIENT_AGREES
	// consent_sick: deny PATIENT_DECIDES
	//   to make it a yes: ASK_PATIENT
}

// Texas lets an adult aunt consent to a sick visit when no parent can be
// reached; the desk documents its attempts.
func Example_texasStatute() {
	engine, err := checkin.New(context.Background())
	if err != nil {
		panic(err)
	}
	req := checkin.Request{
		At:           visitTime,
		Jurisdiction: "US-TX",
		Patient:      jamie,
		Companion:    checkin.Companion{ID: "per-aunt", Name: "Maria Lopez", Relationship: checkin.AuntUncle, Age: 35, Identity: checkin.PhotoID},
		Records:      checkin.Records{Guardians: []checkin.Guardian{mother}},
		Desk:         checkin.Desk{GuardianUnreachable: true},
		Requested:    []checkin.Action{checkin.ConsentSick},
	}
	d, err := engine.Decide(context.Background(), req)
	if err != nil {
		panic(err)
	}
	show(d, req.Requested)
	// Output:
	// outcome: proceed_with_conditions
	// consent_sick: allow_with_conditions STATUTORY_RELATIVE
	//   do first: DOCUMENT_CONTACT_ATTEMPTS
}

// An invalid request is not decided: the error names every bad field.
func Example_invalidRequest() {
	engine, err := checkin.New(context.Background())
	if err != nil {
		panic(err)
	}
	_, err = engine.Decide(context.Background(), checkin.Request{
		At:           visitTime,
		Jurisdiction: "US-KS",
		Patient:      checkin.Patient{ID: "pt-1", BirthDate: "2019-13-40"},
		Companion:    checkin.Companion{ID: "per-x", Relationship: "cousin-in-law", Age: 30},
		Requested:    []checkin.Action{"consent_tattoo"},
	})
	var invalid *checkin.ValidationError
	if errors.As(err, &invalid) {
		for _, p := range invalid.Problems {
			fmt.Printf("%s: %s\n", p.Field, p.Problem)
		}
	}
	// Output:
	// patient.birth_date: "2019-13-40" is not a date (YYYY-MM-DD)
	// companion.relationship: "cousin-in-law" is not a relationship
	// requested[0]: "consent_tattoo" is not an action
}

// An overlay that does not compile, here for a function that does not exist,
// is reported file by file and line by line;
// nothing of it is used.
func Example_brokenOverlay() {
	overlay := fstest.MapFS{"careful.rego": {Data: []byte(`package overlay

guardian_required contains "pick_up" if is_night(input.at)
`)}}
	_, err := checkin.New(context.Background(), checkin.WithOverlay("careful", overlay))
	var broken *checkin.LoadError
	if errors.As(err, &broken) {
		for _, p := range broken.Problems {
			fmt.Println(p.File, p.Line, p.Code)
		}
	}
	// Output:
	// careful/careful.rego 3 rego_type_error
}

// Codes, not words, are what software acts on.
func ExampleCode() {
	engine, err := checkin.New(context.Background())
	if err != nil {
		panic(err)
	}
	d, err := engine.Decide(context.Background(), checkin.Request{
		At:           visitTime,
		Jurisdiction: "US-KS",
		Patient:      jamie,
		Companion:    checkin.Companion{ID: "per-aunt", Name: "Maria Lopez", Relationship: checkin.AuntUncle, Age: 34},
		Records:      checkin.Records{Guardians: []checkin.Guardian{mother}},
		Requested:    []checkin.Action{checkin.ConsentSick},
	})
	if err != nil {
		panic(err)
	}
	for _, r := range d.Actions[checkin.ConsentSick].Remedies {
		if r.Code == checkin.CodeCallGuardian {
			fmt.Println("offer to call:", r.Message)
		}
	}
	// Output:
	// offer to call: Call Ana Lopez to consent by phone, with a staff witness.
}

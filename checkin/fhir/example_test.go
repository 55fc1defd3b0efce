package fhir_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/fhir"
)

// Jamie's aunt Maria brings her in; the practice's FHIR store has Jamie, her
// parents, Maria (an emergency contact coded as maternal aunt) and the
// mother's proxy authorization for Maria, as a Bundle. The desk adds what
// only the desk knows: who is at the desk, the ID seen, what is asked.
func Example() {
	var checkIn struct {
		Bundle json.RawMessage `json:"bundle"`
	}
	data, err := os.ReadFile("testdata/checkins/lopez.json")
	if err == nil {
		err = json.Unmarshal(data, &checkIn)
	}
	if err != nil {
		fmt.Println(err)
		return
	}

	resources, err := fhir.ParseBundle(checkIn.Bundle) // Patient, RelatedPersons, Consents
	if err != nil {
		fmt.Println(err) // a *fhir.Error; fhir.OperationOutcome(err) renders it for an EHR
		return
	}
	req, err := fhir.Request(resources, fhir.Facts{
		At:           time.Date(2026, 12, 2, 9, 30, 0, 0, time.FixedZone("CST", -6*60*60)),
		Jurisdiction: "US-TX",
		Companion:    fhir.CompanionFacts{Reference: "RelatedPerson/maria", Identity: checkin.PhotoID, BroughtPatient: true},
		Requested:    []checkin.Action{checkin.Accompany, checkin.ConsentSick},
	})
	if err != nil {
		fmt.Println(err) // each issue names the resource and the FHIRPath of what is wrong
		return
	}
	fmt.Println("companion:", req.Companion.Relationship, "age", req.Companion.Age)
	fmt.Println("guardians:", len(req.Records.Guardians), "documents:", len(req.Records.Documents))

	ctx := context.Background()
	engine, err := checkin.New(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	decision, err := engine.Decide(ctx, req)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range req.Requested {
		fmt.Println(a, decision.Actions[a].Verdict, decision.Actions[a].Basis)
	}
	// Output:
	// companion: aunt_uncle age 34
	// guardians: 2 documents: 1
	// accompany allow PROXY_AUTHORIZATION
	// consent_sick allow PROXY_AUTHORIZATION
}

// What cannot be mapped exactly is an error naming the resource and the
// FHIRPath of the problem, and nothing is decided.
func ExampleRequest_error() {
	resources, err := fhir.ParseBundle([]byte(`{"resourceType": "Bundle", "type": "collection", "entry": [
		{"resource": {"resourceType": "Patient", "id": "jamie", "birthDate": "2019-05"}},
		{"resource": {"resourceType": "RelatedPerson", "id": "peter", "patient": {"reference": "Patient/jamie"},
		 "relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": "C"}]}]}}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = fhir.Request(resources, fhir.Facts{
		At:           time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC),
		Jurisdiction: "US-TX",
		Companion:    fhir.CompanionFacts{Reference: "RelatedPerson/peter"},
		Requested:    []checkin.Action{checkin.Accompany},
	})
	var mapping *fhir.Error
	if errors.As(err, &mapping) {
		for _, issue := range mapping.Issues {
			fmt.Printf("%s: %s\n", issue.Path, issue.Code)
		}
	}
	// Output:
	// Patient/jamie.birthDate: value
	// RelatedPerson/peter.relationship: code-invalid
	// RelatedPerson/peter.birthDate: required
}

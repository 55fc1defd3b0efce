package fhir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// Facts are what FHIR does not carry: what the desk knows and what is
// asked. People are named by their FHIR references ("RelatedPerson/f001",
// "Patient/example"), as the request will name them. In JSON (snake_case,
// as the contract spells it):
//
//	{"at": "2026-12-02T09:30:00-06:00", "jurisdiction": "US-TX", "practice": "default", "emergency": false,
//	 "companion": {"reference": "RelatedPerson/f001", "identity": "photo_id", "lives_with_patient": true,
//	               "brought_patient": true, "age": 34},
//	 "patient": {"statuses": ["married"], "lacks_capacity": false, "present": true},
//	 "guardians": [{"reference": "RelatedPerson/mom", "role": "parent", "legal_custody": true}],
//	 "restrictions": [{"person": "RelatedPerson/dad", "covers": ["pick_up"], "source": "court_order"}],
//	 "designations": [{"person": "RelatedPerson/f001", "covers": ["discuss_care"]}],
//	 "desk": {"verbal_consent": [{"from": "RelatedPerson/mom", "covers": ["consent_sick"]}],
//	          "guardian_unreachable": false, "patient_agrees": false},
//	 "requested": ["accompany", "consent_sick"]}
type Facts struct {
	At           time.Time      `json:"at"`
	Jurisdiction string         `json:"jurisdiction"`
	Practice     string         `json:"practice,omitempty"`
	Emergency    bool           `json:"emergency,omitempty"`
	Companion    CompanionFacts `json:"companion"`
	Patient      PatientFacts   `json:"patient,omitempty"`
	// Guardians, when not nil, replace the guardians the mapping would infer
	// from the RelatedPersons (parents and GUARD), entirely: for an agency,
	// or a parent without legal custody. An empty, non-nil list says the
	// patient has no guardian on file.
	Guardians    []GuardianFact        `json:"guardians,omitempty"`
	Restrictions []checkin.Restriction `json:"restrictions,omitempty"`
	Designations []checkin.Designation `json:"designations,omitempty"`
	Desk         checkin.Desk          `json:"desk,omitempty"`
	Requested    []checkin.Action      `json:"requested"`
}

// CompanionFacts are what the desk knows of the companion. Reference names
// the companion's RelatedPerson, or the Patient when the patient asks for
// themselves. Age, when given, is the companion's age in whole years: needed
// when the RelatedPerson has no full birth date, and checked against it when
// it has one.
type CompanionFacts struct {
	Reference        string           `json:"reference"`
	Identity         checkin.Identity `json:"identity,omitempty"`
	LivesWithPatient bool             `json:"lives_with_patient,omitempty"`
	BroughtPatient   bool             `json:"brought_patient,omitempty"`
	Age              *int             `json:"age,omitempty"`
}

// PatientFacts are what the desk knows of the patient beyond the Patient
// resource.
type PatientFacts struct {
	Statuses      []checkin.Status `json:"statuses,omitempty"`
	LacksCapacity bool             `json:"lacks_capacity,omitempty"`
	// Present says the patient is at the desk; nil means true.
	Present *bool `json:"present,omitempty"`
}

// A GuardianFact is a guardian on file, named by reference: a RelatedPerson
// or Patient among the resources, or another resource (an Organization for
// an agency) that need not be.
type GuardianFact struct {
	Reference string       `json:"reference"`
	Role      checkin.Role `json:"role"`
	// LegalCustody is false when a custody order gives medical decisions to
	// someone else; nil means true.
	LegalCustody *bool `json:"legal_custody,omitempty"`
}

// factsWire is Facts as JSON carries it: at still a string, so that a bad
// time is reported with its path.
type factsWire struct {
	At           *string               `json:"at"`
	Jurisdiction string                `json:"jurisdiction"`
	Practice     string                `json:"practice,omitempty"`
	Emergency    bool                  `json:"emergency,omitempty"`
	Companion    CompanionFacts        `json:"companion"`
	Patient      PatientFacts          `json:"patient,omitempty"`
	Guardians    []GuardianFact        `json:"guardians,omitempty"`
	Restrictions []checkin.Restriction `json:"restrictions,omitempty"`
	Designations []checkin.Designation `json:"designations,omitempty"`
	Desk         checkin.Desk          `json:"desk,omitempty"`
	Requested    []checkin.Action      `json:"requested"`
}

// checkInWire is the body of a FHIR check-in: a Bundle and the facts.
type checkInWire struct {
	Bundle json.RawMessage `json:"bundle"`
	factsWire
}

var factsEntryLists = map[reflect.Type]bool{
	reflect.TypeFor[factsWire](): true, reflect.TypeFor[checkInWire](): true, reflect.TypeFor[checkin.Desk](): true,
}

func reflectTypeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

// MaxCheckInBytes is the most bytes of JSON ParseCheckIn reads.
const MaxCheckInBytes = MaxResourceBytes + checkin.MaxRequestBytes

// ParseCheckIn reads the body of a FHIR check-in: the Facts' fields and
// "bundle", a Bundle of the check-in's resources:
//
//	{"bundle": {"resourceType": "Bundle", "type": "collection", "entry": [...]},
//	 "at": "...", "jurisdiction": "US-TX", "companion": {"reference": "RelatedPerson/f001"}, "requested": [...]}
//
// The facts are read as strictly as checkin.ParseRequest reads a request:
// a key that is not a field, a case variant of one, a key given twice, a
// null, a value of the wrong type or over the contract's limits is an error
// at its path (facts.companion.age). Every problem, in the facts and the
// Bundle, is an Issue of the *Error.
func ParseCheckIn(data []byte) (Resources, Facts, error) {
	if len(data) > MaxCheckInBytes {
		return Resources{}, Facts{}, (issues{{Code: codeTooLong, Message: fmt.Sprintf("%d bytes of JSON; at most %d", len(data), MaxCheckInBytes)}}).err()
	}
	var found issues
	f, bundle, ok := parseFacts(data, reflectTypeOf[checkInWire](), &found)
	var res Resources
	switch {
	case !ok:
	case bundle == nil:
		found.add("", "bundle", codeRequired, "is required: a Bundle of the check-in's resources (the Patient, RelatedPersons, Consents)")
	default:
		if err := res.Add(bundle); err != nil {
			found = append(found, err.(*Error).Issues...)
		}
	}
	if err := found.err(); err != nil {
		return Resources{}, Facts{}, err
	}
	return res, f, nil
}

// ParseFacts reads Facts alone from JSON, as strictly as ParseCheckIn does.
func ParseFacts(data []byte) (Facts, error) {
	if len(data) > checkin.MaxRequestBytes {
		return Facts{}, (issues{{Code: codeTooLong, Message: fmt.Sprintf("%d bytes of JSON; at most %d", len(data), checkin.MaxRequestBytes)}}).err()
	}
	var found issues
	f, _, _ := parseFacts(data, reflectTypeOf[factsWire](), &found)
	if err := found.err(); err != nil {
		return Facts{}, err
	}
	return f, nil
}

// parseFacts walks and decodes the facts in data, whose JSON is of type t
// (factsWire, or checkInWire with its bundle); ok is false when the facts'
// JSON is not the shape to read the bundle from.
func parseFacts(data []byte, t reflect.Type, found *issues) (f Facts, bundle json.RawMessage, ok bool) {
	w := walk{strict: true, limits: true}
	w.check(data, shapeFor(t, factsEntryLists), "facts")
	if len(w.problems) > 0 {
		*found = append(*found, w.problems...)
		return Facts{}, nil, false
	}
	var wire checkInWire
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&wire); err != nil {
		found.add("", "facts", codeStructure, "not a check-in: %v", err)
		return Facts{}, nil, false
	}
	fw := wire.factsWire
	f = Facts{
		Jurisdiction: fw.Jurisdiction, Practice: fw.Practice, Emergency: fw.Emergency,
		Companion: fw.Companion, Patient: fw.Patient, Guardians: fw.Guardians,
		Restrictions: fw.Restrictions, Designations: fw.Designations, Desk: fw.Desk, Requested: fw.Requested,
	}
	switch {
	case fw.At == nil:
		found.add("", "facts.at", codeRequired, "is required: the time of the check-in, RFC 3339 with its offset")
	default:
		at, err := time.Parse(time.RFC3339, *fw.At)
		if err != nil {
			found.add("", "facts.at", codeValue, "%s is not an RFC 3339 time, such as \"2026-12-02T09:30:00-06:00\"", quote(*fw.At))
		}
		f.At = at
	}
	return f, wire.Bundle, true
}

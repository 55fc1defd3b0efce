package checkin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// A Request asks what a companion may do for a patient at one check-in.
// Fields whose zero value is not the contract's default are pointers.
type Request struct {
	// At is the time of the decision. The policy has no other clock: every
	// age and expiry is computed from At's calendar date in At's own zone.
	At time.Time `json:"at"`
	// Jurisdiction is an ISO 3166-2 code such as "US-TX". Without a profile
	// for it the default profile applies, and the decision says so.
	Jurisdiction string `json:"jurisdiction"`
	// Practice names a practice profile; "" means "default".
	Practice string `json:"practice,omitempty"`
	// Emergency is set when a clinician has judged this an emergency.
	Emergency bool      `json:"emergency,omitempty"`
	Patient   Patient   `json:"patient"`
	Companion Companion `json:"companion"`
	Records   Records   `json:"records"`
	Desk      Desk      `json:"desk"`
	// Requested lists the actions to decide; at least one.
	Requested []Action `json:"requested"`
}

// A Patient is the person care is for.
type Patient struct {
	ID        string `json:"id"`
	Name      string `json:"name,omitempty"`
	BirthDate string `json:"birth_date"` // YYYY-MM-DD
	// Statuses the jurisdiction may treat as making a minor an adult or
	// letting them consent.
	Statuses []Status `json:"statuses,omitempty"`
	// LacksCapacity is set for an adult documented as unable to decide.
	LacksCapacity bool `json:"lacks_capacity,omitempty"`
	// Present says the patient is at the desk; nil means true.
	Present *bool `json:"present,omitempty"`
}

// A Companion is the person asking. A companion whose ID is the patient's is
// the patient asking for themselves.
type Companion struct {
	ID               string       `json:"id"`
	Name             string       `json:"name,omitempty"`
	Relationship     Relationship `json:"relationship"`
	Age              int          `json:"age"`
	Identity         Identity     `json:"identity,omitempty"` // "" means Unverified
	LivesWithPatient bool         `json:"lives_with_patient,omitempty"`
	BroughtPatient   bool         `json:"brought_patient,omitempty"`
}

// Records are what the practice has on file about who decides for the patient.
type Records struct {
	Guardians    []Guardian    `json:"guardians,omitempty"`
	Documents    []Document    `json:"documents,omitempty"`
	Restrictions []Restriction `json:"restrictions,omitempty"`
	Refusals     []Refusal     `json:"refusals,omitempty"`
	Designations []Designation `json:"designations,omitempty"`
}

// A Guardian is a legal decision-maker for a minor, or a court guardian of an adult.
type Guardian struct {
	Person string `json:"person"`
	Name   string `json:"name,omitempty"`
	Role   Role   `json:"role"`
	// LegalCustody is false when a custody order gives medical decisions to
	// someone else; nil means true.
	LegalCustody *bool `json:"legal_custody,omitempty"`
}

// A Document on file grants authority to its grantee. Which fields matter
// depends on its kind.
type Document struct {
	ID         string       `json:"id"`
	Kind       DocumentKind `json:"kind"`
	GrantedBy  string       `json:"granted_by,omitempty"`
	Grantee    string       `json:"grantee"`
	Covers     []Action     `json:"covers"`                // empty: the scope the law gives the kind
	ValidFrom  string       `json:"valid_from,omitempty"`  // YYYY-MM-DD, inclusive
	ValidUntil string       `json:"valid_until,omitempty"` // YYYY-MM-DD, inclusive
	Revoked    bool         `json:"revoked,omitempty"`
	SignedOn   string       `json:"signed_on,omitempty"` // YYYY-MM-DD
	Relative   bool         `json:"relative,omitempty"`  // a caregiver's affidavit completed by a relative
	Witnesses  int          `json:"witnesses,omitempty"`
	Notarized  bool         `json:"notarized,omitempty"`
}

// A Restriction bars a person from the actions it covers until ValidUntil.
type Restriction struct {
	Person     string   `json:"person"`
	Covers     []Action `json:"covers"`
	Source     string   `json:"source,omitempty"`      // protective_order, court_order, abuse_concern, practice_flag
	ValidUntil string   `json:"valid_until,omitempty"` // YYYY-MM-DD; "" means no end
}

// A Refusal is a guardian's standing instruction: the covered actions may not
// be done on a delegate's word.
type Refusal struct {
	By     string   `json:"by"`
	Covers []Action `json:"covers"`
}

// A Designation is an adult patient's standing choice that Person may do the
// covered actions.
type Designation struct {
	Person string   `json:"person"`
	Covers []Action `json:"covers"`
}

// Desk holds what staff did or learned at the desk for this visit.
type Desk struct {
	VerbalConsent []VerbalConsent `json:"verbal_consent,omitempty"`
	// GuardianUnreachable: staff made and documented a reasonable attempt to
	// reach every guardian, and failed.
	GuardianUnreachable bool `json:"guardian_unreachable,omitempty"`
	// PatientAgrees: an adult patient, present, agreed to the companion's involvement.
	PatientAgrees bool `json:"patient_agrees,omitempty"`
}

// A VerbalConsent is a guardian's consent by phone for this visit, witnessed by staff.
type VerbalConsent struct {
	From    string   `json:"from"`
	Covers  []Action `json:"covers"`
	Witness string   `json:"witness,omitempty"`
}

// UnmarshalJSON reads a request in the contract's JSON. Keys that are not
// fields are ignored, but a case variant of a field, a key given twice, a
// null, an "at" that is not an RFC 3339 time or a companion without an age
// is a *ValidationError, as in ParseRequest.
func (r *Request) UnmarshalJSON(b []byte) error {
	return r.decode(b, false)
}

// wireRequest is a Request as JSON carries it, with "at" still a string.
type wireRequest struct {
	plainRequest
	At *string `json:"at"`
}

// plainRequest has Request's fields without its JSON methods.
type plainRequest Request

// decode reads one request from data; strict rejects unknown fields and
// anything after the request.
func (r *Request) decode(data []byte, strict bool) error {
	if err := checkWire(data, strict); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if strict {
		dec.DisallowUnknownFields()
	}
	var wire wireRequest
	if err := dec.Decode(&wire); err != nil {
		return decodeError(err)
	}
	var presence struct {
		Companion struct {
			Age json.RawMessage `json:"age"`
		} `json:"companion"`
	}
	_ = json.Unmarshal(data, &presence) // data has just decoded
	req := Request(wire.plainRequest)
	// What the JSON says that a Request cannot hold is reported here, with
	// every other problem Validate finds, so that the request stays a plain value.
	read := wireFacts{noAge: presence.Companion.Age == nil}
	if wire.At != nil {
		if at, err := time.Parse(time.RFC3339, *wire.At); err == nil {
			req.At = at
		} else {
			read.rawAt = *wire.At
		}
	}
	if read != (wireFacts{}) {
		if err := req.validate(read); err != nil {
			return err
		}
	}
	*r = req
	return nil
}

// checkWire walks the JSON once, before it is decoded, and reports as a
// *ValidationError what decoding would hide or misread: keys that differ
// from a field only in case, keys given twice, nulls, values of the wrong
// kind, lists and strings over the limits; when strict, also keys that are
// not fields and anything after the request.
func checkWire(data []byte, strict bool) error {
	w := wireWalk{dec: json.NewDecoder(bytes.NewReader(data)), strict: strict}
	w.dec.UseNumber()
	if err := w.value(requestShape, ""); err != nil {
		return decodeError(err)
	}
	if strict {
		if _, err := w.dec.Token(); err != io.EOF {
			w.add("", "more than one JSON value")
		}
	}
	if len(w.problems) > 0 {
		return &ValidationError{Problems: w.problems}
	}
	return nil
}

// MarshalJSON writes the request in the contract's JSON, with At in RFC 3339
// and its own zone. No list is written as null: the contract's lists are
// lists, and ParseRequest refuses a null.
func (r Request) MarshalJSON() ([]byte, error) {
	at := ""
	if !r.At.IsZero() {
		at = r.At.Format(time.RFC3339)
	}
	if r.Requested == nil {
		r.Requested = []Action{}
	}
	r.Records.Documents = withCovers(r.Records.Documents, func(d *Document) *[]Action { return &d.Covers })
	r.Records.Restrictions = withCovers(r.Records.Restrictions, func(x *Restriction) *[]Action { return &x.Covers })
	r.Records.Refusals = withCovers(r.Records.Refusals, func(x *Refusal) *[]Action { return &x.Covers })
	r.Records.Designations = withCovers(r.Records.Designations, func(x *Designation) *[]Action { return &x.Covers })
	r.Desk.VerbalConsent = withCovers(r.Desk.VerbalConsent, func(x *VerbalConsent) *[]Action { return &x.Covers })
	return json.Marshal(struct {
		At string `json:"at"`
		plainRequest
	}{at, plainRequest(r)})
}

// withCovers returns entries with every nil covers made empty, copying the
// list only when one is nil, so that the caller's request is not changed.
func withCovers[T any](entries []T, covers func(*T) *[]Action) []T {
	out, copied := entries, false
	for i := range entries {
		if *covers(&entries[i]) != nil {
			continue
		}
		if !copied {
			out, copied = slices.Clone(entries), true
		}
		*covers(&out[i]) = []Action{}
	}
	return out
}

// ParseRequest reads one request from JSON of at most MaxRequestBytes.
// Keys are matched exactly, as the contract spells them. Anything that is
// not the contract's JSON is a *ValidationError naming each field: a key
// that is not a field (or differs from one only in case), a key given twice
// in one object, a null, a value of the wrong type, a list or string over
// the limits. So is JSON that says what a Request cannot hold, an "at" that
// is not an RFC 3339 time or a companion without an age, and then the error
// lists every problem Validate finds as well. Otherwise the request is not
// yet validated (Decide does that).
func ParseRequest(data []byte) (Request, error) {
	if len(data) > MaxRequestBytes {
		return Request{}, &ValidationError{Problems: []Problem{{
			Problem: fmt.Sprintf("the request is %d bytes of JSON; at most %d", len(data), MaxRequestBytes),
		}}}
	}
	var r Request
	if err := r.decode(data, true); err != nil {
		return Request{}, err
	}
	return r, nil
}

func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return &ValidationError{Problems: []Problem{{
			Field:   strings.TrimPrefix(typeErr.Field, "plainRequest."),
			Problem: fmt.Sprintf("%s is not a valid %s", typeErr.Value, jsonKind(typeErr.Type.Kind().String())),
		}}}
	case errors.As(err, &syntaxErr):
		return &ValidationError{Problems: []Problem{{
			Problem: fmt.Sprintf("not valid JSON at byte %d: %v", syntaxErr.Offset, err),
		}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &ValidationError{Problems: []Problem{{Field: field, Problem: "is not a field of the request"}}}
	case errors.Is(err, io.EOF):
		return &ValidationError{Problems: []Problem{{Problem: "no JSON request"}}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &ValidationError{Problems: []Problem{{Problem: "the JSON ends before the request does"}}}
	default:
		return &ValidationError{Problems: []Problem{{Problem: err.Error()}}}
	}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int64":
		return "whole number"
	case "float64":
		return "number"
	case "slice":
		return "list"
	case "struct", "map":
		return "object"
	case "ptr":
		return "value"
	default:
		return goKind
	}
}

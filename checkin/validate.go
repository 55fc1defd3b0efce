package checkin

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// A Problem is one thing wrong with a request: the field, as a path such as
// "records.documents[0].kind", and what is wrong with its value.
type Problem struct {
	Field   string `json:"field"`
	Problem string `json:"problem"`
}

// ValidationError reports every problem that kept a request from being
// decided. Nothing is allowed on an invalid request.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		if p.Field == "" {
			parts[i] = p.Problem
		} else {
			parts[i] = p.Field + ": " + p.Problem
		}
	}
	return "checkin: invalid request: " + strings.Join(parts, "; ")
}

// Validate checks a request against the contract's vocabulary and formats,
// and returns a *ValidationError listing every problem, or nil.
// Whether the practice profile exists depends on the policy: Decide checks it.
func (r *Request) Validate() error {
	var v validator
	v.request(r)
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}

type validator struct{ problems []Problem }

func (v *validator) add(field, format string, args ...any) {
	v.problems = append(v.problems, Problem{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (v *validator) request(r *Request) {
	switch {
	case r.rawAt != "":
		v.add("at", "%q is not an RFC 3339 time", r.rawAt)
	case r.At.IsZero():
		v.add("at", "is required")
	}
	if r.Jurisdiction == "" {
		v.add("jurisdiction", "is required")
	}

	p := r.Patient
	v.required("patient.id", p.ID)
	if p.BirthDate == "" {
		v.add("patient.birth_date", "is required")
	} else if v.date("patient.birth_date", p.BirthDate) && !r.At.IsZero() && p.BirthDate > r.At.Format(time.DateOnly) {
		v.add("patient.birth_date", "%q is after the visit", p.BirthDate)
	}
	for i, s := range p.Statuses {
		oneOf(v, fmt.Sprintf("patient.statuses[%d]", i), s, Statuses, "a patient status")
	}

	c := r.Companion
	v.required("companion.id", c.ID)
	oneOf(v, "companion.relationship", c.Relationship, Relationships, "a relationship")
	if c.Relationship == Self && c.ID != p.ID {
		v.add("companion.relationship", `is "self" but companion.id is not patient.id`)
	}
	if r.noAge {
		v.add("companion.age", "is required")
	} else if c.Age < 0 {
		v.add("companion.age", "%d is not an age in whole years", c.Age)
	}
	if c.Identity != "" {
		oneOf(v, "companion.identity", c.Identity, Identities, "an identity check")
	}

	for i, g := range r.Records.Guardians {
		at := fmt.Sprintf("records.guardians[%d]", i)
		v.required(at+".person", g.Person)
		oneOf(v, at+".role", g.Role, Roles, "a guardian role")
	}
	for i, d := range r.Records.Documents {
		at := fmt.Sprintf("records.documents[%d]", i)
		v.required(at+".id", d.ID)
		oneOf(v, at+".kind", d.Kind, DocumentKinds, "a document kind")
		v.required(at+".grantee", d.Grantee)
		v.covers(at, d.Covers)
		v.optionalDate(at+".valid_from", d.ValidFrom)
		v.optionalDate(at+".valid_until", d.ValidUntil)
		v.optionalDate(at+".signed_on", d.SignedOn)
		if d.Witnesses < 0 {
			v.add(at+".witnesses", "%d is not a number of witnesses", d.Witnesses)
		}
	}
	for i, x := range r.Records.Restrictions {
		at := fmt.Sprintf("records.restrictions[%d]", i)
		v.required(at+".person", x.Person)
		v.covers(at, x.Covers)
		v.optionalDate(at+".valid_until", x.ValidUntil)
	}
	for i, x := range r.Records.Refusals {
		at := fmt.Sprintf("records.refusals[%d]", i)
		v.required(at+".by", x.By)
		v.covers(at, x.Covers)
	}
	for i, x := range r.Records.Designations {
		at := fmt.Sprintf("records.designations[%d]", i)
		v.required(at+".person", x.Person)
		v.covers(at, x.Covers)
	}
	for i, x := range r.Desk.VerbalConsent {
		at := fmt.Sprintf("desk.verbal_consent[%d]", i)
		v.required(at+".from", x.From)
		v.covers(at, x.Covers)
	}

	if len(r.Requested) == 0 {
		v.add("requested", "must name at least one action")
	}
	for i, a := range r.Requested {
		oneOf(v, fmt.Sprintf("requested[%d]", i), a, Actions, "an action")
	}
}

func (v *validator) required(field, value string) {
	if value == "" {
		v.add(field, "is required")
	}
}

func oneOf[T ~string](v *validator, field string, value T, allowed []T, what string) {
	if value == "" {
		v.add(field, "is required")
	} else if !slices.Contains(allowed, value) {
		v.add(field, "%q is not %s", string(value), what)
	}
}

func (v *validator) covers(at string, actions []Action) {
	for j, a := range actions {
		if a != AllActions {
			oneOf(v, fmt.Sprintf("%s.covers[%d]", at, j), a, Actions, "an action")
		}
	}
}

func (v *validator) optionalDate(field, value string) {
	if value != "" {
		v.date(field, value)
	}
}

func (v *validator) date(field, value string) bool {
	if _, err := time.Parse(time.DateOnly, value); err != nil {
		v.add(field, "%q is not a date (YYYY-MM-DD)", value)
		return false
	}
	return true
}

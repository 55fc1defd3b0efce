package checkin

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
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

// Validate checks a request against the contract's limits, vocabulary and
// formats, and returns a *ValidationError listing every problem, or nil.
// The limits come first: a request over them is reported for that alone,
// without looking further into it.
// Whether the practice profile exists depends on the policy: Decide checks it.
func (r *Request) Validate() error { return r.validate(wireFacts{}) }

// wireFacts are what a request's JSON said that a Request cannot hold.
type wireFacts struct {
	rawAt string // an "at" that is not an RFC 3339 time
	noAge bool   // no companion.age
}

func (r *Request) validate(read wireFacts) error {
	v := validator{read: read}
	if v.limits(r); len(v.problems) == 0 {
		v.request(r)
	}
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}

var jurisdictionCode = regexp.MustCompile(jurisdictionPattern)

// grantorRequired are the kinds of document that are only as good as who
// granted them; a caregiver's affidavit is the caregiver's own statement.
var grantorRequired = []DocumentKind{ProxyAuthorization, HIPAAAuthorization, HealthcarePOA, FosterPlacement}

type validator struct {
	read     wireFacts
	problems []Problem
}

func (v *validator) add(field, format string, args ...any) {
	v.problems = append(v.problems, Problem{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (v *validator) request(r *Request) {
	switch {
	case v.read.rawAt != "":
		v.add("at", "%q is not an RFC 3339 time", v.read.rawAt)
	case r.At.IsZero():
		v.add("at", "is required")
	}
	if r.Jurisdiction == "" {
		v.add("jurisdiction", "is required")
	} else if !jurisdictionCode.MatchString(r.Jurisdiction) {
		v.add("jurisdiction", "%q is not an ISO 3166-2 code in capitals, such as \"US-TX\"", r.Jurisdiction)
	}

	p := r.Patient
	v.required("patient.id", p.ID)
	if p.BirthDate == "" {
		v.add("patient.birth_date", "is required")
	} else if v.date("patient.birth_date", p.BirthDate) && !r.At.IsZero() && p.BirthDate > r.At.Format(time.DateOnly) {
		v.add("patient.birth_date", "%q is after the visit", p.BirthDate)
	}
	for i, s := range p.Statuses {
		oneOf(v, fmt.Sprintf("patient.statuses[%d]", i), s, "a patient status")
	}

	c := r.Companion
	v.required("companion.id", c.ID)
	oneOf(v, "companion.relationship", c.Relationship, "a relationship")
	if c.Relationship == Self && c.ID != p.ID {
		v.add("companion.relationship", `is "self" but companion.id is not patient.id`)
	}
	if c.Relationship != Self && c.Relationship.Valid() && c.ID != "" && c.ID == p.ID {
		v.add("companion.relationship", `%q but companion.id is patient.id: the patient asking is "self"`, c.Relationship)
	}
	if v.read.noAge {
		v.add("companion.age", "is required")
	} else if c.Age < 0 {
		v.add("companion.age", "%d is not an age in whole years", c.Age)
	}
	if c.Identity != "" {
		oneOf(v, "companion.identity", c.Identity, "an identity check")
	}

	guardianAt := map[string]string{}
	for i, g := range r.Records.Guardians {
		at := fmt.Sprintf("records.guardians[%d]", i)
		v.required(at+".person", g.Person)
		v.unique(guardianAt, at+".person", g.Person)
		oneOf(v, at+".role", g.Role, "a guardian role")
	}
	documentAt := map[string]string{}
	for i, d := range r.Records.Documents {
		at := fmt.Sprintf("records.documents[%d]", i)
		v.required(at+".id", d.ID)
		v.unique(documentAt, at+".id", d.ID)
		oneOf(v, at+".kind", d.Kind, "a document kind")
		if d.GrantedBy == "" && slices.Contains(grantorRequired, d.Kind) {
			v.add(at+".granted_by", "is required for a %s", d.Kind)
		}
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
		v.coversSome(at, x.Covers)
		v.optionalDate(at+".valid_until", x.ValidUntil)
	}
	guardians := map[string]bool{}
	for _, g := range r.Records.Guardians {
		guardians[g.Person] = true
	}
	for i, x := range r.Records.Refusals {
		at := fmt.Sprintf("records.refusals[%d]", i)
		v.required(at+".by", x.By)
		// A refusal is a guardian's standing instruction: one by someone
		// not on file is records out of step, not a refusal to ignore.
		if x.By != "" && !guardians[x.By] {
			v.add(at+".by", "%q is not a guardian in records.guardians", x.By)
		}
		v.coversSome(at, x.Covers)
	}
	for i, x := range r.Records.Designations {
		at := fmt.Sprintf("records.designations[%d]", i)
		v.required(at+".person", x.Person)
		v.coversSome(at, x.Covers)
	}
	for i, x := range r.Desk.VerbalConsent {
		at := fmt.Sprintf("desk.verbal_consent[%d]", i)
		v.required(at+".from", x.From)
		v.coversSome(at, x.Covers)
	}

	if len(r.Requested) == 0 {
		v.add("requested", "must name at least one action")
	}
	for i, a := range r.Requested {
		oneOf(v, fmt.Sprintf("requested[%d]", i), a, "an action")
	}
}

func (v *validator) required(field, value string) {
	if value == "" {
		v.add(field, "is required")
	}
}

// oneOf checks a value of the contract's vocabulary.
func oneOf[T interface {
	~string
	Valid() bool
}](v *validator, field string, value T, what string) {
	if value == "" {
		v.add(field, "is required")
	} else if !value.Valid() {
		v.add(field, "%q is not %s", string(value), what)
	}
}

func (v *validator) covers(at string, actions []Action) {
	for j, a := range actions {
		if a != AllActions {
			oneOf(v, fmt.Sprintf("%s.covers[%d]", at, j), a, "an action")
		}
	}
}

// coversSome is covers for an entry that means nothing without actions: a
// restriction, refusal, designation or consent by phone.
func (v *validator) coversSome(at string, actions []Action) {
	if len(actions) == 0 {
		v.add(at+".covers", `must name at least one action, or "*" for all`)
	}
	v.covers(at, actions)
}

// unique reports a value already seen at another field of the same list;
// seen maps each value to the first field that had it.
func (v *validator) unique(seen map[string]string, field, value string) {
	if value == "" {
		return
	}
	if first, ok := seen[value]; ok {
		v.add(field, "%q is also %s", value, first)
		return
	}
	seen[value] = field
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

// limits reports what is over the contract's limits: lists too long and
// strings too long, each by its field.
func (v *validator) limits(r *Request) {
	v.text("at", v.read.rawAt)
	v.text("jurisdiction", r.Jurisdiction)
	v.text("practice", r.Practice)
	p := &r.Patient
	v.text("patient.id", p.ID)
	v.text("patient.name", p.Name)
	v.text("patient.birth_date", p.BirthDate)
	for i, s := range p.Statuses {
		v.text(fmt.Sprintf("patient.statuses[%d]", i), string(s))
	}
	c := &r.Companion
	v.text("companion.id", c.ID)
	v.text("companion.name", c.Name)
	v.text("companion.relationship", string(c.Relationship))
	v.text("companion.identity", string(c.Identity))

	entries(v, "records.guardians", r.Records.Guardians, func(at string, g *Guardian) {
		v.text(at+".person", g.Person)
		v.text(at+".name", g.Name)
		v.text(at+".role", string(g.Role))
	})
	entries(v, "records.documents", r.Records.Documents, func(at string, d *Document) {
		v.text(at+".id", d.ID)
		v.text(at+".kind", string(d.Kind))
		v.text(at+".granted_by", d.GrantedBy)
		v.text(at+".grantee", d.Grantee)
		v.actions(at+".covers", d.Covers)
		v.text(at+".valid_from", d.ValidFrom)
		v.text(at+".valid_until", d.ValidUntil)
		v.text(at+".signed_on", d.SignedOn)
	})
	entries(v, "records.restrictions", r.Records.Restrictions, func(at string, x *Restriction) {
		v.text(at+".person", x.Person)
		v.actions(at+".covers", x.Covers)
		v.text(at+".source", x.Source)
		v.text(at+".valid_until", x.ValidUntil)
	})
	entries(v, "records.refusals", r.Records.Refusals, func(at string, x *Refusal) {
		v.text(at+".by", x.By)
		v.actions(at+".covers", x.Covers)
	})
	entries(v, "records.designations", r.Records.Designations, func(at string, x *Designation) {
		v.text(at+".person", x.Person)
		v.actions(at+".covers", x.Covers)
	})
	entries(v, "desk.verbal_consent", r.Desk.VerbalConsent, func(at string, x *VerbalConsent) {
		v.text(at+".from", x.From)
		v.actions(at+".covers", x.Covers)
		v.text(at+".witness", x.Witness)
	})
	v.actions("requested", r.Requested)
}

// entries checks the length of one list of records or desk, then each entry.
func entries[T any](v *validator, field string, list []T, each func(at string, entry *T)) {
	if len(list) > MaxEntries {
		v.add(field, "has %d entries; at most %d", len(list), MaxEntries)
	}
	for i := range list {
		each(fmt.Sprintf("%s[%d]", field, i), &list[i])
	}
}

func (v *validator) actions(field string, actions []Action) {
	if len(actions) > MaxActions {
		v.add(field, "has %d entries; at most %d", len(actions), MaxActions)
	}
	for i, a := range actions {
		v.text(fmt.Sprintf("%s[%d]", field, i), string(a))
	}
}

func (v *validator) text(field, s string) {
	if n := utf8.RuneCountInString(s); n > MaxTextLength {
		v.add(field, "is %d characters long; at most %d", n, MaxTextLength)
	}
}

package fhir

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	models "github.com/samply/golang-fhir-models/fhir-models/fhir"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// Request maps a check-in's resources and facts to a checkin.Request with
// the shipped relationship table. See Mapper.Request.
func Request(res Resources, f Facts) (checkin.Request, error) { return defaultMapper.Request(res, f) }

// Request maps a check-in's resources and facts to a checkin.Request, and
// validates it. Every problem, in the resources or the facts, is an Issue of
// the returned *Error naming the resource and the path ("RelatedPerson/f002.
// birthDate", "facts.companion.age"), and no request is returned: nothing is
// decided on input the mapping cannot read exactly. The package
// documentation says how each resource maps.
func (m *Mapper) Request(res Resources, f Facts) (checkin.Request, error) {
	mp := &mapping{m: m, res: &res, f: f, origin: map[string]string{}}
	req := mp.request()
	mp.found = unique(mp.found)
	if err := mp.found.err(); err != nil {
		return checkin.Request{}, err
	}
	if err := req.Validate(); err != nil {
		var ve *checkin.ValidationError
		if !errors.As(err, &ve) {
			return checkin.Request{}, err
		}
		for _, p := range ve.Problems {
			path, resource := mp.where(p.Field)
			if path == p.Field || path == "facts."+p.Field {
				mp.found.add(resource, path, codeInvalid, "%s", p.Problem)
			} else { // say which of what was mapped from there is wrong
				mp.found.add(resource, path, codeInvalid, "%s, mapped from here, %s", p.Field, p.Problem)
			}
		}
		return checkin.Request{}, mp.found.err()
	}
	return req, nil
}

// A mapping is one Request call's state.
type mapping struct {
	m     *Mapper
	res   *Resources
	f     Facts
	found issues

	at         time.Time
	atDate     string
	patient    *resource
	patientRef string
	guardians  map[string]bool // references of the guardians on file
	// origin maps a request field ("records.documents[2]") to the path of
	// what it was mapped from ("Consent/c1.provision"), so that a problem
	// Validate finds is reported where it can be fixed.
	origin map[string]string
}

func (mp *mapping) add(resource, path, code, format string, args ...any) {
	mp.found.add(resource, path, code, format, args...)
}

// where turns a request field into the path it came from: the longest
// mapped prefix (the rest of the field is left off, as FHIR would not name
// it); "facts.<field>" for what the facts carry as they are; the request's
// own field for a whole list of records, which the resources and the facts
// may both fill.
func (mp *mapping) where(field string) (path, resource string) {
	for f := field; f != ""; {
		if o, ok := mp.origin[f]; ok {
			if ref, _, _ := strings.Cut(o, "."); referencePattern.MatchString(ref) {
				resource = ref
			}
			return o, resource
		}
		i := strings.LastIndexAny(f, ".[")
		if i < 0 {
			break
		}
		f = f[:i]
	}
	top, _, _ := strings.Cut(field, ".")
	top, _, _ = strings.Cut(top, "[")
	switch top {
	case "", "records", "patient", "companion":
		if field == "" {
			return "facts", ""
		}
		return field, ""
	}
	return "facts." + field, ""
}

func (mp *mapping) request() checkin.Request {
	f := mp.f
	req := checkin.Request{
		At: f.At, Jurisdiction: f.Jurisdiction, Practice: f.Practice, Emergency: f.Emergency,
		Requested: f.Requested,
	}
	if f.At.IsZero() {
		mp.add("", "facts.at", codeRequired, "is required: the time of the check-in")
		return req
	}
	mp.at, mp.atDate = f.At, f.At.Format(time.DateOnly)

	mp.checkOwnership()
	if mp.patient == nil {
		return req
	}
	req.Patient = mp.patientFacts()
	req.Companion = mp.companion(req.Patient)
	req.Records.Guardians = mp.guardianList()
	mp.consents(&req.Records, req.Patient)
	mp.factsRecords(&req)
	return req
}

// checkOwnership finds the one Patient and checks that every RelatedPerson
// and Consent is theirs: a check-in holds one patient's resources.
func (mp *mapping) checkOwnership() {
	var patients []*resource
	for _, x := range mp.res.list {
		if x.patient != nil {
			patients = append(patients, x)
		}
	}
	switch len(patients) {
	case 0:
		mp.add("", "Bundle.entry", codeRequired, "no Patient: a check-in's resources include the Patient resource")
		return
	case 1:
	default:
		for _, p := range patients {
			mp.add(p.ref, p.ref, codeStructure, "one of %d Patients; a check-in is for one patient: send only theirs", len(patients))
		}
		return
	}
	mp.patient, mp.patientRef = patients[0], patients[0].ref
	for _, x := range mp.res.list {
		var ref *models.Reference
		switch {
		case x.related != nil:
			ref = &x.related.Patient
			if x.related.Patient.Reference == nil {
				ref = nil
			}
		case x.consent != nil:
			ref = x.consent.Patient
		default:
			continue
		}
		switch {
		case ref == nil || ref.Reference == nil:
			mp.add(x.ref, x.ref+".patient", codeRequired, "is required: reference the Patient, %q", mp.patientRef)
		case *ref.Reference != mp.patientRef:
			mp.add(x.ref, x.ref+".patient", codeValue, "references %s, not the check-in's patient %s: send only this patient's resources", quote(*ref.Reference), mp.patientRef)
		}
	}
}

// patientFacts maps the Patient.
func (mp *mapping) patientFacts() checkin.Patient {
	p := mp.patient.patient
	out := checkin.Patient{
		ID: mp.patientRef, Name: humanName(p.Name),
		Statuses: mp.f.Patient.Statuses, LacksCapacity: mp.f.Patient.LacksCapacity, Present: mp.f.Patient.Present,
	}
	mp.origin["patient.statuses"] = "facts.patient.statuses"
	mp.origin["patient.id"] = mp.patientRef + ".id"
	mp.origin["patient.name"] = mp.patientRef + ".name"
	mp.origin["patient.birth_date"] = mp.patientRef + ".birthDate"
	if p.Active != nil && !*p.Active {
		mp.add(mp.patientRef, mp.patientRef+".active", codeValue, "is false: the record is not in use; check in on the patient's active record")
	}
	path := mp.patientRef + ".birthDate"
	switch {
	case p.BirthDate == nil:
		mp.add(mp.patientRef, path, codeRequired, "is required: the patient's birth date, YYYY-MM-DD")
	case !fullDate(*p.BirthDate):
		mp.add(mp.patientRef, path, codeValue, "%s is not a full date: send the patient's birth date as YYYY-MM-DD; an age cannot be decided on a partial date", quote(*p.BirthDate))
	default:
		out.BirthDate = *p.BirthDate
	}
	return out
}

// companion maps the companion the facts name.
func (mp *mapping) companion(patient checkin.Patient) checkin.Companion {
	cf := mp.f.Companion
	out := checkin.Companion{Identity: cf.Identity, LivesWithPatient: cf.LivesWithPatient, BroughtPatient: cf.BroughtPatient}
	mp.origin["companion.identity"] = "facts.companion.identity"
	mp.origin["companion.age"] = "facts.companion.age"
	if cf.Reference == "" {
		mp.add("", "facts.companion.reference", codeRequired, "is required: the companion's RelatedPerson (\"RelatedPerson/<id>\"), or the Patient (%q) when the patient asks for themselves", mp.patientRef)
		return out
	}
	x := mp.resolve(cf.Reference, "facts.companion.reference", "")
	if x == nil {
		return out
	}
	out.ID = x.ref
	mp.origin["companion.id"] = "facts.companion.reference"
	if x == mp.patient {
		out.Relationship, out.Name = checkin.Self, patient.Name
		mp.origin["companion.relationship"] = "facts.companion.reference"
		age, ok := -1, false
		if patient.BirthDate != "" {
			age, ok = ageAt(patient.BirthDate, mp.at), true
		}
		out.Age = mp.companionAge(x.ref, mp.patientRef+".birthDate", age, ok, "")
		return out
	}
	rp := x.related
	if rp == nil {
		mp.add("", "facts.companion.reference", codeValue, "%s is a %s: the companion is a RelatedPerson of the patient, or the Patient", quote(cf.Reference), x.typ)
		return out
	}
	out.Name = humanName(rp.Name)
	mp.origin["companion.name"] = x.ref + ".name"
	mp.origin["companion.relationship"] = x.ref + ".relationship"
	mp.current(x)
	if rel, ok := mp.m.relationship(x, &mp.found); ok {
		out.Relationship = rel
	}
	age, known, partial := -1, false, ""
	if rp.BirthDate != nil {
		if fullDate(*rp.BirthDate) {
			age, known = ageAt(*rp.BirthDate, mp.at), true
		} else {
			partial = *rp.BirthDate
		}
	}
	out.Age = mp.companionAge(x.ref, x.ref+".birthDate", age, known, partial)
	return out
}

// companionAge settles the companion's age from their birth date (known, at
// dobPath) and the facts' age: either alone, or both agreeing.
func (mp *mapping) companionAge(resource, dobPath string, age int, known bool, partial string) int {
	given := mp.f.Companion.Age
	switch {
	case partial != "" && given == nil:
		mp.add(resource, dobPath, codeValue, "%s is not a full date, so it gives no age: send the birth date as YYYY-MM-DD, or the companion's age in facts.companion.age", quote(partial))
	case known && given != nil && *given != age:
		mp.add("", "facts.companion.age", codeValue, "%d, but %s gives %d at %s: correct one of them", *given, dobPath, age, mp.atDate)
	case known:
		return age
	case given != nil:
		return *given
	case partial == "":
		mp.add(resource, dobPath, codeRequired, "no birth date and no facts.companion.age: send one of them, so that the companion's age is known")
	}
	return 0
}

// current reports a RelatedPerson whose relationship is no longer, or not
// yet, in force at the check-in.
func (mp *mapping) current(x *resource) bool {
	rp := x.related
	ok := true
	if rp.Active != nil && !*rp.Active {
		mp.add(x.ref, x.ref+".active", codeValue, "is false: the relationship is no longer current; correct it in the record")
		ok = false
	}
	if rp.Period != nil {
		if rp.Period.End != nil {
			if end, valid := mp.instant(x.ref, x.ref+".period.end", *rp.Period.End, true); valid && end.Before(mp.at) {
				mp.add(x.ref, x.ref+".period.end", codeValue, "%s is before the check-in: the relationship is no longer current; correct it in the record", quote(*rp.Period.End))
				ok = false
			}
		}
		if rp.Period.Start != nil {
			if start, valid := mp.instant(x.ref, x.ref+".period.start", *rp.Period.Start, false); valid && start.After(mp.at) {
				mp.add(x.ref, x.ref+".period.start", codeValue, "%s is after the check-in: the relationship is not yet current", quote(*rp.Period.Start))
				ok = false
			}
		}
	}
	return ok
}

// referencePattern is a relative FHIR reference, the only kind a check-in's
// resources are matched by.
var referencePattern = regexp.MustCompile(`^[A-Z][A-Za-z]{0,63}/[A-Za-z0-9\-.]{1,64}$`)

// resolve finds the resource a reference names, reporting at path why not.
func (mp *mapping) resolve(ref, path, resource string) *resource {
	if !referencePattern.MatchString(ref) {
		mp.add(resource, path, codeValue, "%s is not a relative reference such as \"RelatedPerson/f001\": references are matched to the check-in's resources by type and id", quote(ref))
		return nil
	}
	x := mp.res.lookup(ref)
	if x == nil {
		mp.add(resource, path, codeNotFound, "%s is not among the check-in's resources: send it in the Bundle", quote(ref))
	}
	return x
}

// ofPatient reports whether x is the Patient or one of the patient's
// RelatedPersons (checkOwnership reported any other).
func (mp *mapping) ofPatient(x *resource) bool {
	if x == mp.patient {
		return true
	}
	return x.related != nil && x.related.Patient.Reference != nil && *x.related.Patient.Reference == mp.patientRef
}

// guardianList maps the guardians: the facts' when given, else those the
// RelatedPersons show.
func (mp *mapping) guardianList() []checkin.Guardian {
	mp.guardians = map[string]bool{}
	var out []checkin.Guardian
	if mp.f.Guardians != nil {
		for i, g := range mp.f.Guardians {
			at := fmt.Sprintf("facts.guardians[%d]", i)
			name := ""
			if !referencePattern.MatchString(g.Reference) {
				mp.add("", at+".reference", codeValue, "%s is not a relative reference such as \"RelatedPerson/mom\" or \"Organization/agency\"", quote(g.Reference))
				continue
			}
			if x := mp.res.lookup(g.Reference); x != nil {
				switch {
				case x.related != nil:
					name = humanName(x.related.Name)
					mp.current(x)
				case x.patient != nil:
					name = humanName(x.patient.Name)
				}
			} else if strings.HasPrefix(g.Reference, "RelatedPerson/") || strings.HasPrefix(g.Reference, "Patient/") {
				mp.add("", at+".reference", codeNotFound, "%s is not among the check-in's resources: send it in the Bundle", quote(g.Reference))
				continue
			}
			mp.origin[fmt.Sprintf("records.guardians[%d]", len(out))] = at
			out = append(out, checkin.Guardian{Person: g.Reference, Name: name, Role: g.Role, LegalCustody: g.LegalCustody})
			mp.guardians[g.Reference] = true
		}
		return out
	}
	for _, x := range mp.res.list {
		if x.related == nil || !mp.ofPatient(x) {
			continue
		}
		// A former guardian is none; their record says so, and the check
		// of the companion reports it when they are the one asking.
		if !mp.quietlyCurrent(x) {
			continue
		}
		role, ok := mp.m.guardianRole(x, &mp.found)
		if !ok || role == "" {
			continue
		}
		mp.origin[fmt.Sprintf("records.guardians[%d]", len(out))] = x.ref + ".relationship"
		out = append(out, checkin.Guardian{Person: x.ref, Name: humanName(x.related.Name), Role: role})
		mp.guardians[x.ref] = true
	}
	return out
}

// quietlyCurrent reports whether a RelatedPerson is in force at the check-in,
// reporting only dates that cannot be read.
func (mp *mapping) quietlyCurrent(x *resource) bool {
	rp := x.related
	if rp.Active != nil && !*rp.Active {
		return false
	}
	if rp.Period == nil {
		return true
	}
	if rp.Period.End != nil {
		if end, ok := mp.instant(x.ref, x.ref+".period.end", *rp.Period.End, true); !ok || end.Before(mp.at) {
			return false
		}
	}
	if rp.Period.Start != nil {
		if start, ok := mp.instant(x.ref, x.ref+".period.start", *rp.Period.Start, false); !ok || start.After(mp.at) {
			return false
		}
	}
	return true
}

// factsRecords adds what the facts carry to the records, checking that each
// person they name is among the resources.
func (mp *mapping) factsRecords(req *checkin.Request) {
	f := mp.f
	for i, x := range f.Restrictions {
		at := fmt.Sprintf("facts.restrictions[%d]", i)
		mp.person(x.Person, at+".person")
		mp.origin[fmt.Sprintf("records.restrictions[%d]", len(req.Records.Restrictions))] = at
		req.Records.Restrictions = append(req.Records.Restrictions, x)
	}
	for i, x := range f.Designations {
		at := fmt.Sprintf("facts.designations[%d]", i)
		mp.person(x.Person, at+".person")
		mp.origin[fmt.Sprintf("records.designations[%d]", len(req.Records.Designations))] = at
		req.Records.Designations = append(req.Records.Designations, x)
	}
	req.Desk = f.Desk
	for i, x := range f.Desk.VerbalConsent {
		at := fmt.Sprintf("facts.desk.verbal_consent[%d]", i)
		mp.person(x.From, at+".from")
		mp.origin[fmt.Sprintf("desk.verbal_consent[%d]", i)] = at
	}
}

// person checks a reference to a person the facts name: one among the
// resources (a restriction on "RelatedPerson/F001" would bar nobody).
func (mp *mapping) person(ref, path string) {
	if ref == "" {
		return // Validate says it is required
	}
	if mp.guardians[ref] {
		return
	}
	mp.resolve(ref, path, "")
}

// humanName is a name as people read it: the official name first, else the
// first; its text, else given names and family.
func humanName(names []models.HumanName) string {
	if len(names) == 0 {
		return ""
	}
	n := names[0]
	for _, c := range names {
		if c.Use != nil && *c.Use == models.NameUseOfficial {
			n = c
			break
		}
	}
	if n.Text != nil && strings.TrimSpace(*n.Text) != "" {
		return strings.TrimSpace(*n.Text)
	}
	parts := slices.Clone(n.Given)
	if n.Family != nil {
		parts = append(parts, *n.Family)
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// fullDate reports whether s is a real calendar date, YYYY-MM-DD.
func fullDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == 10
}

// ageAt is the age in whole years on at's calendar date, in at's zone, of
// someone born on dob (YYYY-MM-DD), as the contract counts it.
func ageAt(dob string, at time.Time) int {
	born, _ := time.Parse(time.DateOnly, dob)
	y, m, d := at.Date()
	age := y - born.Year()
	if m < born.Month() || m == born.Month() && d < born.Day() {
		age--
	}
	return age
}

// dateTimePattern is FHIR's dateTime with a time: to the second, with an offset.
const fhirDateTime = "2006-01-02T15:04:05Z07:00"

// instant reads a FHIR date or dateTime of at least a full date as the
// instant it starts (a date alone: the start of that day in at's zone), or,
// for end, the last instant it covers. A partial date is reported.
func (mp *mapping) instant(resource, path, s string, end bool) (time.Time, bool) {
	if fullDate(s) {
		d, _ := time.ParseInLocation(time.DateOnly, s, mp.at.Location())
		if end {
			d = d.AddDate(0, 0, 1).Add(-time.Nanosecond)
		}
		return d, true
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil && len(s) > 10 {
		return t, true
	}
	if t, err := time.Parse(fhirDateTime, s); err == nil {
		return t, true
	}
	mp.add(resource, path, codeValue, "%s is not a full date (YYYY-MM-DD) or a dateTime with a time and offset: a partial date leaves when it applies unknown", quote(s))
	return time.Time{}, false
}

// rawField reads one element of a resource's JSON.
func rawField(raw json.RawMessage, name string) json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m[name]
}

// unique drops an issue found twice (a companion's relationship is read both
// as the companion's and as a possible guardian's), keeping the first.
func unique(l issues) issues {
	seen := map[Issue]bool{}
	out := l[:0]
	for _, is := range l {
		if !seen[is] {
			seen[is] = true
			out = append(out, is)
		}
	}
	return out
}

package fhir

import (
	"fmt"
	"slices"
	"time"

	models "github.com/samply/golang-fhir-models/fhir-models/fhir"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// informationActions are what a Privacy Consent, or a consent-action code
// of information (access, disclose), is about.
var informationActions = []checkin.Action{checkin.DiscussCare, checkin.ReceiveRecords, checkin.SchoolNote}

// custodian is v3 ParticipationType CST: the holder of the records a
// Consent is about, not someone it grants anything to.
const (
	participationTypeSystem = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
	custodianRole           = "CST"
)

// A consentKind is what a Consent is for the contract.
type consentKind struct {
	kind  checkin.DocumentKind // "" for none
	scope string               // consentscope code
	skip  bool                 // not a check-in document
}

// one Consent being mapped.
type consentMapping struct {
	mp        *mapping
	x         *resource
	c         *models.Consent
	kind      consentKind
	revoked   bool
	grantor   string // the performer's reference, "" when none
	byPatient bool
	signed    string
	docs      []checkin.Document
	docAt     []string // the path each document came from
	patient   checkin.Patient
	records   *checkin.Records
}

// consents maps every Consent of the patient to documents, restrictions,
// refusals and designations.
func (mp *mapping) consents(records *checkin.Records, patient checkin.Patient) {
	for _, x := range mp.res.list {
		if x.consent == nil || !mp.ofPatientConsent(x) {
			continue
		}
		cm := &consentMapping{mp: mp, x: x, c: x.consent, patient: patient, records: records}
		cm.run()
	}
}

func (mp *mapping) ofPatientConsent(x *resource) bool {
	p := x.consent.Patient
	return p != nil && p.Reference != nil && *p.Reference == mp.patientRef
}

func (cm *consentMapping) add(path, code, format string, args ...any) {
	cm.mp.add(cm.x.ref, path, code, format, args...)
}

func (cm *consentMapping) run() {
	ref := cm.x.ref
	status, ok := jsonString(rawField(cm.x.raw, "status"))
	if !ok {
		cm.add(ref+".status", codeRequired, "is required: active, inactive, rejected, draft, proposed or entered-in-error")
		return
	}
	switch status {
	case "active":
	case "inactive":
		cm.revoked = true
	default:
		// Rejected, draft, proposed and entered-in-error consents never took
		// effect: they grant nothing and, never in force, restrict nothing.
		return
	}
	cm.kind = cm.kindOf()
	if cm.kind.skip {
		// A deny restricts whatever the Consent is; one in a Consent that is
		// not a check-in document cannot be read, and must not be lost.
		if cm.c.Provision != nil && deniesAnything(*cm.c.Provision) {
			cm.add(ref+".provision", codeNotSupported, "holds a deny provision in a Consent that is not a check-in document (scope %s): "+
				"send the restriction as a treatment or patient-privacy Consent, or in facts.restrictions", quote(cm.kind.scope))
		}
		return
	}
	cm.performer()
	if cm.c.DateTime != nil {
		if _, ok := cm.mp.instant(ref, ref+".dateTime", *cm.c.DateTime, false); ok {
			cm.signed = (*cm.c.DateTime)[:10] // the date as the record wrote it
		}
	}
	if cm.c.Provision == nil {
		return // a Consent without provisions names nobody: it grants a person nothing
	}
	cm.provision(*cm.c.Provision, ref+".provision", nil, nil, 0)
	for i, d := range cm.docs {
		if len(cm.docs) > 1 {
			d.ID = fmt.Sprintf("%s#%d", ref, i+1)
		} else {
			d.ID = ref
		}
		cm.mp.origin[fmt.Sprintf("records.documents[%d]", len(cm.records.Documents))] = cm.docAt[i]
		cm.mp.origin[fmt.Sprintf("records.documents[%d].granted_by", len(cm.records.Documents))] = ref + ".performer"
		cm.records.Documents = append(cm.records.Documents, d)
	}
}

// deniesAnything reports whether p or a provision nested in it is a deny.
func deniesAnything(p models.ConsentProvision) bool {
	if p.Type != nil && *p.Type == models.ConsentProvisionTypeDeny {
		return true
	}
	for _, n := range p.Provision {
		if deniesAnything(n) {
			return true
		}
	}
	return false
}

// kindOf reads what a Consent is from its scope and category.
func (cm *consentMapping) kindOf() consentKind {
	ref := cm.x.ref
	var k consentKind
	for i, c := range cm.c.Scope.Coding {
		if c.System != nil && *c.System == consentScopeSystem && c.Code != nil {
			if k.scope != "" && k.scope != *c.Code {
				cm.add(fmt.Sprintf("%s.scope.coding[%d]", ref, i), codeValue, "a second scope, %s: a Consent has one", quote(*c.Code))
				return consentKind{skip: true}
			}
			k.scope = *c.Code
		}
	}
	switch k.scope {
	case "":
		cm.add(ref+".scope", codeRequired, "is required: a %s code (treatment, patient-privacy, adr, research)", consentScopeSystem)
		return consentKind{skip: true}
	case "treatment", "patient-privacy", "adr", "research":
	default:
		cm.add(ref+".scope", codeCodeInvalid, "%s is not a code of %s: send treatment, patient-privacy, adr or research", quote(k.scope), consentScopeSystem)
		return consentKind{skip: true}
	}
	var explicit checkin.DocumentKind
	directive := false
	for i, cc := range cm.c.Category {
		for j, c := range cc.Coding {
			if c.System == nil || c.Code == nil {
				continue
			}
			at := fmt.Sprintf("%s.category[%d].coding[%d]", ref, i, j)
			switch *c.System {
			case DocumentKindSystem:
				kind := checkin.DocumentKind(*c.Code)
				if !kind.Valid() {
					cm.add(at, codeCodeInvalid, "%s is not a code of %s: send one of %v", quote(*c.Code), DocumentKindSystem, checkin.DocumentKinds())
					return consentKind{skip: true}
				}
				if explicit != "" && explicit != kind {
					cm.add(at, codeValue, "says %s, and another category says %s: a Consent is one document", kind, explicit)
					return consentKind{skip: true}
				}
				explicit = kind
			case consentCategorySystem:
				if *c.Code == "acd" || *c.Code == "hcd" {
					directive = true
				}
			}
		}
	}
	if explicit != "" {
		fits := map[checkin.DocumentKind][]string{
			checkin.HIPAAAuthorization: {"patient-privacy"},
			checkin.ProxyAuthorization: {"treatment"},
			checkin.CaregiverAffidavit: {"treatment"},
			checkin.FosterPlacement:    {"treatment"},
			checkin.HealthcarePOA:      {"adr", "treatment"},
		}
		if !slices.Contains(fits[explicit], k.scope) {
			cm.add(ref+".scope", codeValue, "%s does not fit the category %s: a %s has scope %v", quote(k.scope), explicit, explicit, fits[explicit])
			return consentKind{skip: true}
		}
		k.kind = explicit
		return k
	}
	switch k.scope {
	case "patient-privacy":
		k.kind = checkin.HIPAAAuthorization
	case "treatment":
		k.kind = checkin.ProxyAuthorization
	case "adr":
		if !directive {
			k.skip = true // a DNR or POLST instructs clinicians; it delegates nothing
		}
		k.kind = checkin.HealthcarePOA
	case "research":
		k.skip = true
	}
	return k
}

// performer reads who gave the Consent: the Patient, a RelatedPerson of the
// patient, or a guardian the facts name.
func (cm *consentMapping) performer() {
	ref := cm.x.ref
	for i, p := range cm.c.Performer {
		at := fmt.Sprintf("%s.performer[%d]", ref, i)
		if p.Reference == nil {
			cm.add(at, codeRequired, "names nobody: reference the Patient or a RelatedPerson of the patient")
			continue
		}
		r := *p.Reference
		ok := cm.mp.guardians[r]
		if !ok {
			if x := cm.mp.resolve(r, at, ref); x != nil {
				ok = cm.mp.ofPatient(x)
				if !ok {
					cm.add(at, codeValue, "%s is a %s, not the Patient or a RelatedPerson of the patient: a Consent is given by the patient or someone who decides for them", quote(r), x.typ)
				}
			}
		}
		if ok && i == 0 {
			cm.grantor = r
			cm.byPatient = r == cm.mp.patientRef
		}
	}
}

// maxNesting is how deep provisions may nest: a provision and its exceptions.
const maxNesting = 1

// provision maps one provision at path; actors and period are what an outer
// provision gave, for an exception without its own.
func (cm *consentMapping) provision(p models.ConsentProvision, path string, outerActors []models.ConsentProvisionActor, outer *span, depth int) {
	if depth > maxNesting {
		cm.add(path, codeNotSupported, "provisions nested this deep cannot be represented; send each rule as a provision of the Consent, or one exception level")
		return
	}
	when, ok := cm.span(p.Period, path+".period", outer)
	if !ok {
		return
	}
	actors, actorsPath := p.Actor, path+".actor"
	if len(actors) == 0 {
		actors = outerActors
	}
	switch {
	case p.Type == nil && len(p.Actor) > 0:
		cm.add(path+".type", codeRequired, "is required when the provision names actors: permit or deny")
	case p.Type == nil:
		// A container of exceptions: nothing of its own.
	case *p.Type == models.ConsentProvisionTypePermit && len(actors) > 0:
		cm.permit(p, path, actors, actorsPath, when)
	case *p.Type == models.ConsentProvisionTypeDeny:
		cm.deny(p, path, actors, actorsPath, when)
	default:
		// A permit naming nobody: the custodian's own use, nothing for a check-in.
	}
	for i, n := range p.Provision {
		at := fmt.Sprintf("%s.provision[%d]", path, i)
		if p.Type != nil && *p.Type == models.ConsentProvisionTypeDeny && n.Type != nil && *n.Type == models.ConsentProvisionTypePermit {
			cm.add(at, codeNotSupported, "a permit inside a deny is an exception to a restriction, which the contract's restrictions cannot have: send the permit as a provision of its own and the deny without it")
			continue
		}
		cm.provision(n, at, actors, &when, depth+1)
	}
}

// A span is when a provision applies: dates as the contract writes them,
// and the instants they were read from.
type span struct {
	from, until string // YYYY-MM-DD, "" for open
	start, end  time.Time
	hasStart    bool
	hasEnd      bool
	endRaw      string // the end as written
}

// span reads a provision's period within the outer one.
func (cm *consentMapping) span(p *models.Period, path string, outer *span) (span, bool) {
	var s span
	if outer != nil {
		s = *outer
	}
	if p == nil {
		return s, true
	}
	ok := true
	if p.Start != nil {
		if t, valid := cm.mp.instant(cm.x.ref, path+".start", *p.Start, false); valid {
			if !s.hasStart || t.After(s.start) {
				s.start, s.hasStart = t, true
				s.from = cm.validFrom(*p.Start, t)
			}
		} else {
			ok = false
		}
	}
	if p.End != nil {
		if t, valid := cm.mp.instant(cm.x.ref, path+".end", *p.End, true); valid {
			if !s.hasEnd || t.Before(s.end) {
				s.end, s.hasEnd, s.endRaw = t, true, *p.End
				s.until = cm.validUntil(*p.End, t)
			}
		} else {
			ok = false
		}
	}
	return s, ok
}

// validFrom is the first date a grant starting at t applies on, in the
// check-in's calendar: a start later on the check-in's day is the next day,
// so that the grant never applies before it starts.
func (cm *consentMapping) validFrom(raw string, t time.Time) string {
	if fullDate(raw) {
		return raw
	}
	local := t.In(cm.mp.at.Location())
	d := local.Format(time.DateOnly)
	if local.Hour() != 0 || local.Minute() != 0 || local.Second() != 0 || local.Nanosecond() != 0 {
		d = local.AddDate(0, 0, 1).Format(time.DateOnly)
	}
	return d
}

// validUntil is the last date a grant ending at t applies on, in the
// check-in's calendar: one that ended earlier on the check-in's day ended
// the day before, so that the grant never applies after it ends.
func (cm *consentMapping) validUntil(raw string, t time.Time) string {
	if fullDate(raw) {
		return raw
	}
	local := t.In(cm.mp.at.Location())
	if !t.Before(cm.mp.at) {
		return local.Format(time.DateOnly)
	}
	last := local
	if local.Format(time.DateOnly) >= cm.mp.atDate {
		last = cm.mp.at.AddDate(0, 0, -1)
	}
	return last.Format(time.DateOnly)
}

// restrictionUntil is the last date a restriction ending at t bars anyone:
// the whole of its last day, never less.
func (cm *consentMapping) restrictionUntil(raw string, t time.Time) string {
	if fullDate(raw) {
		return raw
	}
	return t.In(cm.mp.at.Location()).Format(time.DateOnly)
}

// actions reads what a provision is about: its action codes (consent-action
// access and disclose are the information actions; collect, use and correct
// are none of the contract's), and codes of ActionSystem in action or code.
// given is false when the provision names no action at all. A provision
// limited to some data (data, class, code, securityLabel, purpose,
// dataPeriod) covers less than any action of the contract, and is reported.
func (cm *consentMapping) actions(p models.ConsentProvision, path string) (covers []checkin.Action, given, ok bool) {
	ok = true
	addAction := func(a checkin.Action) {
		if !slices.Contains(covers, a) {
			covers = append(covers, a)
		}
	}
	for i, cc := range p.Action {
		for j, c := range cc.Coding {
			at := fmt.Sprintf("%s.action[%d].coding[%d]", path, i, j)
			given = true
			switch {
			case c.System == nil || c.Code == nil:
				cm.add(at, codeRequired, "a coding needs a system and a code")
				ok = false
			case *c.System == ActionSystem && checkin.Action(*c.Code).Valid():
				addAction(checkin.Action(*c.Code))
			case *c.System == consentActionSystem && (*c.Code == "access" || *c.Code == "disclose"):
				for _, a := range informationActions {
					addAction(a)
				}
			case *c.System == consentActionSystem && (*c.Code == "collect" || *c.Code == "use" || *c.Code == "correct"):
			default:
				cm.add(at, codeCodeInvalid, "%s|%s is not an action this mapping knows: send %s access or disclose, or a code of %s (%v)",
					*c.System, *c.Code, consentActionSystem, ActionSystem, checkin.Actions())
				ok = false
			}
		}
		if len(cc.Coding) == 0 {
			cm.add(fmt.Sprintf("%s.action[%d]", path, i), codeRequired, "an action needs a coding")
			ok = false
		}
	}
	for i, cc := range p.Code {
		for j, c := range cc.Coding {
			at := fmt.Sprintf("%s.code[%d].coding[%d]", path, i, j)
			if c.System != nil && c.Code != nil && *c.System == ActionSystem && checkin.Action(*c.Code).Valid() {
				given = true
				addAction(checkin.Action(*c.Code))
				continue
			}
			cm.add(at, codeNotSupported, "limits the provision to some content, which no action of the contract is: a document covers whole actions; record the limit where staff read it, and send the provision without it")
			ok = false
		}
	}
	limits := map[string]bool{
		"data": len(p.Data) > 0, "class": len(p.Class) > 0, "securityLabel": len(p.SecurityLabel) > 0,
		"purpose": len(p.Purpose) > 0, "dataPeriod": p.DataPeriod != nil,
	}
	for _, name := range []string{"data", "class", "securityLabel", "purpose", "dataPeriod"} {
		if limits[name] {
			cm.add(path+"."+name, codeNotSupported, "limits the provision to some data or purpose, which no action of the contract is: it cannot be represented without granting or barring more than it says; send the provision without it")
			ok = false
		}
	}
	return covers, given, ok
}

// permit maps a permit to actors.
func (cm *consentMapping) permit(p models.ConsentProvision, path string, actors []models.ConsentProvisionActor, actorsPath string, when span) {
	covers, given, ok := cm.actions(p, path)
	grantees := cm.actorRefs(actors, actorsPath)
	if !ok || grantees == nil {
		return
	}
	if given && len(covers) == 0 {
		return // only collect, use or correct: nothing of the contract's
	}
	kind := cm.kind.kind
	if !given {
		switch kind {
		case checkin.ProxyAuthorization, checkin.CaregiverAffidavit, checkin.FosterPlacement:
			cm.add(path+".action", codeRequired, "is required for a %s: list the actions it authorizes, as codes of %s (consent_sick, accompany, pick_up...)", kind, ActionSystem)
			return
		}
		covers = nil // a HIPAA authorization's or power of attorney's scope in law
	}
	for _, g := range grantees {
		if g == cm.mp.patientRef {
			continue // the patient needs no document to act for themselves
		}
		if cm.byPatient && cm.kind.kind != checkin.HealthcarePOA {
			cm.designate(g, covers, kind, path, when)
			if kind != checkin.HIPAAAuthorization {
				continue
			}
		}
		cm.docs = append(cm.docs, checkin.Document{
			Kind: kind, GrantedBy: cm.grantor, Grantee: g, Covers: covers,
			ValidFrom: when.from, ValidUntil: when.until, Revoked: cm.revoked, SignedOn: cm.signed,
		})
		cm.docAt = append(cm.docAt, path)
	}
}

// designate records the patient's own choice of a person, when in force at
// the check-in: a designation has no dates or revocation of its own.
func (cm *consentMapping) designate(person string, covers []checkin.Action, kind checkin.DocumentKind, path string, when span) {
	if len(covers) == 0 {
		if kind != checkin.HIPAAAuthorization {
			cm.add(path+".action", codeRequired, "is required: list the actions the patient names the person for, as codes of %s", ActionSystem)
			return
		}
		covers = informationActions
	}
	if cm.revoked || !cm.inForce(when) {
		return
	}
	r := cm.records
	cm.mp.origin[fmt.Sprintf("records.designations[%d]", len(r.Designations))] = path
	r.Designations = append(r.Designations, checkin.Designation{Person: person, Covers: slices.Clone(covers)})
}

// inForce reports whether a span holds at the check-in.
func (cm *consentMapping) inForce(when span) bool {
	at := cm.mp.at
	return (!when.hasStart || !when.start.After(at)) && (!when.hasEnd || !when.end.Before(at))
}

// deny maps a deny: a restriction on each actor, or, naming none, a
// guardian's refusal.
func (cm *consentMapping) deny(p models.ConsentProvision, path string, actors []models.ConsentProvisionActor, actorsPath string, when span) {
	covers, given, ok := cm.actions(p, path)
	if !ok {
		return
	}
	if given && len(covers) == 0 {
		return // only collect, use or correct: nothing of the contract's
	}
	if !given {
		if cm.kind.scope == "patient-privacy" {
			covers = slices.Clone(informationActions)
		} else {
			covers = []checkin.Action{checkin.AllActions}
		}
	}
	if cm.revoked {
		return // a deny withdrawn bars no one
	}
	if when.hasStart && when.start.After(cm.mp.at) {
		return // not yet in force; a restriction has no start of its own
	}
	r := cm.records
	if len(actors) == 0 {
		if cm.grantor == "" {
			cm.add(cm.x.ref+".performer", codeRequired, "is required for a deny that names no actor: it is the refusal of a guardian, who must be named")
			return
		}
		if !cm.mp.guardians[cm.grantor] {
			cm.add(path, codeNotSupported, "a deny naming no actor is a guardian's refusal, but %s is not a guardian of the patient: name the people it bars in provision.actor", cm.grantor)
			return
		}
		if when.hasEnd && when.end.Before(cm.mp.at) {
			return // a refusal that has ended
		}
		cm.mp.origin[fmt.Sprintf("records.refusals[%d]", len(r.Refusals))] = path
		r.Refusals = append(r.Refusals, checkin.Refusal{By: cm.grantor, Covers: covers})
		return
	}
	people := cm.actorRefs(actors, actorsPath)
	for _, person := range people {
		until := ""
		if when.hasEnd {
			until = cm.restrictionUntil(when.endRaw, when.end)
		}
		cm.mp.origin[fmt.Sprintf("records.restrictions[%d]", len(r.Restrictions))] = path
		r.Restrictions = append(r.Restrictions, checkin.Restriction{
			Person: person, Covers: slices.Clone(covers), Source: "practice_flag", ValidUntil: until,
		})
	}
}

// actorRefs reads the people a provision names; nil when one cannot be
// read (the problem is reported). The custodian is not one of them.
func (cm *consentMapping) actorRefs(actors []models.ConsentProvisionActor, path string) []string {
	out := []string{}
	ok := true
	for i, a := range actors {
		at := fmt.Sprintf("%s[%d].reference", path, i)
		if isCustodian(a.Role) {
			continue
		}
		if a.Reference.Reference == nil {
			cm.add(at, codeRequired, "names nobody: reference the RelatedPerson the provision is about")
			ok = false
			continue
		}
		r := *a.Reference.Reference
		x := cm.mp.resolve(r, at, cm.x.ref)
		if x == nil {
			ok = false
			continue
		}
		if !slices.Contains(actorTypes, x.typ) {
			cm.add(at, codeValue, "%s is a %s: a provision's actor is a person or organization (%v)", quote(r), x.typ, actorTypes)
			ok = false
			continue
		}
		if (x.related != nil || x.patient != nil) && !cm.mp.ofPatient(x) {
			ok = false
			continue // checkOwnership reported it
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	if !ok {
		return nil
	}
	return out
}

// actorTypes are the resources R4 lets Consent.provision.actor reference.
var actorTypes = []string{"RelatedPerson", "Patient", "Practitioner", "PractitionerRole", "Organization", "CareTeam", "Group", "Device"}

func isCustodian(role models.CodeableConcept) bool {
	for _, c := range role.Coding {
		if c.System != nil && c.Code != nil && *c.System == participationTypeSystem && *c.Code == custodianRole {
			return true
		}
	}
	return false
}

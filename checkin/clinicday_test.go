package checkin_test

// The clinic day: every request a practice group's front desks send in one
// day, generated from a fixed seed so that every run decides the same day.
// BenchmarkClinicDay measures it; TestClinicDay holds it to being valid and
// varied.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

const (
	dayAppointments = 400
	daySeed         = 20261123
	// A desk's screens ask again about a visit from 10 to 30 times after
	// its check-in: the schedule, the rooming board, checkout.
	minRefreshes, maxRefreshes = 10, 30
)

// dayDate is the clinic day, a Monday, in every clinic's own zone.
var dayDate = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// A daySite is one clinic of the group: where its care is given, its zone
// in November, its practice profile ("" for the default), and its share of
// the day's appointments.
type daySite struct {
	jurisdiction string
	zone         *time.Location
	practice     string
	weight       int
}

var (
	atlantic = time.FixedZone("AST", -4*60*60)
	eastern  = time.FixedZone("EST", -5*60*60)
	central  = time.FixedZone("CST", -6*60*60)
	pacific  = time.FixedZone("PST", -8*60*60)
)

// daySites ships profiles for all but Puerto Rico and the Virgin Islands,
// which decide under the default rules. The New York clinic is a pediatric
// dentist's that takes only guardians and written authorizations.
var daySites = []daySite{
	{"US-TX", central, "", 16},
	{"US-CA", pacific, "", 16},
	{"US-FL", eastern, "", 12},
	{"US-PA", eastern, "", 10},
	{"US-TN", central, "", 8},
	{"US-NY", eastern, "strict", 8},
	{"US-WA", pacific, "", 8},
	{"US-AL", central, "", 6},
	{"US-PR", atlantic, "", 10},
	{"US-VI", atlantic, "", 6},
}

// A dayAsk is one request of the day.
type dayAsk struct {
	appointment int
	// first: the day has not asked this request before, at any time.
	first bool
	req   checkin.Request
}

// clinicDay is the day's requests in the order the desks send them. Each
// appointment is decided at check-in and asked again by every refresh of a
// screen until the patient leaves, the same request at a later time; some
// change once on the way (a guardian consents by phone, a companion shows
// ID, the patient agrees, a vaccine is added), and from then on the screens
// ask the changed request.
func clinicDay() []dayAsk {
	g := &dayGen{rnd: rand.New(rand.NewPCG(daySeed, daySeed))}
	var day []dayAsk
	for n := range dayAppointments {
		g.start(n)
		v := g.visit()
		slot := g.date.Add(8*time.Hour + time.Duration(g.rnd.IntN(35))*15*time.Minute) // 08:00 to 16:30
		arrival := slot.Add(-time.Duration(g.rnd.IntN(16)) * time.Minute)
		stay := time.Duration(30+g.rnd.IntN(91)) * time.Minute
		refreshes := make([]time.Duration, minRefreshes+g.rnd.IntN(maxRefreshes-minRefreshes+1))
		for i := range refreshes {
			refreshes[i] = time.Duration(1 + g.rnd.Int64N(int64(stay)))
		}
		slices.Sort(refreshes)
		changeAt := len(refreshes) // none
		if v.change != nil {
			changeAt = g.rnd.IntN(len(refreshes))
		}
		ask := func(req checkin.Request, at time.Time, first bool) {
			req.At = at
			day = append(day, dayAsk{appointment: n, first: first, req: req})
		}
		ask(v.req, arrival, true)
		changed := v.req
		if v.change != nil {
			changed = v.change(v.req)
		}
		for i, d := range refreshes {
			if i < changeAt {
				ask(v.req, arrival.Add(d), false)
			} else {
				ask(changed, arrival.Add(d), i == changeAt)
			}
		}
	}
	slices.SortStableFunc(day, func(a, b dayAsk) int { return a.req.At.Compare(b.req.At) })
	return day
}

// dayGen makes one appointment at a time.
type dayGen struct {
	rnd    *rand.Rand
	n      int // the appointment
	site   daySite
	date   time.Time // midnight of the day in the site's zone
	family string
}

// A dayVisit is an appointment's request at check-in and, if it changes
// during the visit, how.
type dayVisit struct {
	req    checkin.Request
	change func(checkin.Request) checkin.Request
}

func (g *dayGen) start(n int) {
	g.n = n
	g.site = pickWeighted(g, daySites, func(s daySite) int { return s.weight })
	g.date = time.Date(dayDate.Year(), dayDate.Month(), dayDate.Day(), 0, 0, 0, 0, g.site.zone)
	g.family = pickOne(g, familyNames)
}

// visit picks the kind of appointment, weighted as a mixed practice sees
// them: mostly children with a parent, then adults on their own or with a
// partner, then every other kind of family.
func (g *dayGen) visit() dayVisit {
	type kind struct {
		weight int
		make   func() dayVisit
	}
	kinds := []kind{
		{22, g.childWithParent},
		{4, g.childWithNoncustodialParent},
		{5, g.childWithStepparent},
		{8, g.childWithGrandparent},
		{5, g.childWithAunt},
		{6, g.childWithSitter},
		{3, g.childWithFosterParent},
		{2, g.childWithBarredParent},
		{2, g.childEmergency},
		{5, g.teenWithParent},
		{6, g.teenAlone},
		{3, g.youngAdultWithParent},
		{12, g.adultAlone},
		{10, g.adultWithPartner},
		{7, g.adultLackingCapacity},
	}
	return pickWeighted(g, kinds, func(k kind) int { return k.weight }).make()
}

var (
	familyNames = []string{"Lopez", "Nguyen", "Smith", "Okafor", "Garcia", "Kim", "Johnson", "Rivera", "Patel",
		"Brown", "Cohen", "Martinez", "Williams", "Haddad", "Santos", "Miller", "Jackson", "Rossi", "Chen", "Davis"}
	givenNames = []string{"Ana", "Luis", "Maya", "Omar", "Grace", "Eli", "Sofia", "Noah", "Lena", "Marcus", "Ivy",
		"Theo", "Rosa", "Sam", "Nora", "Jamal", "Tess", "Ravi", "June", "Pablo", "Ada", "Kofi", "Mei", "Hugo"}
)

func pickOne[T any](g *dayGen, from []T) T { return from[g.rnd.IntN(len(from))] }

// pickWeighted picks one of from, each as likely as its weight.
func pickWeighted[T any](g *dayGen, from []T, weight func(T) int) T {
	total := 0
	for _, x := range from {
		total += weight(x)
	}
	n := g.rnd.IntN(total)
	for _, x := range from {
		if n -= weight(x); n < 0 {
			return x
		}
	}
	panic("unreachable")
}

func (g *dayGen) chance(p float64) bool { return g.rnd.Float64() < p }

// between is a whole number from lo to hi, both included.
func (g *dayGen) between(lo, hi int) int { return lo + g.rnd.IntN(hi-lo+1) }

func (g *dayGen) id(who string) string { return fmt.Sprintf("per-%d-%s", g.n, who) }

func (g *dayGen) name() string { return pickOne(g, givenNames) + " " + g.family }

// day is the date days from the clinic day.
func (g *dayGen) day(days int) string { return g.date.AddDate(0, 0, days).Format(time.DateOnly) }

// request is the appointment's request for a patient of the given age.
func (g *dayGen) request(age int) checkin.Request {
	return checkin.Request{
		Jurisdiction: g.site.jurisdiction,
		Practice:     g.site.practice,
		Patient: checkin.Patient{
			ID: fmt.Sprintf("pt-%d", 1000+g.n), Name: g.name(),
			BirthDate: g.date.AddDate(-age, 0, -g.rnd.IntN(365)).Format(time.DateOnly),
		},
	}
}

func (g *dayGen) identity() checkin.Identity {
	switch k := g.rnd.IntN(10); {
	case k < 5:
		return checkin.KnownToStaff
	case k < 9:
		return checkin.PhotoID
	default:
		return checkin.Unverified
	}
}

// companion is an adult of the family asking at the desk.
func (g *dayGen) companion(who string, rel checkin.Relationship, age int) checkin.Companion {
	return checkin.Companion{ID: g.id(who), Name: g.name(), Relationship: rel, Age: age,
		Identity: g.identity(), BroughtPatient: true}
}

// parents are a minor's guardians on file: the mother, and the father in
// most families; an adoptive family now and then.
func (g *dayGen) parents(req *checkin.Request) {
	role := checkin.RoleParent
	if g.chance(0.05) {
		role = checkin.RoleAdoptiveParent
	}
	req.Records.Guardians = append(req.Records.Guardians, checkin.Guardian{Person: g.id("mother"), Name: g.name(), Role: role})
	if g.chance(0.7) {
		req.Records.Guardians = append(req.Records.Guardians, checkin.Guardian{Person: g.id("father"), Name: g.name(), Role: role})
	}
}

func hasGuardian(req checkin.Request, person string) bool { return guardianName(req, person) != "" }

func guardianName(req checkin.Request, person string) string {
	for _, gd := range req.Records.Guardians {
		if gd.Person == person {
			return gd.Name
		}
	}
	return ""
}

// minorVisit is what the desk asks for a minor's visit.
func (g *dayGen) minorVisit(age int) []checkin.Action {
	switch k := g.rnd.IntN(100); {
	case k < 45:
		asked := []checkin.Action{checkin.Accompany, checkin.ConsentSick, checkin.DiscussCare, checkin.PickUp}
		if age >= 5 {
			asked = append(asked, checkin.SchoolNote)
		}
		return asked
	case k < 80:
		return []checkin.Action{checkin.Accompany, checkin.ConsentWellness, checkin.ConsentVaccine, checkin.DiscussCare, checkin.PickUp}
	case k < 88:
		return []checkin.Action{checkin.Accompany, checkin.ConsentProcedure, checkin.DiscussCare, checkin.PickUp}
	case k < 95 && age >= 6:
		return []checkin.Action{checkin.Accompany, checkin.ConsentBehavioral, checkin.DiscussCare}
	default:
		return []checkin.Action{checkin.Accompany, checkin.ConsentVaccine}
	}
}

// consents are the consent actions among asked.
func consents(asked []checkin.Action) []checkin.Action {
	var out []checkin.Action
	for _, a := range asked {
		if strings.HasPrefix(string(a), "consent_") {
			out = append(out, a)
		}
	}
	return out
}

// proxy is a guardian's written authorization, mostly in force; now and
// then expired, not yet in force or revoked. In Pennsylvania most carry the
// two witnesses the state asks for.
func (g *dayGen) proxy(from, to string, covers ...checkin.Action) checkin.Document {
	d := checkin.Document{
		ID: fmt.Sprintf("doc-%d-1", g.n), Kind: checkin.ProxyAuthorization, GrantedBy: from, Grantee: to,
		Covers: covers, ValidFrom: g.day(-g.between(20, 300)), ValidUntil: g.day(g.between(0, 330)),
	}
	switch k := g.rnd.IntN(100); {
	case k < 15:
		d.ValidUntil = g.day(-g.between(1, 60))
	case k < 18:
		d.ValidFrom = g.day(g.between(1, 10))
	case k < 21:
		d.Revoked = true
	}
	if g.site.jurisdiction == "US-PA" && g.chance(0.85) {
		d.Witnesses = 2
	}
	return d
}

// phoneConsent is the change in which staff reach a guardian, who consents
// by phone to the visit's care.
func (g *dayGen) phoneConsent(from string) func(checkin.Request) checkin.Request {
	witness := fmt.Sprintf("staff-%d", g.between(1, 12))
	return func(req checkin.Request) checkin.Request {
		covers := consents(req.Requested)
		if len(covers) == 0 {
			covers = []checkin.Action{checkin.AllActions}
		}
		req.Desk.VerbalConsent = append(slices.Clip(req.Desk.VerbalConsent),
			checkin.VerbalConsent{From: from, Covers: covers, Witness: witness})
		return req
	}
}

// showsID is the change in which a companion not yet checked shows a photo ID.
func showsID(req checkin.Request) checkin.Request {
	req.Companion.Identity = checkin.PhotoID
	return req
}

// addsVaccine is the change in which the clinician offers a flu shot.
func addsVaccine(req checkin.Request) checkin.Request {
	req.Requested = append(slices.Clip(req.Requested), checkin.ConsentVaccine)
	return req
}

func patientAgrees(req checkin.Request) checkin.Request {
	req.Desk.PatientAgrees = true
	return req
}

// minor is the request for a minor of lo to hi years with their parents on
// file, asking for one of a minor's visits, and the minor's age.
func (g *dayGen) minor(lo, hi int) (checkin.Request, int) {
	age := g.between(lo, hi)
	req := g.request(age)
	g.parents(&req)
	req.Requested = g.minorVisit(age)
	return req, age
}

func (g *dayGen) childWithParent() dayVisit {
	req, _ := g.minor(0, 11)
	who, rel := "mother", checkin.Parent
	if hasGuardian(req, g.id("father")) && g.chance(0.35) {
		who = "father"
	}
	if req.Records.Guardians[0].Role == checkin.RoleAdoptiveParent {
		rel = checkin.AdoptiveParent
	}
	req.Companion = g.companion(who, rel, g.between(22, 50))
	req.Companion.Name = guardianName(req, req.Companion.ID)
	req.Companion.LivesWithPatient = true
	other := g.id("father")
	if who == "father" {
		other = g.id("mother")
	}
	if hasGuardian(req, other) {
		switch k := g.rnd.IntN(100); {
		case k < 5: // a custody order keeps the other parent from taking the child
			req.Records.Restrictions = []checkin.Restriction{{Person: other, Source: "court_order",
				Covers: []checkin.Action{checkin.PickUp, checkin.ReceiveRecords}, ValidUntil: g.day(g.between(30, 400))}}
		case k < 10:
			req.Records.Refusals = []checkin.Refusal{{By: other, Covers: []checkin.Action{checkin.ConsentVaccine}}}
		}
	}
	v := dayVisit{req: req}
	switch {
	case req.Companion.Identity == checkin.Unverified:
		v.change = showsID
	case slices.Contains(req.Requested, checkin.ConsentSick) && g.chance(0.15):
		v.change = addsVaccine
	}
	return v
}

// childWithNoncustodialParent: a custody order gives medical decisions to
// the mother; the father brings the child, and staff often reach her.
func (g *dayGen) childWithNoncustodialParent() dayVisit {
	req := g.request(g.between(2, 11))
	req.Records.Guardians = []checkin.Guardian{
		{Person: g.id("mother"), Name: g.name(), Role: checkin.RoleParent},
		{Person: g.id("father"), Name: g.name(), Role: checkin.RoleParent, LegalCustody: new(false)},
	}
	req.Companion = g.companion("father", checkin.Parent, g.between(25, 55))
	req.Companion.Name = guardianName(req, req.Companion.ID)
	req.Requested = g.minorVisit(6)
	v := dayVisit{req: req}
	if g.chance(0.6) {
		v.change = g.phoneConsent(g.id("mother"))
	}
	return v
}

func (g *dayGen) childWithStepparent() dayVisit {
	req, _ := g.minor(1, 11)
	req.Companion = g.companion("stepparent", checkin.Stepparent, g.between(26, 55))
	req.Companion.LivesWithPatient = true
	v := dayVisit{req: req}
	if g.chance(0.45) {
		req.Records.Documents = []checkin.Document{g.proxy(g.id("mother"), req.Companion.ID,
			checkin.ConsentSick, checkin.ConsentWellness, checkin.ConsentVaccine, checkin.DiscussCare, checkin.PickUp)}
		v.req = req
	} else if g.chance(0.6) {
		v.change = g.phoneConsent(g.id("mother"))
	}
	return v
}

// childWithGrandparent: a grandparent brings a grandchild with a
// caregiver's affidavit in California, under the unreachable-guardian
// statute in Texas and Florida, or with the parents' written authorization;
// or with nothing, and the desk calls a parent.
func (g *dayGen) childWithGrandparent() dayVisit {
	req, _ := g.minor(1, 11)
	req.Companion = g.companion("grandparent", checkin.Grandparent, g.between(52, 80))
	req.Companion.LivesWithPatient = g.chance(0.3)
	v := dayVisit{req: req}
	juris := g.site.jurisdiction
	switch {
	case juris == "US-CA" && g.chance(0.5):
		req.Companion.LivesWithPatient = true
		req.Records.Documents = []checkin.Document{{ID: fmt.Sprintf("doc-%d-1", g.n), Kind: checkin.CaregiverAffidavit,
			Grantee: req.Companion.ID, Relative: true, SignedOn: g.day(-g.between(10, 420))}}
	case (juris == "US-TX" || juris == "US-FL") && g.chance(0.6):
		req.Desk.GuardianUnreachable = true
	case g.chance(0.6):
		req.Records.Documents = []checkin.Document{g.proxy(g.id("mother"), req.Companion.ID,
			checkin.ConsentSick, checkin.ConsentWellness, checkin.ConsentVaccine, checkin.DiscussCare, checkin.PickUp, checkin.SchoolNote)}
	default:
		if g.chance(0.5) {
			v.change = g.phoneConsent(g.id("mother"))
		} else if juris == "US-TX" || juris == "US-FL" {
			v.change = func(req checkin.Request) checkin.Request { // no parent answers
				req.Desk.GuardianUnreachable = true
				return req
			}
		}
	}
	if hasGuardian(req, g.id("father")) && g.chance(0.1) {
		req.Records.Refusals = []checkin.Refusal{{By: g.id("father"), Covers: []checkin.Action{checkin.ConsentVaccine}}}
	}
	v.req = req
	return v
}

// childWithAunt: an aunt or uncle who may hear about the child's care by a
// HIPAA authorization, and sometimes consent by a written one or, in Texas
// and Florida, by statute when no parent can be reached.
func (g *dayGen) childWithAunt() dayVisit {
	req, _ := g.minor(2, 11)
	req.Companion = g.companion("aunt", checkin.AuntUncle, g.between(22, 55))
	req.Requested = append(req.Requested, checkin.ReceiveRecords)
	if g.chance(0.6) {
		hipaa := g.proxy(g.id("mother"), req.Companion.ID, checkin.DiscussCare, checkin.ReceiveRecords, checkin.SchoolNote)
		hipaa.ID, hipaa.Kind = fmt.Sprintf("doc-%d-2", g.n), checkin.HIPAAAuthorization
		req.Records.Documents = append(req.Records.Documents, hipaa)
	}
	if g.chance(0.4) {
		req.Records.Documents = append(req.Records.Documents, g.proxy(g.id("mother"), req.Companion.ID, consents(req.Requested)...))
	}
	if (g.site.jurisdiction == "US-TX" || g.site.jurisdiction == "US-FL") && g.chance(0.5) {
		req.Desk.GuardianUnreachable = true // the statute's relatives may consent
		return dayVisit{req: req}
	}
	return dayVisit{req: req, change: g.phoneConsent(g.id("mother"))}
}

// childWithSitter: a nanny or babysitter, sometimes a teenager, with the
// parents' form for sick visits, or with nothing.
func (g *dayGen) childWithSitter() dayVisit {
	req, _ := g.minor(0, 10)
	age := g.between(19, 45)
	if g.chance(0.15) {
		age = g.between(15, 17)
	}
	req.Companion = g.companion("sitter", checkin.Sitter, age)
	v := dayVisit{req: req}
	if g.chance(0.7) {
		req.Records.Documents = []checkin.Document{g.proxy(g.id("mother"), req.Companion.ID,
			checkin.ConsentSick, checkin.DiscussCare, checkin.PickUp, checkin.SchoolNote)}
	}
	if g.chance(0.1) { // whoever else brings the child, no vaccines without a parent
		req.Records.Refusals = []checkin.Refusal{{By: g.id("mother"), Covers: []checkin.Action{checkin.ConsentVaccine}}}
	}
	if g.chance(0.5) {
		v.change = g.phoneConsent(g.id("mother"))
	}
	v.req = req
	return v
}

// childWithFosterParent: the county's placement letter names the foster parent.
func (g *dayGen) childWithFosterParent() dayVisit {
	req := g.request(g.between(1, 16))
	agency := fmt.Sprintf("agency-%d", g.between(1, 3))
	req.Records.Guardians = []checkin.Guardian{{Person: agency, Name: "County Children's Services", Role: checkin.RoleAgency}}
	req.Companion = g.companion("foster", checkin.FosterParent, g.between(28, 60))
	req.Companion.LivesWithPatient = true
	req.Records.Documents = []checkin.Document{{ID: fmt.Sprintf("doc-%d-1", g.n), Kind: checkin.FosterPlacement,
		GrantedBy: agency, Grantee: req.Companion.ID, ValidFrom: g.day(-g.between(5, 700))}}
	req.Requested = g.minorVisit(6)
	return dayVisit{req: req}
}

// childWithBarredParent: a parent under a protective order comes to take
// the child home.
func (g *dayGen) childWithBarredParent() dayVisit {
	req, _ := g.minor(2, 11)
	if !hasGuardian(req, g.id("father")) {
		req.Records.Guardians = append(req.Records.Guardians, checkin.Guardian{Person: g.id("father"), Name: g.name(), Role: checkin.RoleParent})
	}
	req.Companion = g.companion("father", checkin.Parent, g.between(25, 55))
	req.Companion.Name = guardianName(req, req.Companion.ID)
	req.Companion.BroughtPatient = false
	req.Records.Restrictions = []checkin.Restriction{{Person: g.id("father"), Covers: []checkin.Action{checkin.AllActions},
		Source: "protective_order", ValidUntil: g.day(g.between(60, 500))}}
	req.Requested = []checkin.Action{checkin.PickUp, checkin.DiscussCare, checkin.ReceiveRecords}
	return dayVisit{req: req}
}

// childEmergency: a neighbor or sitter brings a hurt child; a clinician
// judges it an emergency.
func (g *dayGen) childEmergency() dayVisit {
	req, _ := g.minor(1, 15)
	rel := pickOne(g, []checkin.Relationship{checkin.Neighbor, checkin.Sitter, checkin.Grandparent, checkin.SchoolStaff})
	req.Companion = g.companion("helper", rel, g.between(20, 70))
	req.Emergency = true
	req.Requested = []checkin.Action{checkin.Accompany, checkin.ConsentSick, checkin.ConsentProcedure, checkin.DiscussCare}
	return dayVisit{req: req, change: g.phoneConsent(g.id("mother"))}
}

// teenWithParent: a sports physical, vaccines, or behavioral care.
func (g *dayGen) teenWithParent() dayVisit {
	req := g.request(g.between(12, 17))
	g.parents(&req)
	req.Companion = g.companion("mother", checkin.Parent, g.between(32, 58))
	req.Companion.Name = guardianName(req, req.Companion.ID)
	if req.Records.Guardians[0].Role == checkin.RoleAdoptiveParent {
		req.Companion.Relationship = checkin.AdoptiveParent
	}
	req.Requested = pickOne(g, [][]checkin.Action{
		{checkin.Accompany, checkin.ConsentWellness, checkin.ConsentVaccine, checkin.SchoolNote},
		{checkin.Accompany, checkin.ConsentBehavioral, checkin.DiscussCare, checkin.ReceiveRecords},
		{checkin.Accompany, checkin.ConsentSick, checkin.DiscussCare, checkin.SchoolNote},
	})
	return dayVisit{req: req}
}

// teenAlone: a teenager asks for care on their own, mostly care a minor
// may consent to alone; now and then pregnant, married or self-supporting.
func (g *dayGen) teenAlone() dayVisit {
	age := g.between(13, 17)
	req := g.request(age)
	g.parents(&req)
	req.Companion = checkin.Companion{ID: req.Patient.ID, Name: req.Patient.Name, Relationship: checkin.Self, Age: age,
		Identity: g.identity()}
	switch k := g.rnd.IntN(100); {
	case k < 10:
		req.Patient.Statuses = []checkin.Status{checkin.Pregnant}
	case k < 14:
		req.Patient.Statuses = []checkin.Status{checkin.SelfSupporting}
	case k < 16:
		req.Patient.Statuses = []checkin.Status{checkin.Married}
	}
	v := dayVisit{req: req}
	switch k := g.rnd.IntN(100); {
	case k < 60:
		v.req.Requested = []checkin.Action{checkin.ConsentConfidential, checkin.DiscussCare}
	case k < 85:
		v.req.Requested = []checkin.Action{checkin.ConsentBehavioral, checkin.DiscussCare, checkin.ReceiveRecords}
	default:
		v.req.Requested = []checkin.Action{checkin.ConsentSick, checkin.SchoolNote}
		v.change = g.phoneConsent(g.id("mother"))
	}
	return v
}

// youngAdultWithParent: a patient of 18 to 20 comes with a parent, who is
// still a guardian where majority comes later (19 in Alabama).
func (g *dayGen) youngAdultWithParent() dayVisit {
	req := g.request(g.between(18, 20))
	g.parents(&req)
	req.Companion = g.companion("mother", checkin.Parent, g.between(38, 60))
	req.Companion.Name = guardianName(req, req.Companion.ID)
	req.Requested = []checkin.Action{checkin.Accompany, checkin.ConsentSick, checkin.DiscussCare}
	return dayVisit{req: req, change: patientAgrees}
}

func (g *dayGen) adultAlone() dayVisit {
	age := g.between(19, 92)
	req := g.request(age)
	req.Companion = checkin.Companion{ID: req.Patient.ID, Name: req.Patient.Name, Relationship: checkin.Self, Age: age,
		Identity: g.identity()}
	req.Requested = pickOne(g, [][]checkin.Action{
		{checkin.ConsentSick, checkin.DiscussCare, checkin.SchoolNote},
		{checkin.ConsentWellness, checkin.ConsentVaccine, checkin.ReceiveRecords},
		{checkin.ConsentProcedure, checkin.DiscussCare, checkin.ReceiveRecords},
		{checkin.ConsentBehavioral, checkin.DiscussCare},
	})
	return dayVisit{req: req}
}

// adultWithPartner: a spouse or partner comes in; the patient named them
// on file, signed a HIPAA authorization, or is asked at the desk.
func (g *dayGen) adultWithPartner() dayVisit {
	age := g.between(24, 88)
	req := g.request(age)
	rel := checkin.Spouse
	if g.chance(0.3) {
		rel = checkin.DomesticPartner
	}
	req.Companion = g.companion("partner", rel, max(18, age+g.between(-6, 6)))
	req.Companion.LivesWithPatient = true
	req.Requested = []checkin.Action{checkin.Accompany, checkin.DiscussCare, checkin.ReceiveRecords}
	if g.chance(0.2) {
		req.Requested = append(req.Requested, checkin.ConsentSick) // the patient decides, not the partner
	}
	if g.chance(0.3) {
		req.Records.Designations = []checkin.Designation{{Person: req.Companion.ID,
			Covers: []checkin.Action{checkin.Accompany, checkin.DiscussCare}}}
	}
	if g.chance(0.2) {
		hipaa := g.proxy(req.Patient.ID, req.Companion.ID, checkin.DiscussCare, checkin.ReceiveRecords)
		hipaa.Kind = checkin.HIPAAAuthorization
		req.Records.Documents = []checkin.Document{hipaa}
	}
	v := dayVisit{req: req}
	if g.chance(0.1) {
		v.req.Patient.Present = new(false) // in the lab; the partner asks at the desk
	} else if g.chance(0.6) {
		v.change = patientAgrees
	}
	return v
}

// adultLackingCapacity: an older patient who cannot decide, with an adult
// child holding a healthcare power of attorney (now and then expired), a
// spouse deciding as surrogate, or a court guardian.
func (g *dayGen) adultLackingCapacity() dayVisit {
	age := g.between(68, 96)
	req := g.request(age)
	req.Patient.LacksCapacity = true
	req.Requested = []checkin.Action{checkin.Accompany, checkin.ConsentSick, checkin.DiscussCare, checkin.ReceiveRecords}
	if g.chance(0.2) {
		req.Requested = append(req.Requested, checkin.ConsentProcedure)
	}
	switch k := g.rnd.IntN(100); {
	case k < 50:
		req.Companion = g.companion("agent", checkin.AdultChild, g.between(35, 70))
		poa := checkin.Document{ID: fmt.Sprintf("doc-%d-1", g.n), Kind: checkin.HealthcarePOA,
			GrantedBy: req.Patient.ID, Grantee: req.Companion.ID, SignedOn: g.day(-g.between(100, 4000)),
			Witnesses: 2, Notarized: g.chance(0.5)}
		if g.chance(0.15) {
			poa.ValidUntil = g.day(-g.between(1, 200))
		}
		req.Records.Documents = []checkin.Document{poa}
	case k < 80:
		req.Companion = g.companion("spouse", checkin.Spouse, max(60, age+g.between(-8, 4)))
	default:
		req.Companion = g.companion("guardian", checkin.LegalGuardian, g.between(30, 65))
		req.Records.Guardians = []checkin.Guardian{{Person: req.Companion.ID, Name: req.Companion.Name, Role: checkin.RoleCourtGuardian}}
	}
	return dayVisit{req: req}
}

func TestClinicDay(t *testing.T) {
	t.Parallel()
	day := clinicDay()
	require.Equal(t, day, clinicDay(), "the same seed gives the same day")

	appointments := map[int]bool{}
	firsts := map[string]bool{}
	dates := map[int]string{}
	for i, a := range day {
		require.NoError(t, a.req.Validate(), "request %d, appointment %d", i, a.appointment)
		if i > 0 {
			require.False(t, a.req.At.Before(day[i-1].req.At), "request %d is asked in time order", i)
		}
		if !appointments[a.appointment] {
			require.True(t, a.first, "appointment %d is first asked about at check-in", a.appointment)
		}
		appointments[a.appointment] = true
		date := a.req.At.Format(time.DateOnly)
		if d, ok := dates[a.appointment]; ok {
			require.Equal(t, d, date, "appointment %d is asked about on one local date", a.appointment)
		}
		dates[a.appointment] = date

		// first says whether the day asked this request before, at any time.
		a.req.At = time.Time{}
		b, err := json.Marshal(a.req)
		require.NoError(t, err)
		require.Equal(t, a.first, !firsts[string(b)], "request %d: first", i)
		firsts[string(b)] = true
	}
	require.Len(t, appointments, dayAppointments)
	minAsks, maxAsks := dayAppointments*(1+minRefreshes), dayAppointments*(1+maxRefreshes)
	require.True(t, len(day) >= minAsks && len(day) <= maxAsks, "%d requests", len(day))
	changed := len(firsts) - dayAppointments
	assert.Greater(t, changed, dayAppointments/20, "some appointments change during the visit")

	if raceEnabled {
		t.Skip("-race leaves out deciding the day, which exercises no concurrency; the run without -race decides it")
	}
	// The day is varied: decide each distinct request once, and each once
	// more at its last refresh, which must decide the same.
	e := engine(t)
	firstDecision := map[string]checkin.Decision{}
	verdicts := map[checkin.Verdict]int{}
	outcomes := map[checkin.Outcome]int{}
	bases := map[checkin.Code]bool{}
	jurisdictions, defaulted := map[string]bool{}, 0
	relationships := map[checkin.Relationship]bool{}
	kinds := map[checkin.DocumentKind]bool{}
	var restricted, refused, phoned int
	last := map[string]checkin.Request{}
	for _, a := range day {
		at := a.req.At
		a.req.At = time.Time{}
		b, _ := json.Marshal(a.req)
		a.req.At = at
		last[string(b)] = a.req
		if !a.first {
			continue
		}
		d, err := e.Decide(t.Context(), a.req)
		require.NoError(t, err)
		firstDecision[string(b)] = d
		outcomes[d.Outcome]++
		for _, ad := range d.Actions {
			verdicts[ad.Verdict]++
			bases[ad.Basis] = true
		}
		jurisdictions[a.req.Jurisdiction] = true
		if d.Policy.Jurisdiction == "default" {
			defaulted++
		}
		relationships[a.req.Companion.Relationship] = true
		for _, doc := range a.req.Records.Documents {
			kinds[doc.Kind] = true
		}
		restricted += min(1, len(a.req.Records.Restrictions))
		refused += min(1, len(a.req.Records.Refusals))
		phoned += min(1, len(a.req.Desk.VerbalConsent))
	}
	t.Logf("%d requests: %d appointments, %d distinct requests; verdicts %v; outcomes %v; %d bases; "+
		"%d restricted, %d refused, %d consent by phone", len(day), dayAppointments, len(firsts), verdicts, outcomes,
		len(bases), restricted, refused, phoned)
	for _, v := range []checkin.Verdict{checkin.Allow, checkin.AllowWithConditions, checkin.Deny} {
		assert.Greater(t, verdicts[v], len(firsts)/10, "verdict %s", v)
	}
	for _, o := range []checkin.Outcome{checkin.Proceed, checkin.ProceedWithConditions, checkin.Partial, checkin.Refuse} {
		assert.Positive(t, outcomes[o], "outcome %s", o)
	}
	assert.GreaterOrEqual(t, len(bases), 20, "the day reaches many rules")
	assert.Len(t, jurisdictions, len(daySites))
	assert.Greater(t, defaulted, len(firsts)/20, "requests decided under the default rules")
	assert.GreaterOrEqual(t, len(relationships), 14)
	assert.Len(t, kinds, 5, "every kind of document")
	for what, n := range map[string]int{"restricted": restricted, "refused": refused, "consent by phone": phoned} {
		assert.Greater(t, n, 5, what)
	}

	if testing.Short() {
		return
	}
	for key, req := range last {
		d, err := e.Decide(t.Context(), req)
		require.NoError(t, err)
		require.Equal(t, firstDecision[key], d, "a refresh at %s decides as the first ask", req.At)
	}
}

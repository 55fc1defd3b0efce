package checkin_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/util"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// gridSize is how many grid requests the property test decides: enough to
// reach every value of every dimension in every jurisdiction many times over.
// Each denied one is decided again without each of its entries, so the test
// decides about twice as many requests. The race detector slows evaluation
// tenfold, so a race build decides a tenth of them.
func gridSize() int {
	if raceEnabled {
		return 5_400
	}
	return 54_000
}

// Bases that act on a delegation rather than on a guardian's own word.
var delegateBases = []checkin.Code{
	"PROXY_AUTHORIZATION", "CAREGIVER_AFFIDAVIT", "FOSTER_PLACEMENT", "STATUTORY_RELATIVE",
	"HIPAA_AUTHORIZATION", "ADULT_COMPANION", "ACCOMPANYING_ADULT",
}

// Denials that legitimately offer no remedy, each with the reason. None
// today: since contract v2 a restriction offers CALL_GUARDIAN and
// BRING_COURT_ORDER (rule 3), a guardian's refusal the call that lifts it,
// and an adult patient's own say ASK_PATIENT (rule 5).
var basesWithoutRemedy = map[checkin.Code]string{}

// What a barred mother's entry would allow by, in each "barred_" state of
// the grid: since the entry is hers, none of these may decide.
var barredBases = map[string][]checkin.Code{
	"barred_proxy":               {"PROXY_AUTHORIZATION"},
	"barred_hipaa_authorization": {"HIPAA_AUTHORIZATION"},
	"barred_verbal_consent":      {"VERBAL_CONSENT"},
	"barred_refusal":             {"GUARDIAN_REFUSED"},
	"barred_from_pick_up_proxy":  {"PROXY_AUTHORIZATION"},
}

// adultAges are the age at which a patient decides their own care in each
// jurisdiction of the grid (health_care_consent_age, which may differ from
// the age of majority), the default profile's where a jurisdiction has none.
func adultAges(e *checkin.Engine) map[string]int {
	ages := map[string]int{}
	for _, j := range e.Jurisdictions() {
		for _, entry := range j.Entries {
			if entry.Field == "health_care_consent_age" {
				n, err := strconv.Atoi(fmt.Sprint(entry.Value))
				if err != nil {
					panic(fmt.Sprintf("%s: health_care_consent_age %v", j.Code, entry.Value))
				}
				ages[j.Code] = n
			}
		}
	}
	if _, ok := ages["default"]; !ok {
		panic("the default profile has no health_care_consent_age")
	}
	for _, code := range gridJurisdictions(e) {
		if _, ok := ages[code]; !ok {
			ages[code] = ages["default"]
		}
	}
	return ages
}

// gridJurisdictions are every profiled jurisdiction and one without a profile.
func gridJurisdictions(e *checkin.Engine) []string {
	var codes []string
	for _, j := range e.Jurisdictions() {
		if j.Code != "default" {
			codes = append(codes, j.Code)
		}
	}
	return append(codes, "US-GU")
}

// violations collects, for each property, a few of the cells that violate it.
type violations struct {
	mu    sync.Mutex
	found map[string][]string
	count map[string]int
}

func (v *violations) add(property string, c checkintest.Cell, format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.found == nil {
		v.found, v.count = map[string][]string{}, map[string]int{}
	}
	v.count[property]++
	if len(v.found[property]) < 5 {
		v.found[property] = append(v.found[property], c.String()+": "+fmt.Sprintf(format, args...))
	}
}

func (v *violations) report(t *testing.T) {
	properties := make([]string, 0, len(v.found))
	for p := range v.found {
		properties = append(properties, p)
	}
	sort.Strings(properties)
	for _, p := range properties {
		t.Errorf("%s: violated %d times, e.g.\n  %s", p, v.count[p], strings.Join(v.found[p], "\n  "))
	}
}

func TestProperties(t *testing.T) {
	if testing.Short() {
		t.Skip("-short leaves out the property grid; go test ./... decides it")
	}
	t.Parallel()
	e := engine(t)
	jurisdictions := gridJurisdictions(e)

	adultAge := adultAges(e)
	minor := func(c checkintest.Cell) bool { return c.Age() < adultAge[c.Jurisdiction] }

	cells := make(chan checkintest.Cell)
	var decided atomic.Int64
	var v violations
	decide := func(c checkintest.Cell, req checkin.Request) (checkin.Decision, checkin.ActionDecision, bool) {
		d, err := e.Decide(t.Context(), req)
		decided.Add(1)
		if err != nil {
			v.add("decides", c, "%v", err)
			return d, checkin.ActionDecision{}, false
		}
		if len(d.Actions) != 1 {
			v.add("every requested action appears exactly once", c, "%d actions", len(d.Actions))
		}
		ad, ok := d.Actions[c.Action]
		if !ok {
			v.add("every requested action appears exactly once", c, "missing")
		}
		return d, ad, ok
	}

	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for c := range cells {
				req := c.Request()
				d, ad, ok := decide(c, req)
				if !ok {
					continue
				}
				checkRestrictions(&v, c, minor(c), d, ad)
				checkBarredMother(&v, c, d, ad)
				checkWords(&v, c, d)
				if c.Documents == "barred_from_pick_up_proxy" && !c.Barred() {
					// Barred from pick-up only, the mother still delegates the rest.
					unbarred := req
					unbarred.Records.Restrictions = nil
					if _, want, ok := decide(c, unbarred); ok && (want.Verdict != ad.Verdict || want.Basis != ad.Basis) {
						v.add("a restriction bars only the actions it covers", c, "%s %s, not %s %s as without it",
							ad.Verdict, ad.Basis, want.Verdict, want.Basis)
					}
				}
				if ad.Verdict == checkin.Deny && len(ad.Remedies) == 0 {
					if _, ok := basesWithoutRemedy[ad.Basis]; !ok {
						v.add("every deny carries a remedy", c, "%s has none", ad.Basis)
					}
				}
				if c.Documents == "refusal" && minor(c) && c.Relationship != checkin.Self && c.Role == "none" &&
					ad.Verdict.Allowed() && slices.Contains(delegateBases, ad.Basis) {
					v.add("a delegate never overrides a guardian's refusal", c, "%s %s", ad.Verdict, ad.Basis)
				}
				if ad.Verdict != checkin.Deny {
					continue
				}
				for name, less := range lessAuthority(c, req) {
					if less.Validate() != nil {
						continue // records left out of step (a refusal by nobody on file) decide nothing
					}
					if _, after, ok := decide(c, less); ok && after.Verdict.Allowed() && !emergencyCare(less, after) {
						// One line of the report for each way it happens.
						kind, _, _ := strings.Cut(name, "[")
						v.add(fmt.Sprintf("less on file never turns a deny into an allow (%s: %s became %s)",
							kind, ad.Basis, after.Basis), c, "%s", name)
					}
				}
			}
		})
	}
	for c := range checkintest.Grid(jurisdictions, gridSize()) {
		cells <- c
	}
	close(cells)
	wg.Wait()

	require.GreaterOrEqual(t, decided.Load(), int64(gridSize()*9/10))
	t.Logf("decided %d grid requests over %d jurisdictions", decided.Load(), len(jurisdictions))
	v.report(t)
}

// checkRestrictions holds a restricted companion to contract rules 3 and 4:
// denied every covered action with a way forward that does not go through
// them, except consent to emergency care, which goes ahead without them.
func checkRestrictions(v *violations, c checkintest.Cell, minor bool, d checkin.Decision, ad checkin.ActionDecision) {
	if !c.Restricted() || c.Relationship == checkin.Self {
		return
	}
	emergencyConsent := c.Documents == "restriction_emergency" && strings.HasPrefix(string(c.Action), "consent_") &&
		(minor || c.AgeBand == "adult_lacking_capacity")
	switch {
	case emergencyConsent:
		if ad.Verdict != checkin.AllowWithConditions || ad.Basis != "EMERGENCY" {
			v.add("emergency care goes ahead whoever is restricted", c, "%s %s", ad.Verdict, ad.Basis)
		}
		if !hasCode(d.Obligations, "FOLLOW_SAFETY_PROTOCOL") {
			v.add("a restricted companion in an emergency brings the safety protocol", c, "obligations %v", d.Obligations)
		}
	case ad.Verdict != checkin.Deny || ad.Basis != "RESTRICTED_BY_ORDER":
		v.add("an active restriction denies the actions it covers", c, "%s %s", ad.Verdict, ad.Basis)
	default:
		if !hasCode(ad.Remedies, "BRING_COURT_ORDER") {
			v.add("a restriction's denial offers BRING_COURT_ORDER", c, "remedies %v", ad.Remedies)
		}
		// The mother is an unrestricted custodial guardian of every minor.
		if minor && (len(ad.Remedies) == 0 || ad.Remedies[0].Code != "CALL_GUARDIAN" ||
			!strings.Contains(ad.Remedies[0].Message, checkintest.GridGuardianName)) {
			v.add("a restriction's denial first calls the unrestricted guardian, by name", c, "remedies %v", ad.Remedies)
		}
	}
	if note, ok := naming(checkintest.GridCompanionName, d, ad); ok {
		v.add("nothing asks staff to turn to a restricted companion", c, "%s: %q", note.Code, note.Message)
	}
}

// checkBarredMother holds a mother under a restriction to contract rule 3:
// what she granted, said or refused counts for nothing, and the desk is
// never sent to her.
func checkBarredMother(v *violations, c checkintest.Cell, d checkin.Decision, ad checkin.ActionDecision) {
	if !c.Barred() {
		return
	}
	if slices.Contains(barredBases[c.Documents], ad.Basis) {
		v.add("a barred person is no source of authority", c, "%s %s", ad.Verdict, ad.Basis)
	}
	if hasCode(ad.Conditions, "GUARDIANS_DISAGREE") {
		v.add("a barred person is no source of authority", c, "%s %s with GUARDIANS_DISAGREE", ad.Verdict, ad.Basis)
	}
	if note, ok := naming(checkintest.GridGuardianName, d, ad); ok {
		v.add("nothing asks staff to turn to a barred guardian", c, "%s: %q", note.Code, note.Message)
	}
}

// naming finds a remedy, condition or obligation that names the person:
// one that would send staff to them. The safety protocol is the exception,
// since it is the desk's warning about them.
func naming(name string, d checkin.Decision, ad checkin.ActionDecision) (checkin.Note, bool) {
	for _, notes := range [][]checkin.Note{ad.Remedies, ad.Conditions, d.Obligations} {
		for _, n := range notes {
			if n.Code != "FOLLOW_SAFETY_PROTOCOL" && strings.Contains(n.Message, name) {
				return n, true
			}
		}
	}
	return checkin.Note{}, false
}

// checkWords holds every message to what a clerk can read: words, with no
// formatting error, missing value or blank where a name should be.
func checkWords(v *violations, c checkintest.Cell, d checkin.Decision) {
	notes := slices.Concat(d.Obligations, d.Notices)
	for _, ad := range d.Actions {
		notes = slices.Concat(notes, ad.Reasons, ad.Conditions, ad.Remedies)
	}
	for _, n := range notes {
		if n.Code == "" || strings.TrimSpace(n.Message) == "" ||
			strings.Contains(n.Message, "%!") || strings.Contains(n.Message, "null") ||
			strings.Contains(n.Message, "  ") || strings.Contains(n.Message, " .") {
			v.add("every message is words a clerk can read", c, "%s: %q", n.Code, n.Message)
		}
	}
}

func hasCode(notes []checkin.Note, code checkin.Code) bool {
	return slices.ContainsFunc(notes, func(n checkin.Note) bool { return n.Code == code })
}

// emergencyCare is the one way less on file may allow more: consent to
// emergency care (contract rule 4) needs nobody's authority, and gives way
// only to a companion who could consent anyway. Taking away what made the
// companion such a person (their guardian entry, their document) leaves the
// care to the emergency rule, which allows it on no one's word.
func emergencyCare(req checkin.Request, ad checkin.ActionDecision) bool {
	return req.Emergency && ad.Basis == "EMERGENCY"
}

// lessAuthority is the cell's request with less on file, by name: without
// each document, each guardian and each phone consent in turn, and, where a
// companion acts on a document, with every document revoked or expired.
func lessAuthority(c checkintest.Cell, req checkin.Request) map[string]checkin.Request {
	out := map[string]checkin.Request{}
	for i := range req.Records.Documents {
		less := req
		less.Records.Documents = slices.Delete(slices.Clone(req.Records.Documents), i, i+1)
		out[fmt.Sprintf("without documents[%d]", i)] = less
	}
	for i, g := range req.Records.Guardians {
		if g.LegalCustody != nil && !*g.LegalCustody {
			// An entry saying a custody order leaves this person out is a
			// limit on them, not authority: taking it away lifts a limit.
			continue
		}
		less := req
		less.Records.Guardians = slices.Delete(slices.Clone(req.Records.Guardians), i, i+1)
		out[fmt.Sprintf("without guardians[%d]", i)] = less
	}
	for i := range req.Desk.VerbalConsent {
		less := req
		less.Desk.VerbalConsent = slices.Delete(slices.Clone(req.Desk.VerbalConsent), i, i+1)
		out[fmt.Sprintf("without desk.verbal_consent[%d]", i)] = less
	}
	if c.Delegated() {
		revoked, expired := req, req
		revoked.Records.Documents = slices.Clone(req.Records.Documents)
		expired.Records.Documents = slices.Clone(req.Records.Documents)
		for i := range req.Records.Documents {
			revoked.Records.Documents[i].Revoked = true
			expired.Records.Documents[i].ValidUntil = "2026-11-21"
			expired.Records.Documents[i].SignedOn = "2024-01-01"
		}
		out["every document revoked"], out["every document expired"] = revoked, expired
	}
	return out
}

// The contract's limits: entries in each list of records and desk, and
// characters in a string.
const (
	maxEntries    = 50
	maxTextLength = 200
)

// invalidSample is how many grid cells are made invalid in each way the
// contract lists; a tenth of them under the race detector.
func invalidSample() int {
	if raceEnabled {
		return 4
	}
	return 40
}

// An invalidation makes a valid request invalid in one way the contract
// lists, by changing the request or, for what Go cannot express, its JSON.
type invalidation struct {
	name string
	// field is the field both Go and Rego must name, or the start of its path.
	field   string
	applies func(checkintest.Cell) bool // nil: every cell
	request func(r *checkin.Request)
	json    func(doc map[string]any)
	text    func(raw []byte) []byte // a change to the JSON text, which only Go reads: see goOnly
	// goOnly: the change is lost when the JSON is parsed (a key given twice),
	// so the policy's input cannot show it, and only Go can reject it.
	goOnly bool
}

var (
	notSelf = func(c checkintest.Cell) bool { return c.Relationship != checkin.Self }
	isSelf  = func(c checkintest.Cell) bool { return c.Relationship == checkin.Self }
	long    = strings.Repeat("x", maxTextLength+1)
	all     = []checkin.Action{checkin.AllActions}
)

func withoutGrantor(kind checkin.DocumentKind) func(*checkin.Request) {
	return func(r *checkin.Request) {
		r.Records.Documents = append(r.Records.Documents,
			checkin.Document{ID: "doc-new", Kind: kind, Grantee: r.Companion.ID, Covers: all})
	}
}

var invalidations = []invalidation{
	{name: "lower-case jurisdiction", field: "jurisdiction",
		request: func(r *checkin.Request) { r.Jurisdiction = strings.ToLower(r.Jurisdiction) }},
	{name: "jurisdiction with a space", field: "jurisdiction",
		request: func(r *checkin.Request) { r.Jurisdiction += " " }},
	{name: "jurisdiction that is not a code", field: "jurisdiction",
		request: func(r *checkin.Request) { r.Jurisdiction = "Texas" }},
	{name: "the patient asking, not as self", field: "companion", applies: notSelf,
		request: func(r *checkin.Request) { r.Companion.ID = r.Patient.ID }},
	{name: "self with another id", field: "companion", applies: isSelf,
		request: func(r *checkin.Request) { r.Companion.ID = "per-someone-else" }},
	{name: "two documents with one id", field: "records.documents", request: func(r *checkin.Request) {
		d := checkin.Document{ID: "doc-twice", Kind: checkin.CaregiverAffidavit, Grantee: r.Companion.ID, Covers: all}
		r.Records.Documents = append(r.Records.Documents, d, d)
	}},
	{name: "two guardians with one person", field: "records.guardians", request: func(r *checkin.Request) {
		r.Records.Guardians = append(r.Records.Guardians, r.Records.Guardians[0])
	}},
	{name: "restriction covering nothing", field: "records.restrictions", request: func(r *checkin.Request) {
		r.Records.Restrictions = append(r.Records.Restrictions,
			checkin.Restriction{Person: "per-x", Covers: []checkin.Action{}})
	}},
	{name: "refusal covering nothing", field: "records.refusals", request: func(r *checkin.Request) {
		r.Records.Refusals = append(r.Records.Refusals, checkin.Refusal{By: r.Records.Guardians[0].Person})
	}},
	{name: "designation covering nothing", field: "records.designations", request: func(r *checkin.Request) {
		r.Records.Designations = append(r.Records.Designations, checkin.Designation{Person: r.Companion.ID})
	}},
	{name: "phone consent covering nothing", field: "desk.verbal_consent", request: func(r *checkin.Request) {
		r.Desk.VerbalConsent = append(r.Desk.VerbalConsent, checkin.VerbalConsent{From: r.Records.Guardians[0].Person})
	}},
	{name: "restriction without covers", field: "records.restrictions", json: func(doc map[string]any) {
		records := doc["records"].(map[string]any)
		restrictions, _ := records["restrictions"].([]any)
		records["restrictions"] = append(restrictions, map[string]any{"person": "per-x"})
	}},
	{name: "proxy authorization without granted_by", field: "records.documents",
		request: withoutGrantor(checkin.ProxyAuthorization)},
	{name: "HIPAA authorization without granted_by", field: "records.documents",
		request: withoutGrantor(checkin.HIPAAAuthorization)},
	{name: "healthcare power of attorney without granted_by", field: "records.documents",
		request: withoutGrantor(checkin.HealthcarePOA)},
	{name: "foster placement without granted_by", field: "records.documents",
		request: withoutGrantor(checkin.FosterPlacement)},
	{name: "null age", field: "companion.age", json: func(doc map[string]any) {
		doc["companion"].(map[string]any)["age"] = nil
	}},
	{name: "null emergency", field: "emergency", json: func(doc map[string]any) { doc["emergency"] = nil }},
	{name: "null patient id", field: "patient.id", json: func(doc map[string]any) {
		doc["patient"].(map[string]any)["id"] = nil
	}},
	{name: "a key in another case", field: "companion", json: func(doc map[string]any) {
		doc["companion"].(map[string]any)["AGE"] = 30
	}},
	{name: "a key given twice", field: "jurisdiction", goOnly: true, text: func(raw []byte) []byte {
		return append([]byte(`{"jurisdiction": "US-ZZ", `), raw[1:]...)
	}},
	{name: "51 guardians", field: "records.guardians", request: func(r *checkin.Request) {
		for i := len(r.Records.Guardians); i <= maxEntries; i++ {
			r.Records.Guardians = append(r.Records.Guardians,
				checkin.Guardian{Person: fmt.Sprintf("per-g%d", i), Role: checkin.RoleParent})
		}
	}},
	{name: "51 restrictions", field: "records.restrictions", request: func(r *checkin.Request) {
		for i := len(r.Records.Restrictions); i <= maxEntries; i++ {
			r.Records.Restrictions = append(r.Records.Restrictions,
				checkin.Restriction{Person: fmt.Sprintf("per-r%d", i), Covers: all})
		}
	}},
	{name: "12 requested actions", field: "requested", request: func(r *checkin.Request) {
		r.Requested = append(slices.Clone(checkin.Actions()), checkin.Actions()[0])
	}},
	{name: "12 covered actions", field: "desk.verbal_consent", request: func(r *checkin.Request) {
		r.Desk.VerbalConsent = append(r.Desk.VerbalConsent, checkin.VerbalConsent{
			From: r.Records.Guardians[0].Person, Covers: append(slices.Clone(checkin.Actions()), checkin.AllActions)})
	}},
	{name: "over-long name", field: "patient.name", request: func(r *checkin.Request) { r.Patient.Name = long }},
	{name: "over-long document id", field: "records.documents", request: func(r *checkin.Request) {
		r.Records.Documents = append(r.Records.Documents,
			checkin.Document{ID: long, Kind: checkin.CaregiverAffidavit, Grantee: r.Companion.ID, Covers: all})
	}},
	{name: "over-long witness", field: "desk.verbal_consent", request: func(r *checkin.Request) {
		r.Desk.VerbalConsent = append(r.Desk.VerbalConsent,
			checkin.VerbalConsent{From: r.Records.Guardians[0].Person, Covers: all, Witness: long})
	}},
}

// Every grid request, made invalid in each way contract v2 lists, is
// rejected by Go and by the policy's own data.checkin.decision alike, each
// naming the field.
func TestPropertiesInvalidRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("-short leaves out the property grid's invalid requests")
	}
	t.Parallel()
	e := engine(t)
	p := checkin.PolicyOf(e)
	var v violations
	checked := 0
	for c := range checkintest.Grid(gridJurisdictions(e), invalidSample()) {
		for _, inv := range invalidations {
			if inv.applies != nil && !inv.applies(c) {
				continue
			}
			checked++
			raw := inv.make(t, c)

			req, err := checkin.ParseRequest(raw)
			if err == nil {
				_, err = e.Decide(t.Context(), req)
			}
			var invalid *checkin.ValidationError
			switch {
			case !errors.As(err, &invalid):
				v.add("Go rejects: "+inv.name, c, "error %v", err)
			case !namesField(problemFields(invalid.Problems), inv.field):
				v.add("Go names the field: "+inv.name, c, "%v", invalid.Problems)
			}
			if inv.goOnly {
				continue
			}
			var doc any
			require.NoError(t, util.UnmarshalJSON(raw, &doc))
			input, err := ast.InterfaceToValue(doc)
			require.NoError(t, err)
			out, _, err := p.Query(t.Context(), "data.checkin.decision", input, false)
			if err != nil {
				v.add("Rego rejects: "+inv.name, c, "error %v", err)
				continue
			}
			outcome, fields := regoOutcome(out)
			switch {
			case outcome != string(checkin.Invalid):
				v.add("Rego rejects: "+inv.name, c, "outcome %q", outcome)
			case !namesField(fields, inv.field):
				v.add("Rego names the field: "+inv.name, c, "problems name %v", fields)
			}
		}
	}
	t.Logf("made %d grid requests invalid", checked)
	v.report(t)
}

// make builds the cell's request, made invalid, as JSON.
func (inv invalidation) make(t *testing.T, c checkintest.Cell) []byte {
	req := c.Request()
	if inv.request != nil {
		inv.request(&req)
	}
	raw, err := json.Marshal(req)
	require.NoError(t, err)
	if inv.json != nil {
		var doc map[string]any
		require.NoError(t, json.Unmarshal(raw, &doc))
		inv.json(doc)
		raw, err = json.Marshal(doc)
		require.NoError(t, err)
	}
	if inv.text != nil {
		raw = inv.text(bytes.TrimSpace(raw))
	}
	return raw
}

func problemFields(problems []checkin.Problem) []string {
	fields := make([]string, len(problems))
	for i, p := range problems {
		fields[i] = p.Field
	}
	return fields
}

// namesField reports whether a problem is about the field or inside it,
// whatever the case of a key given in another case.
func namesField(fields []string, field string) bool {
	return slices.ContainsFunc(fields, func(f string) bool {
		return strings.HasPrefix(strings.ToLower(f), strings.ToLower(field))
	})
}

// regoOutcome reads the outcome of data.checkin.decision and the fields its
// problems name.
func regoOutcome(v ast.Value) (outcome string, fields []string) {
	o, ok := v.(ast.Object)
	if !ok {
		return "", nil
	}
	if t := o.Get(ast.StringTerm("outcome")); t != nil {
		if s, ok := t.Value.(ast.String); ok {
			outcome = string(s)
		}
	}
	if problems := o.Get(ast.StringTerm("problems")); problems != nil {
		if list, ok := problems.Value.(*ast.Array); ok {
			list.Foreach(func(t *ast.Term) {
				if p, ok := t.Value.(ast.Object); ok && p.Get(ast.StringTerm("field")) != nil {
					if f, ok := p.Get(ast.StringTerm("field")).Value.(ast.String); ok {
						fields = append(fields, string(f))
					}
				}
			})
		}
	}
	return outcome, fields
}

// The barred states test something: without the mother's restriction, her
// entry decides some of their cells, by the basis the property forbids.
func TestPropertiesBarredStatesAreLive(t *testing.T) {
	if testing.Short() {
		t.Skip("-short leaves out the check that every barred state of the property grid is reached")
	}
	if raceEnabled {
		t.Skip("the grid's design is the same under the race detector, and ten times slower to check")
	}
	t.Parallel()
	e := engine(t)
	decidedByHer := map[string]int{}
	for c := range checkintest.Grid(gridJurisdictions(e), 10_000) {
		if !c.Barred() {
			continue
		}
		req := c.Request()
		req.Records.Restrictions = nil
		d, err := e.Decide(t.Context(), req)
		require.NoError(t, err, "%s", c)
		if slices.Contains(barredBases[c.Documents], d.Actions[c.Action].Basis) {
			decidedByHer[c.Documents]++
		}
	}
	t.Logf("cells her entry decides, unbarred: %v", decidedByHer)
	for state := range barredBases {
		require.Positive(t, decidedByHer[state], "%s: the mother's entry decides no cell even unbarred", state)
	}
}

package checkin

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/frontdesk-policy/frontdesk/policy"
)

// A Jurisdiction is a jurisdiction profile as compliance staff check it:
// every entry that differs from the default, with its source, and the
// overlays that amended it.
type Jurisdiction struct {
	Code    string         `json:"code"`
	Name    string         `json:"name"`
	Entries []ProfileEntry `json:"entries"`
	// AmendedBy lists the overlays that changed entries of a profile an
	// earlier layer shipped, in the order applied.
	AmendedBy []string `json:"amended_by,omitempty"`
}

// A ProfileEntry is one setting of a jurisdiction profile and where it comes from.
type ProfileEntry struct {
	Field  string `json:"field"`
	Value  any    `json:"value"`
	Source string `json:"source"`
	// Verify marks an entry whose source is uncertain or conflicting.
	Verify bool   `json:"verify"`
	Note   string `json:"note,omitempty"`
	// Overlay names the overlay that set the entry, if one did.
	Overlay string `json:"overlay,omitempty"`
}

// An Amendment is an overlay's change to a jurisdiction profile an earlier
// layer shipped: the overlays that made it and the entries they changed or added.
type Amendment struct {
	Code     string   `json:"code"`
	Overlays []string `json:"overlays"`
	Fields   []string `json:"fields"`
}

// overlayBounds are what an overlay may hold. rego/README.md ("Writing an
// overlay") documents them for compliance staff: keep the two in step.
var overlayBounds = &policy.Bounds{
	Packages:     []string{"overlay"},
	TestPackages: []string{"overlay", "overlay_test"},
	Data:         []string{"practices/*/data.json", "jurisdictions/*/data.json"},
	Files:        []string{"scenarios/**/*.json", "**/*.md"},
	MaxEntries:   256,
	MaxFileBytes: 1 << 20,
	MaxBytes:     8 << 20,
}

// profileMerges have an overlay amend a profile an earlier layer ships, so
// that changing one entry does not silently drop the others and leave them
// to the looser default: a jurisdiction profile entry by entry (each entry
// replaced whole, with its own source), a practice profile key by key.
var profileMerges = []policy.Merge{{Path: "jurisdictions/*", Depth: 2}, {Path: "practices/*", Depth: 1}}

// practiceName is how a practice profile's folder may be named.
var practiceName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// Jurisdictions lists the jurisdiction profiles of the engine's policy, the
// default first and then by code, entries by field.
func (e *Engine) Jurisdictions() []Jurisdiction {
	p := e.current.Load()
	origins := profileOrigins(p.Documents())
	profiles, _ := p.Data()["jurisdictions"].(map[string]any)
	codes := make([]string, 0, len(profiles))
	for code := range profiles {
		codes = append(codes, code)
	}
	sort.Slice(codes, func(i, j int) bool {
		if (codes[i] == "default") != (codes[j] == "default") {
			return codes[i] == "default"
		}
		return codes[i] < codes[j]
	})
	out := make([]Jurisdiction, 0, len(codes))
	for _, code := range codes {
		profile, _ := profiles[code].(map[string]any)
		origin := origins[code]
		j := Jurisdiction{Code: code, Name: str(profile["name"]), Entries: []ProfileEntry{}}
		if origin != nil {
			j.AmendedBy = origin.amendedBy
		}
		entries, _ := profile["entries"].(map[string]any)
		for _, field := range sortedKeys(entries) {
			entry, _ := entries[field].(map[string]any)
			verify, _ := entry["verify"].(bool)
			pe := ProfileEntry{
				Field: field, Value: entry["value"], Source: str(entry["source"]), Verify: verify, Note: str(entry["note"]),
			}
			if origin != nil {
				pe.Overlay = origin.setBy[field]
			}
			j.Entries = append(j.Entries, pe)
		}
		out = append(out, j)
	}
	return out
}

// Amendments lists the jurisdiction profiles overlays amended, by code.
func (e *Engine) Amendments() []Amendment {
	return amendments(profileOrigins(e.current.Load().Documents()))
}

// A profileOrigin is what overlays did to one jurisdiction profile.
type profileOrigin struct {
	amendedBy []string          // overlays that changed a profile an earlier layer had
	amended   map[string]bool   // the entries they changed or added
	setBy     map[string]string // the overlay that last set each entry
}

// profileOrigins follows the jurisdiction documents in the order applied.
// An overlay's entry counts as a change when it differs in anything (value,
// source, verify, note) from what the earlier layers had.
func profileOrigins(docs []policy.Document) map[string]*profileOrigin {
	origins := map[string]*profileOrigin{}
	for _, doc := range docs {
		if doc.Layer == 0 || len(doc.Path) != 2 || doc.Path[0] != "jurisdictions" {
			continue
		}
		code := doc.Path[1]
		o := origins[code]
		if o == nil {
			o = &profileOrigin{amended: map[string]bool{}, setBy: map[string]string{}}
			origins[code] = o
		}
		entries, _ := field(doc.Value, "entries").(map[string]any)
		before, _ := field(doc.Before, "entries").(map[string]any)
		for _, name := range sortedKeys(entries) {
			if doc.Before != nil && reflect.DeepEqual(entries[name], before[name]) {
				continue
			}
			o.setBy[name] = doc.Source
			if doc.Before != nil {
				o.amended[name] = true
				if !slices.Contains(o.amendedBy, doc.Source) {
					o.amendedBy = append(o.amendedBy, doc.Source)
				}
			}
		}
	}
	return origins
}

func amendments(origins map[string]*profileOrigin) []Amendment {
	var out []Amendment
	for _, code := range sortedKeys(origins) {
		if o := origins[code]; len(o.amendedBy) > 0 {
			out = append(out, Amendment{Code: code, Overlays: o.amendedBy, Fields: sortedKeys(o.amended)})
		}
	}
	return out
}

func field(v any, key string) any {
	obj, _ := v.(map[string]any)
	return obj[key]
}

// deriveProfiles checks every profile as the policy loads and gives the
// Rego data.frontdesk.amended_jurisdictions: for each amended code, the
// overlays and the fields they changed. No overlay can write data.frontdesk:
// its data files may only be profiles.
func deriveProfiles(docs []policy.Document) (map[string]any, []policy.Problem) {
	amended := map[string]any{}
	for _, a := range amendments(profileOrigins(docs)) {
		amended[a.Code] = map[string]any{"overlays": anyList(a.Overlays), "fields": anyList(a.Fields)}
	}
	return map[string]any{"frontdesk": map[string]any{"amended_jurisdictions": amended}}, checkProfiles(docs)
}

func anyList(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// checkProfiles checks the place and shape of every practice and
// jurisdiction profile, so that a typo in a profile is a load error naming
// its file rather than a rule that silently never applies, and a profile
// outside its bounds never decides anything.
func checkProfiles(docs []policy.Document) []policy.Problem {
	var problems []policy.Problem
	for _, doc := range docs {
		var c profileChecker
		switch {
		case len(doc.Path) == 2 && doc.Path[0] == "jurisdictions":
			code := doc.Path[1]
			switch {
			case code == "default" && doc.Layer > 0:
				c.fail("", "amend a state, not the default: the default profile is the law where no state says "+
					"otherwise; put the change in jurisdictions/<CODE>/data.json for the state it is about")
			case code != "default" && !jurisdictionCode.MatchString(code):
				c.fail("", "%q is not a jurisdiction code: an upper-case ISO 3166-2 code such as US-TX", code)
			default:
				c.jurisdiction(doc.Value, doc.Before != nil)
			}
		case len(doc.Path) == 2 && doc.Path[0] == "practices":
			switch {
			case !practiceName.MatchString(doc.Path[1]):
				c.fail("", "%q is not a practice name: lower-case letters, digits, - and _, at most 64", doc.Path[1])
			case shippedPractice(doc.Path[1]) && doc.Layer > 0:
				// Scenario files and tests rely on the shipped profiles as they
				// are (contract, "Defaults the default policy ships").
				c.fail("", "add your own practice profile, not a change to the shipped %q: put it in "+
					"practices/<your name>/data.json and name it in the request's practice", doc.Path[1])
			default:
				c.practice(doc.Value)
			}
		case len(doc.Path) == 2 && doc.Path[0] == "messages" && doc.Layer == 0:
			// The shipped message templates; their tests hold them to the rules.
		default:
			c.fail("", "data lives only in profiles, jurisdictions/<CODE>/data.json or practices/<name>/data.json")
		}
		for _, msg := range c.problems {
			problems = append(problems, policy.Problem{File: doc.File, Code: "profile_error", Message: msg})
		}
	}
	return problems
}

// shippedPractice reports a practice profile the default policy ships,
// which overlays leave as it is.
func shippedPractice(name string) bool { return name == "default" || name == "strict" }

// A practice's min_companion_age lies within these bounds (contract v2).
const minCompanionAge, maxCompanionAge = 14, 21

type profileChecker struct{ problems []string }

func (c *profileChecker) fail(at, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if at != "" {
		msg = at + ": " + msg
	}
	c.problems = append(c.problems, msg)
}

// jurisdictionFields maps each field a jurisdiction profile may set to a check of its value.
var jurisdictionFields = map[string]func(c *profileChecker, at string, v any){
	"age_of_majority":              (*profileChecker).adultAge,
	"health_care_consent_age":      (*profileChecker).adultAge,
	"emancipating_statuses":        (*profileChecker).statuses,
	"self_consent":                 (*profileChecker).selfConsent,
	"caregiver_affidavit":          (*profileChecker).affidavit,
	"unreachable_guardian_statute": (*profileChecker).unreachableStatutes,
	"verbal_delegation":            (*profileChecker).verbalDelegations,
	"attested_delegation":          (*profileChecker).attestedDelegations,
	"foster_placement_scope":       (*profileChecker).actions,
	"adult_surrogates":             (*profileChecker).surrogateOrder,
	"surrogates_by_consensus":      (*profileChecker).boolean,
	"written_consent_required":     (*profileChecker).actions,
	"guardian_required":            (*profileChecker).actions,
	"proxy_formalities":            (*profileChecker).formalities,
	"stepparent_is_parent":         (*profileChecker).boolean,
}

// jurisdiction checks a jurisdiction profile, or an amendment of one, which
// may leave out the name.
func (c *profileChecker) jurisdiction(v any, amending bool) {
	profile := c.object("", v, map[string]bool{"name": true, "entries": true})
	if profile == nil {
		return
	}
	if name, ok := profile["name"]; ok || !amending {
		if s, _ := name.(string); strings.TrimSpace(s) == "" {
			c.fail("name", "is required: the jurisdiction's name")
		}
	}
	entries, ok := profile["entries"].(map[string]any)
	if !ok {
		c.fail("entries", "must be an object of fields")
		return
	}
	for _, field := range sortedKeys(entries) {
		check, known := jurisdictionFields[field]
		at := "entries." + field
		if !known {
			c.fail(at, "is not a jurisdiction field (one of %s)", strings.Join(sortedKeys(jurisdictionFields), ", "))
			continue
		}
		entry := c.object(at, entries[field], map[string]bool{"value": true, "source": true, "verify": true, "note": true})
		if entry == nil {
			continue
		}
		if s, _ := entry["source"].(string); strings.TrimSpace(s) == "" {
			c.fail(at+".source", "is required: the statute or article, with its URL")
		}
		if v, ok := entry["verify"]; ok {
			c.boolean(at+".verify", v)
		}
		value, ok := entry["value"]
		if !ok {
			c.fail(at+".value", "is required")
			continue
		}
		check(c, at+".value", value)
	}
}

func (c *profileChecker) practice(v any) {
	profile := c.object("", v, map[string]bool{
		"name": true, "min_companion_age": true, "accompany": true, "verbal_consent": true,
		"guardian_required": true, "written_consent_required": true, "photo_id_required": true,
		"school_note_to_companion": true,
	})
	for _, key := range sortedKeys(profile) {
		v := profile[key]
		switch key {
		case "name":
			if _, ok := v.(string); !ok {
				c.fail(key, "must be a string")
			}
		case "min_companion_age":
			if n, ok := number(v); !ok || n != float64(int(n)) || n < minCompanionAge || n > maxCompanionAge {
				c.fail(key, "%v is not a whole number of years from %d to %d", v, minCompanionAge, maxCompanionAge)
			}
		case "accompany":
			if v != "any_adult" && v != "authorized_only" {
				c.fail(key, "%v is not any_adult or authorized_only", v)
			}
		case "school_note_to_companion":
			c.boolean(key, v)
		default:
			c.actions(key, v)
		}
	}
}

func (c *profileChecker) object(at string, v any, keys map[string]bool) map[string]any {
	obj, ok := v.(map[string]any)
	if !ok {
		c.fail(at, "must be an object")
		return nil
	}
	for _, key := range sortedKeys(obj) {
		if !keys[key] {
			c.fail(join(at, key), "is not a known key (one of %s)", strings.Join(sortedKeys(keys), ", "))
		}
	}
	return obj
}

// objects checks a list of objects with these keys, each with check.
func (c *profileChecker) objects(at string, v any, what string, keys map[string]bool, check func(at string, obj map[string]any)) {
	list, ok := v.([]any)
	if !ok {
		c.fail(at, "must be a list of %s", what)
		return
	}
	for i, item := range list {
		at := fmt.Sprintf("%s[%d]", at, i)
		if obj := c.object(at, item, keys); obj != nil {
			check(at, obj)
		}
	}
}

func (c *profileChecker) age(at string, v any) {
	if n, ok := number(v); !ok || n < 0 || n != float64(int(n)) {
		c.fail(at, "%v is not an age in whole years", v)
	}
}

// No state makes an adult of anyone younger than 16 or older than 21; a
// profile outside that is a typo or an attack, and would make a child an
// adult (or an adult a child) for every rule.
const youngestAdultAge, oldestAdultAge = 16, 21

func (c *profileChecker) adultAge(at string, v any) {
	if n, ok := number(v); !ok || n != float64(int(n)) || n < youngestAdultAge || n > oldestAdultAge {
		c.fail(at, "%v is not an age of majority or of consent to care from %d to %d", v, youngestAdultAge, oldestAdultAge)
	}
}

// No affidavit law gives a validity of a century; a larger one is a typo,
// and past the year 2262 dates no longer compute.
const maxValidityDays, maxValidityMonths = 36525, 1200

func (c *profileChecker) wholeNumber(at string, v any, most int, unit string) {
	if n, ok := number(v); !ok || n < 0 || n != float64(int(n)) || n > float64(most) {
		c.fail(at, "%v is not a whole number of %s from 0 to %d", v, unit, most)
	}
}

func (c *profileChecker) boolean(at string, v any) {
	if _, ok := v.(bool); !ok {
		c.fail(at, "%v is not true or false", v)
	}
}

func (c *profileChecker) list(at string, v any, known func(string) bool, what string) {
	items, ok := v.([]any)
	if !ok {
		c.fail(at, "must be a list of %ss", what)
		return
	}
	for i, item := range items {
		if s, ok := item.(string); !ok || !known(s) {
			c.fail(fmt.Sprintf("%s[%d]", at, i), "%v is not %s", item, article(what))
		}
	}
}

func (c *profileChecker) actions(at string, v any) {
	c.list(at, v, func(s string) bool { return slices.Contains(actions, Action(s)) }, "action")
}

func (c *profileChecker) statuses(at string, v any) {
	c.list(at, v, func(s string) bool { return slices.Contains(statuses, Status(s)) }, "status")
}

func (c *profileChecker) relationships(at string, v any) {
	c.list(at, v, func(s string) bool { return slices.Contains(relationships, Relationship(s)) }, "relationship")
}

// relationshipsOrCaregiver also accepts "any_adult_caregiver": an adult who
// lives with the child and has care and control of them.
func (c *profileChecker) relationshipsOrCaregiver(at string, v any) {
	c.list(at, v, func(s string) bool {
		return s == "any_adult_caregiver" || slices.Contains(relationships, Relationship(s))
	}, "relationship")
}

func (c *profileChecker) surrogateOrder(at string, v any) {
	c.relationships(at, v)
	c.distinct(at, v)
}

func (c *profileChecker) selfConsent(at string, v any) {
	keys := map[string]bool{"actions": true, "min_age": true, "statuses": true, "confidential": true, "limit": true}
	c.objects(at, v, "grants", keys, func(at string, grant map[string]any) {
		c.actions(at+".actions", grant["actions"])
		c.age(at+".min_age", grant["min_age"])
		if s, ok := grant["statuses"]; ok {
			c.statuses(at+".statuses", s)
		}
		// Whether the care is confidential from parents.
		if b, ok := grant["confidential"]; ok {
			c.boolean(at+".confidential", b)
		}
		// What the law narrows the grant to, as the desk is told it.
		if limit, ok := grant["limit"]; ok {
			if s, _ := limit.(string); strings.TrimSpace(s) == "" {
				c.fail(at+".limit", "must say, in a sentence for the desk, what the minor may consent to")
			}
		}
	})
}

func (c *profileChecker) affidavit(at string, v any) {
	if v == nil {
		return
	}
	a := c.object(at, v, map[string]bool{
		"min_age": true, "lives_with_required": true, "validity_days": true, "validity_months": true, "relatives": true,
		"relative_scope": true, "nonrelative_scope": true, "nonrelative_limit": true, "guardian_unreachable_required": true,
	})
	if a == nil {
		return
	}
	c.age(at+".min_age", a["min_age"])
	c.boolean(at+".lives_with_required", a["lives_with_required"])
	if b, ok := a["guardian_unreachable_required"]; ok {
		c.boolean(at+".guardian_unreachable_required", b)
	}
	// Validity runs from signed_on, in days or in calendar months ("six
	// months from signing"), never both: a null or absent one does not count.
	days, months := a["validity_days"], a["validity_months"]
	if days != nil {
		c.wholeNumber(at+".validity_days", days, maxValidityDays, "days")
	}
	if months != nil {
		c.wholeNumber(at+".validity_months", months, maxValidityMonths, "months")
	}
	if days != nil && months != nil {
		c.fail(at, "give validity_days or validity_months, not both")
	}
	c.relationships(at+".relatives", a["relatives"])
	c.actions(at+".relative_scope", a["relative_scope"])
	c.actions(at+".nonrelative_scope", a["nonrelative_scope"])
	if limits, ok := a["nonrelative_limit"]; ok {
		obj, ok := limits.(map[string]any)
		if !ok {
			c.fail(at+".nonrelative_limit", "must map actions to messages")
		}
		for _, action := range sortedKeys(obj) {
			if !slices.Contains(actions, Action(action)) {
				c.fail(at+".nonrelative_limit."+action, "is not an action")
			}
		}
	}
}

// unreachableStatutes are statutes for unreachable guardians: whether they
// need the guardians unreachable, rank the relatives, and have the relative
// confirm in writing that no guardian is available (written_confirmation).
func (c *profileChecker) unreachableStatutes(at string, v any) {
	c.statuteList(at, v, "guardian_unreachable_required", "ordered", "written_confirmation")
	// A confirmation that no guardian is available means nothing where the
	// statute applies with guardians at hand: the desk would never ask for it.
	list, _ := v.([]any)
	for i, item := range list {
		if s, _ := item.(map[string]any); s["written_confirmation"] == true && s["guardian_unreachable_required"] == false {
			c.fail(fmt.Sprintf("%s[%d]", at, i), "written_confirmation that no guardian is available needs guardian_unreachable_required")
		}
	}
}

func (c *profileChecker) attestedDelegations(at string, v any) {
	c.statuteList(at, v)
}

// verbalDelegations are statutes whose delegate may have to confirm the
// delegation in writing for the chart (written_confirmation).
func (c *profileChecker) verbalDelegations(at string, v any) {
	c.statuteList(at, v, "written_confirmation")
}

// statuteList checks a list of statutes, each with a name, actions,
// optionally relationships, and these flags.
func (c *profileChecker) statuteList(at string, v any, flags ...string) {
	keys := map[string]bool{"statute": true, "actions": true, "relationships": true}
	for _, flag := range flags {
		keys[flag] = true
	}
	c.objects(at, v, "statutes", keys, func(at string, statute map[string]any) {
		if name, _ := statute["statute"].(string); name == "" {
			c.fail(at+".statute", "is required: the statute's name")
		}
		c.actions(at+".actions", statute["actions"])
		if rels, ok := statute["relationships"]; ok {
			c.relationshipsOrCaregiver(at+".relationships", rels)
			c.distinct(at+".relationships", rels)
		}
		for _, flag := range flags {
			if b, ok := statute[flag]; ok {
				c.boolean(at+"."+flag, b)
			}
		}
	})
}

// distinct fails a list that names one value twice: in a ranked list the
// second place would be dead, and a typo may hide behind it.
func (c *profileChecker) distinct(at string, v any) {
	list, _ := v.([]any)
	seen := map[any]bool{}
	for i, item := range list {
		if seen[item] {
			c.fail(fmt.Sprintf("%s[%d]", at, i), "%v is listed twice", item)
		}
		seen[item] = true
	}
}

func (c *profileChecker) formalities(at string, v any) {
	f := c.object(at, v, map[string]bool{"witnesses": true, "notarized": true})
	if f == nil {
		return
	}
	c.age(at+".witnesses", f["witnesses"])
	c.boolean(at+".notarized", f["notarized"])
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case interface{ Float64() (float64, error) }:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func join(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

func article(what string) string {
	if strings.IndexByte("aeiou", what[0]) >= 0 {
		return "an " + what
	}
	return "a " + what
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

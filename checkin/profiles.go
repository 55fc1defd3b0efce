package checkin

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/frontdesk-policy/frontdesk/policy"
)

// A Jurisdiction is a jurisdiction profile as compliance staff check it:
// every entry that differs from the default, with its source.
type Jurisdiction struct {
	Code    string         `json:"code"`
	Name    string         `json:"name"`
	Entries []ProfileEntry `json:"entries"`
}

// A ProfileEntry is one setting of a jurisdiction profile and where it comes from.
type ProfileEntry struct {
	Field  string `json:"field"`
	Value  any    `json:"value"`
	Source string `json:"source"`
	// Verify marks an entry whose source is uncertain or conflicting.
	Verify bool   `json:"verify"`
	Note   string `json:"note,omitempty"`
}

// Jurisdictions lists the jurisdiction profiles of the engine's policy, the
// default first and then by code, entries by field.
func (e *Engine) Jurisdictions() []Jurisdiction {
	profiles, _ := e.current.Load().Data()["jurisdictions"].(map[string]any)
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
		j := Jurisdiction{Code: code, Name: str(profile["name"]), Entries: []ProfileEntry{}}
		entries, _ := profile["entries"].(map[string]any)
		for _, field := range sortedKeys(entries) {
			entry, _ := entries[field].(map[string]any)
			verify, _ := entry["verify"].(bool)
			j.Entries = append(j.Entries, ProfileEntry{
				Field: field, Value: entry["value"], Source: str(entry["source"]), Verify: verify, Note: str(entry["note"]),
			})
		}
		out = append(out, j)
	}
	return out
}

// checkProfiles checks the shape of every practice and jurisdiction profile,
// so that a typo in a profile is a load error naming its file rather than a
// rule that silently never applies.
func checkProfiles(p *policy.Policy) error {
	var problems []policy.Problem
	for _, doc := range p.Documents() {
		var c profileChecker
		switch {
		case len(doc.Path) == 2 && doc.Path[0] == "jurisdictions":
			c.jurisdiction(doc.Value)
		case len(doc.Path) == 2 && doc.Path[0] == "practices":
			c.practice(doc.Value)
		case len(doc.Path) < 2 && (slices.Contains(doc.Path, "jurisdictions") || slices.Contains(doc.Path, "practices")):
			c.fail("", "profiles go in their own folder, jurisdictions/<CODE>/data.json or practices/<name>/data.json")
		}
		for _, msg := range c.problems {
			problems = append(problems, policy.Problem{File: doc.File, Code: "profile_error", Message: msg})
		}
	}
	if len(problems) > 0 {
		return &policy.LoadError{Problems: problems}
	}
	return nil
}

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
	"age_of_majority":              (*profileChecker).age,
	"health_care_consent_age":      (*profileChecker).age,
	"emancipating_statuses":        (*profileChecker).statuses,
	"self_consent":                 (*profileChecker).selfConsent,
	"caregiver_affidavit":          (*profileChecker).affidavit,
	"unreachable_guardian_statute": (*profileChecker).statutes,
	"verbal_delegation":            (*profileChecker).statutes,
	"attested_delegation":          (*profileChecker).statutes,
	"foster_placement_scope":       (*profileChecker).actions,
	"adult_surrogates":             (*profileChecker).relationships,
	"written_consent_required":     (*profileChecker).actions,
	"guardian_required":            (*profileChecker).actions,
	"proxy_formalities":            (*profileChecker).formalities,
	"stepparent_is_parent":         (*profileChecker).boolean,
}

func (c *profileChecker) jurisdiction(v any) {
	profile := c.object("", v, map[string]bool{"name": true, "entries": true})
	if profile == nil {
		return
	}
	if _, ok := profile["name"].(string); !ok {
		c.fail("name", "is required")
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
			c.age(key, v)
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
	c.list(at, v, func(s string) bool { return slices.Contains(Actions, Action(s)) }, "action")
}

func (c *profileChecker) statuses(at string, v any) {
	c.list(at, v, func(s string) bool { return slices.Contains(Statuses, Status(s)) }, "status")
}

func (c *profileChecker) relationships(at string, v any) {
	c.list(at, v, func(s string) bool { return slices.Contains(Relationships, Relationship(s)) }, "relationship")
}

// relationshipsOrCaregiver also accepts "any_adult_caregiver": an adult who
// lives with the child and has care and control of them.
func (c *profileChecker) relationshipsOrCaregiver(at string, v any) {
	c.list(at, v, func(s string) bool {
		return s == "any_adult_caregiver" || slices.Contains(Relationships, Relationship(s))
	}, "relationship")
}

func (c *profileChecker) selfConsent(at string, v any) {
	keys := map[string]bool{"actions": true, "min_age": true, "statuses": true, "confidential": true}
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
	})
}

func (c *profileChecker) affidavit(at string, v any) {
	if v == nil {
		return
	}
	a := c.object(at, v, map[string]bool{
		"min_age": true, "lives_with_required": true, "validity_days": true, "relatives": true,
		"relative_scope": true, "nonrelative_scope": true, "nonrelative_limit": true,
	})
	if a == nil {
		return
	}
	c.age(at+".min_age", a["min_age"])
	c.boolean(at+".lives_with_required", a["lives_with_required"])
	if days := a["validity_days"]; days != nil {
		c.age(at+".validity_days", days)
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
			if !slices.Contains(Actions, Action(action)) {
				c.fail(at+".nonrelative_limit."+action, "is not an action")
			}
		}
	}
}

func (c *profileChecker) statutes(at string, v any) {
	keys := map[string]bool{"statute": true, "actions": true, "relationships": true, "guardian_unreachable_required": true, "ordered": true}
	c.objects(at, v, "statutes", keys, func(at string, statute map[string]any) {
		if name, _ := statute["statute"].(string); name == "" {
			c.fail(at+".statute", "is required: the statute's name")
		}
		c.actions(at+".actions", statute["actions"])
		if rels, ok := statute["relationships"]; ok {
			c.relationshipsOrCaregiver(at+".relationships", rels)
		}
		for _, flag := range []string{"guardian_unreachable_required", "ordered"} {
			if b, ok := statute[flag]; ok {
				c.boolean(at+"."+flag, b)
			}
		}
	})
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

package checkin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/frontdesk-policy/frontdesk/policy"
	"github.com/frontdesk-policy/frontdesk/rego"
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
	Data:         []string{"practices/*/data.json", "jurisdictions/*/data.json", "messages/*/data.json"},
	Files:        []string{"scenarios/**/*.json", "**/*.md"},
	MaxEntries:   256,
	MaxFileBytes: 1 << 20,
	MaxBytes:     8 << 20,
}

// profileMerges have an overlay amend a profile an earlier layer ships, so
// that changing one entry does not silently drop the others and leave them
// to the looser default: a jurisdiction profile entry by entry (each entry
// replaced whole, with its own source), a practice profile key by key, and
// a language's messages template by template (kind, code, template name).
var profileMerges = []policy.Merge{
	{Path: "jurisdictions/*", Depth: 2}, {Path: "practices/*", Depth: 1}, {Path: "messages/*", Depth: 3},
}

// Jurisdictions lists the jurisdiction profiles of the engine's policy, the
// default first and then by code, entries by field.
func (e *Engine) Jurisdictions() []Jurisdiction {
	p := e.deciding()
	if p == nil {
		return nil
	}
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
	p := e.deciding()
	if p == nil {
		return nil
	}
	return amendments(profileOrigins(p.Documents()))
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

// deriveProfiles checks every profile and message file as the policy loads,
// and gives the Rego data.frontdesk: the amended jurisdictions (for each
// amended code, the overlays and the fields they changed), the shipped words
// of every message an overlay rewords, and the language the engine decides
// in, if it was given one. No overlay can write data.frontdesk: its data
// files may only be profiles and messages.
func deriveProfiles(docs []policy.Document, language string) (map[string]any, []policy.Problem) {
	amended := map[string]any{}
	for _, a := range amendments(profileOrigins(docs)) {
		amended[a.Code] = map[string]any{"overlays": anyList(a.Overlays), "fields": anyList(a.Fields)}
	}
	frontdesk := map[string]any{"amended_jurisdictions": amended, "reworded": reworded(docs), "withheld": withheld(docs)}
	problems := checkProfiles(docs)
	if language != "" {
		if p := checkLanguage(docs, language); p != nil {
			problems = append(problems, *p)
		}
		frontdesk["language"] = language
	}
	return map[string]any{"frontdesk": frontdesk}, problems
}

func anyList(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// checkProfiles holds every data document to its JSON Schema in
// rego/schemas, so that a typo in a profile is a load error naming its file
// rather than a rule that silently never applies, and a profile outside its
// bounds never decides anything. What a schema of one document cannot see,
// where the file is and what other files hold, is checked here.
func checkProfiles(docs []policy.Document) []policy.Problem {
	languages := messageLanguages(docs)
	words := rewordSchema()
	var problems []policy.Problem
	for _, doc := range docs {
		var msgs []string
		check := func(s docSchema, v any) bool {
			more := s.check(v)
			msgs = append(msgs, more...)
			return len(more) == 0
		}
		var place, name string // the folder a profile's file is in: jurisdictions/US-TX
		if len(doc.Path) == 2 {
			place, name = doc.Path[0], doc.Path[1]
		}
		switch {
		case place == "jurisdictions":
			switch {
			case doc.Layer > 0:
				check(schemas.overlayJurisdictionCode, name)
			case name != "default":
				check(schemas.jurisdictionCode, name)
			}
			if len(msgs) > 0 {
				break
			}
			if doc.Before != nil {
				check(schemas.amendment, doc.Value) // the name is the earlier layer's
			} else {
				check(schemas.jurisdiction, doc.Value)
			}
		case place == "practices":
			if doc.Layer > 0 {
				// Scenario files and tests rely on the shipped profiles as they
				// are (contract, "Defaults the default policy ships").
				check(schemas.overlayPracticeName, name)
			} else {
				check(schemas.practiceName, name)
			}
			if len(msgs) == 0 && check(schemas.practice, doc.Value) {
				// Which languages have messages is for the policy's other files
				// to say, not this one's schema.
				if lang, ok := field(doc.Value, "language").(string); ok && !languages[lang] {
					msgs = append(msgs, fmt.Sprintf("language: %q has no messages (messages/%s/data.json); the policy "+
						"has %s", lang, lang, strings.Join(sortedKeys(languages), ", ")))
				}
			}
		case place == "messages":
			if check(schemas.language, name) && check(schemas.messages, doc.Value) {
				check(words, doc.Value)
			}
			if doc.Layer > 0 && shippedMessages(docs, name) != nil {
				for _, part := range []string{"phrases", "words"} {
					if field(doc.Value, part) != nil {
						msgs = append(msgs, fmt.Sprintf("%s: an overlay rewords whole messages in %s, not the %s they are "+
							"built from, which reach conditions and remedies where a restriction's check cannot see them",
							part, name, part))
					}
				}
			}
		case place == "schemas" && doc.Layer == 0:
			// The schemas themselves, compiled as the package loads.
		default:
			msgs = append(msgs, "data lives only in profiles and messages: jurisdictions/<CODE>/data.json, "+
				"practices/<name>/data.json or messages/<language>/data.json")
		}
		for _, msg := range msgs {
			problems = append(problems, policy.Problem{File: doc.File, Code: "profile_error", Message: msg})
		}
	}
	return problems
}

// withheld is, by shipped language, the shipped words a condition, remedy or
// obligation is given in when an overlay's words for it would name a person
// a restriction bars: copied here, where no overlay can reword them.
func withheld(docs []policy.Document) map[string]any {
	out := map[string]any{}
	for _, doc := range docs {
		if doc.Layer == 0 && len(doc.Path) == 2 && doc.Path[0] == "messages" {
			if words, ok := field(field(doc.Value, "phrases"), "withheld").(string); ok {
				out[doc.Path[1]] = words
			}
		}
	}
	return out
}

// messageLanguages are the languages the policy has messages in.
func messageLanguages(docs []policy.Document) map[string]bool {
	languages := map[string]bool{}
	for _, doc := range docs {
		if len(doc.Path) == 2 && doc.Path[0] == "messages" {
			languages[doc.Path[1]] = true
		}
	}
	return languages
}

// shippedMessages are the templates of the shipped policy in one language,
// or nil.
func shippedMessages(docs []policy.Document, language string) map[string]any {
	for _, doc := range docs {
		if doc.Layer == 0 && len(doc.Path) == 2 && doc.Path[0] == "messages" && doc.Path[1] == language {
			m, _ := doc.Value.(map[string]any)
			return m
		}
	}
	return nil
}

// reworded gives, for every template an overlay rewords, the template the
// shipped policy had there: its own in that language, or the English one
// for a language only an overlay adds. The Rego falls back to them where
// the overlay's words would name a guardian a restriction bars.
func reworded(docs []policy.Document) map[string]any {
	out := map[string]any{}
	english := shippedMessages(docs, "en")
	for _, doc := range docs {
		if doc.Layer == 0 || len(doc.Path) != 2 || doc.Path[0] != "messages" {
			continue
		}
		lang := doc.Path[1]
		shipped := shippedMessages(docs, lang)
		kinds, _ := doc.Value.(map[string]any)
		for kind, codes := range kinds {
			codes, _ := codes.(map[string]any)
			for code, templates := range codes {
				templates, _ := templates.(map[string]any)
				for name := range templates {
					at := []string{kind, code, name}
					was, ok := lookup(shipped, at).(string)
					if !ok {
						was, ok = lookup(english, at).(string)
					}
					if ok {
						put(out, append([]string{lang}, at...), was)
					}
				}
			}
		}
	}
	return out
}

// lookup reads the value at a path of keys and, in lists, indexes.
func lookup(v any, path []string) any {
	for _, key := range path {
		if list, ok := v.([]any); ok {
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(list) {
				return nil
			}
			v = list[i]
			continue
		}
		v = field(v, key)
	}
	return v
}

func put(root map[string]any, path []string, v any) {
	for _, key := range path[:len(path)-1] {
		next, ok := root[key].(map[string]any)
		if !ok {
			next = map[string]any{}
			root[key] = next
		}
		root = next
	}
	root[path[len(path)-1]] = v
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// schemaBase is where the schemas of rego/schemas say they are published:
// their $id, by which they refer to each other.
const schemaBase = "https://github.com/frontdesk-policy/frontdesk/rego/schemas/"

// A docSchema is a compiled JSON Schema and the schema documents it was
// compiled from, whose descriptions its problems quote.
type docSchema struct {
	schema *jsonschema.Schema
	docs   map[string]any // by URL
}

// profileSchemas are the schemas of rego/schemas, compiled once: those of
// the documents, and those of the names their folders may have.
type profileSchemas struct {
	jurisdiction, amendment, practice, messages docSchema
	jurisdictionCode, overlayJurisdictionCode   docSchema
	practiceName, overlayPracticeName, language docSchema
}

var schemas = func() profileSchemas {
	c := jsonschema.NewCompiler()
	docs := map[string]any{}
	for _, name := range []string{"jurisdiction", "practice", "messages", "overlay"} {
		bs, err := fs.ReadFile(rego.FS(), "schemas/"+name+"/data.json")
		if err != nil {
			panic(err) // the schemas are embedded: a build without them is broken
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(bs))
		if err != nil {
			panic(fmt.Sprintf("rego/schemas/%s/data.json: %v", name, err))
		}
		url := schemaBase + name + "/data.json"
		if err := c.AddResource(url, doc); err != nil {
			panic(err)
		}
		docs[url] = doc
	}
	compile := func(loc string) docSchema {
		s, err := c.Compile(schemaBase + loc)
		if err != nil {
			panic(err)
		}
		return docSchema{s, docs}
	}
	return profileSchemas{
		jurisdiction:            compile("jurisdiction/data.json"),
		amendment:               compile("jurisdiction/data.json#/definitions/amendment"),
		practice:                compile("practice/data.json"),
		messages:                compile("messages/data.json"),
		jurisdictionCode:        compile("overlay/data.json#/definitions/jurisdiction_code"),
		overlayJurisdictionCode: compile("overlay/data.json#/properties/jurisdictions/propertyNames"),
		practiceName:            compile("overlay/data.json#/definitions/practice_name"),
		overlayPracticeName:     compile("overlay/data.json#/properties/practices/propertyNames"),
		language:                compile("messages/data.json#/definitions/language"),
	}
}()

// placeholder is how a template names a parameter.
var placeholder = regexp.MustCompile(`\{([a-z][a-z0-9_]*)\}`)

// rewordSchema is the schema every language's messages are held to, the
// shipped ones and those an overlay brings: the keys of the shipped English
// (kind, code, template name), and in each template only the placeholders
// of the English one, which are what the rule supplies. A template may
// leave a placeholder out; one the rule does not supply would be printed
// as it is written. The shipped English is embedded, so the schema is made
// once.
var rewordSchema = sync.OnceValue(func() docSchema {
	bs, err := fs.ReadFile(rego.FS(), "messages/en/data.json")
	if err != nil {
		panic(err) // the messages are embedded: a build without them is broken
	}
	var english map[string]any
	if err := json.Unmarshal(bs, &english); err != nil {
		panic(err)
	}
	var of func(v any) map[string]any
	of = func(v any) map[string]any {
		if s, ok := v.(string); ok {
			names := map[string]bool{}
			for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
				names[m[1]] = true
			}
			if len(names) == 0 {
				return map[string]any{"type": "string", "pattern": `^[^{}]*$`,
					"description": "a template without placeholders: the rule supplies none"}
			}
			list := sortedKeys(names)
			shown := make([]string, len(list))
			for i, n := range list {
				shown[i] = "{" + n + "}"
			}
			// Every one, too: a reworded CALL_GUARDIAN without {guardians}
			// could send staff to a parent a restriction bars.
			all := []any{map[string]any{"pattern": `^([^{}]|\{(` + strings.Join(list, "|") + `)\})*$`,
				"description": "a template that uses only the placeholders the rule supplies: " + strings.Join(shown, ", ")}}
			for _, n := range list {
				all = append(all, map[string]any{"pattern": `\{` + n + `\}`,
					"description": "a template that keeps {" + n + "}, which the rule supplies"})
			}
			return map[string]any{
				"type":        "string",
				"allOf":       all,
				"description": "a template with exactly the placeholders the rule supplies: " + strings.Join(shown, ", "),
			}
		}
		obj, _ := v.(map[string]any)
		props := map[string]any{}
		for k, x := range obj {
			props[k] = of(x)
		}
		return map[string]any{"type": "object", "additionalProperties": false, "properties": props}
	}
	doc := of(english)
	doc["$schema"] = "http://json-schema.org/draft-07/schema#"
	url := schemaBase + "messages/reworded.json" // made here, from the shipped English; not published
	c := jsonschema.NewCompiler()
	if err := c.AddResource(url, doc); err != nil {
		panic(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		panic(err) // the English templates make the patterns: a failure is a bug here
	}
	return docSchema{s, map[string]any{url: doc}}
})

// check validates v and says what is wrong with it for the compliance staff
// who wrote it: where (a path such as entries.self_consent.value[0].limit),
// the value, and what the schema wants there, in the words of its
// description.
func (s docSchema) check(v any) []string {
	if s.schema == nil {
		return nil
	}
	err := s.schema.Validate(v)
	if err == nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return []string{err.Error()}
	}
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if k, ok := e.ErrorKind.(*kind.PropertyNames); ok {
			// A key the object may not have: its causes are about the key.
			for _, leaf := range leaves(e) {
				out = append(out, s.problem(leaf, v, e.InstanceLocation, k.Property, true)...)
			}
			return
		}
		if len(e.Causes) == 0 {
			out = append(out, s.problem(e, v, e.InstanceLocation, lookup(v, e.InstanceLocation), false)...)
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(verr)
	sort.Strings(out)
	return slices.Compact(out)
}

func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

var englishPrinter = message.NewPrinter(language.English)

// problem words one failed keyword: at the value at loc in root (or a key
// of the object there), as the keyword's schema describes it.
func (s docSchema) problem(e *jsonschema.ValidationError, root any, loc []string, value any, isKey bool) []string {
	at := pathOf(root, loc)
	shown := show(value)
	if isKey {
		shown = "key " + shown
	}
	desc := str(s.keyword(e.SchemaURL, "description"))
	hint := ""
	if desc != "" {
		hint = " (" + desc + ")"
	}
	var msgs []string
	say := func(at, msg string) {
		if at != "" {
			msg = at + ": " + msg
		}
		msgs = append(msgs, msg)
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		say(at, shown+" is not "+typeWords(k.Want)+hint)
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		if title := str(s.keyword(e.SchemaURL, "title")); title != "" {
			say(at, fmt.Sprintf("%s is not %s (one of %s)", shown, article(title), strings.Join(want, ", ")))
		} else {
			say(at, fmt.Sprintf("%s is not one of %s", shown, strings.Join(want, ", ")))
		}
	case *kind.Const, *kind.Not, *kind.FalseSchema:
		switch {
		case desc == "":
			say(at, shown+" is not allowed")
		case scalar(value):
			say(at, shown+": "+desc)
		default:
			say(at, desc)
		}
	case *kind.Required:
		props, _ := s.keyword(e.SchemaURL, "properties").(map[string]any)
		for _, missing := range k.Missing {
			why := str(field(props[missing], "description"))
			if why == "" {
				why = desc
			}
			if why != "" {
				why = ": " + why
			}
			say(join(at, missing), "is required"+why)
		}
	case *kind.AdditionalProperties:
		props, _ := s.keyword(e.SchemaURL, "properties").(map[string]any)
		for _, key := range k.Properties {
			say(join(at, key), "is not a known key (one of "+strings.Join(sortedKeys(props), ", ")+")")
		}
	case *kind.UniqueItems:
		list, _ := value.([]any)
		first, again := k.Duplicates[0], k.Duplicates[1]
		if again < len(list) {
			say(fmt.Sprintf("%s[%d]", at, again), fmt.Sprintf("%s is listed twice (also at [%d])", show(list[again]), first))
		}
	case *kind.Minimum:
		say(at, shown+" is less than "+ratText(k.Want)+hint)
	case *kind.Maximum:
		say(at, shown+" is more than "+ratText(k.Want)+hint)
	case *kind.Pattern:
		if desc != "" {
			say(at, shown+" is not "+desc)
		} else {
			say(at, shown+" does not match "+k.Want)
		}
	default:
		say(at, e.ErrorKind.LocalizedString(englishPrinter)+hint)
	}
	return msgs
}

// keyword reads a keyword of the schema at url, such as its description.
func (s docSchema) keyword(url, name string) any {
	base, fragment, _ := strings.Cut(url, "#")
	v := s.docs[base]
	for _, token := range strings.Split(strings.TrimPrefix(fragment, "/"), "/") {
		if token == "" {
			continue
		}
		token = strings.NewReplacer("~1", "/", "~0", "~").Replace(token)
		switch node := v.(type) {
		case map[string]any:
			v = node[token]
		case []any:
			i, err := strconv.Atoi(token)
			if err != nil || i < 0 || i >= len(node) {
				return nil
			}
			v = node[i]
		default:
			return nil
		}
	}
	return field(v, name)
}

// pathOf writes a location in a document as people read it:
// entries.self_consent.value[0].limit.
func pathOf(root any, loc []string) string {
	var b strings.Builder
	v := root
	for _, key := range loc {
		if list, ok := v.([]any); ok {
			b.WriteString("[" + key + "]")
			if i, err := strconv.Atoi(key); err == nil && i >= 0 && i < len(list) {
				v = list[i]
			} else {
				v = nil
			}
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(key)
		v = field(v, key)
	}
	return b.String()
}

func join(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

// show writes a value as it is written in the file; a list or an object
// by what it is.
func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprint(v)
}

func scalar(v any) bool {
	switch v.(type) {
	case []any, map[string]any:
		return false
	}
	return true
}

var typeNames = map[string]string{
	"integer": "a whole number", "number": "a number", "boolean": "true or false", "string": "text",
	"array": "a list", "object": "an object", "null": "null",
}

func typeWords(want []string) string {
	want = slices.Clone(want)
	slices.SortStableFunc(want, func(a, b string) int { // "a whole number or null", null last
		return strings.Compare(strconv.FormatBool(a == "null"), strconv.FormatBool(b == "null"))
	})
	words := make([]string, len(want))
	for i, w := range want {
		words[i] = typeNames[w]
		if words[i] == "" {
			words[i] = w
		}
	}
	return strings.Join(words, " or ")
}

func ratText(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	return r.FloatString(2)
}

func article(what string) string {
	if strings.IndexByte("aeiou", what[0]) >= 0 {
		return "an " + what
	}
	return "a " + what
}

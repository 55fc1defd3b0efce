package checkin

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	opa "github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/rego"
)

// The contract's names are defined once, in rego/checkin/vocabulary.rego.
// Every other place that lists them is compared with it here, as whole sets
// both ways: a value removed, added or renamed in any one place fails.

// regoSets are the vocabulary's sets, by their name in package checkin.
var regoSets = []string{
	"actions", "consent_actions", "information_actions", "presence_actions",
	"relationships", "guardian_roles", "document_kinds", "patient_statuses", "identity_checks",
}

func TestVocabularyIsDefinedOnce(t *testing.T) {
	t.Parallel()
	e, err := New(t.Context())
	require.NoError(t, err)
	vocabulary := map[string]set[string]{}
	for _, name := range regoSets {
		vocabulary[name] = regoSet(t, e, "data.checkin."+name)
		require.NotEmpty(t, vocabulary[name], name)
	}
	actions := vocabulary["actions"]

	t.Run("action groups", func(t *testing.T) {
		groups := []string{"consent_actions", "information_actions", "presence_actions"}
		all := set[string]{}
		for _, g := range groups {
			for a := range vocabulary[g] {
				assert.False(t, all[a], "%s is in two groups of actions", a)
				all[a] = true
			}
		}
		sameSet(t, "the groups of actions", all, "actions", actions)
		consent := set[string]{}
		for a := range actions {
			if strings.HasPrefix(a, "consent_") {
				consent[a] = true
			}
		}
		sameSet(t, `actions named "consent_"`, consent, "consent_actions", vocabulary["consent_actions"])
	})

	t.Run("Go", func(t *testing.T) {
		constants := goConstants(t)
		for _, c := range []struct {
			goType, fn, rego string
			listed           []string
			valid            func(string) bool
		}{
			{"Action", "Actions", "actions", strs(Actions()), func(s string) bool { return Action(s).Valid() }},
			{"Relationship", "Relationships", "relationships", strs(Relationships()), func(s string) bool { return Relationship(s).Valid() }},
			{"Role", "Roles", "guardian_roles", strs(Roles()), func(s string) bool { return Role(s).Valid() }},
			{"DocumentKind", "DocumentKinds", "document_kinds", strs(DocumentKinds()), func(s string) bool { return DocumentKind(s).Valid() }},
			{"Status", "Statuses", "patient_statuses", strs(Statuses()), func(s string) bool { return Status(s).Valid() }},
			{"Identity", "Identities", "identity_checks", strs(Identities()), func(s string) bool { return Identity(s).Valid() }},
		} {
			want := vocabulary[c.rego]
			sameSet(t, c.goType+" constants", constants[c.goType], c.rego, want)
			sameSet(t, c.fn+"()", setOf(c.listed), c.rego, want)
			assert.Len(t, c.listed, len(setOf(c.listed)), "%s() lists a value twice", c.fn)
			for v := range want {
				assert.True(t, c.valid(v), "%s(%q).Valid()", c.goType, v)
			}
		}
		assert.False(t, AllActions.Valid(), "the wildcard is no action")
		// Verdicts and outcomes are the decision's, not the request's: Go's
		// lists are held to Go's constants.
		sameSet(t, "Verdicts()", setOf(strs(Verdicts())), "the Verdict constants", constants["Verdict"])
		sameSet(t, "Outcomes()", setOf(strs(Outcomes())), "the Outcome constants", constants["Outcome"])
	})

	t.Run("Go validator", func(t *testing.T) {
		// A grantor is required for every kind but the caregiver's own affidavit.
		grantors := regoSet(t, e, "data.checkin.grantor_required")
		sameSet(t, "Go's grantorRequired", setOf(strs(grantorRequired)), "validation.rego's grantor_required", grantors)
		for k := range grantors {
			assert.True(t, vocabulary["document_kinds"][k], "grantor_required: %s is no document kind", k)
		}
	})

	t.Run("input schema", func(t *testing.T) {
		bs, err := fs.ReadFile(rego.FS(), "schemas/input.json")
		require.NoError(t, err)
		covers := maps.Clone(actions)
		covers[string(AllActions)] = true
		want := map[string]set[string]{
			"patient.statuses[]":              vocabulary["patient_statuses"],
			"companion.relationship":          vocabulary["relationships"],
			"companion.identity":              vocabulary["identity_checks"],
			"records.guardians[].role":        vocabulary["guardian_roles"],
			"records.documents[].kind":        vocabulary["document_kinds"],
			"records.documents[].if.kind":     regoSet(t, e, "data.checkin.grantor_required"),
			"records.documents[].covers[]":    covers,
			"records.restrictions[].covers[]": covers,
			"records.refusals[].covers[]":     covers,
			"records.designations[].covers[]": covers,
			"desk.verbal_consent[].covers[]":  covers,
			"requested[]":                     actions,
		}
		enums := schemaEnums(t, bs)
		sameSet(t, "the schema's enums", setOf(slices.Collect(maps.Keys(enums))), "the enums compared here", setOf(slices.Collect(maps.Keys(want))))
		for at, values := range enums {
			if w, ok := want[at]; ok {
				sameSet(t, "input.json "+at, values, "the vocabulary", w)
			}
		}
	})

	t.Run("profile schemas", func(t *testing.T) {
		// Every enum of a profile's schema is one of the vocabulary's sets,
		// whole, with at most the extra values profiles allow beside it;
		// or it is listed here as naming something else.
		extras := set[string]{string(AllActions): true, "any_adult_caregiver": true}
		notVocabulary := map[string]bool{
			"practice/data.json#/properties/accompany":                true, // the practice's accompany rule
			"overlay/data.json#/definitions/not_shipped_practice/not": true, // the shipped practices' names
		}
		schemas, err := fs.Glob(rego.FS(), "schemas/*/*.json")
		require.NoError(t, err)
		for _, file := range schemas {
			bs, err := fs.ReadFile(rego.FS(), file)
			require.NoError(t, err)
			var doc any
			require.NoError(t, json.Unmarshal(bs, &doc), file)
			for pointer, values := range enumsByPointer(doc, "") {
				at := strings.TrimPrefix(file, "schemas/") + "#" + pointer
				name, best := "", 0
				for _, vocab := range regoSets {
					if n := len(overlap(values, vocabulary[vocab])); n > best || n == best && n > 0 && len(vocabulary[vocab]) < len(vocabulary[name]) {
						name, best = vocab, n
					}
				}
				if notVocabulary[at] {
					assert.Zero(t, best, "%s names the vocabulary's %s", at, name)
					continue
				}
				require.NotZero(t, best, "%s is no set of the vocabulary: list it in notVocabulary", at)
				got := set[string]{}
				for v := range values {
					if !extras[v] {
						got[v] = true
					}
				}
				sameSet(t, at, got, name, vocabulary[name])
			}
		}
	})

	t.Run("message words", func(t *testing.T) {
		languages, err := fs.Glob(rego.FS(), "messages/*/data.json")
		require.NoError(t, err)
		require.NotEmpty(t, languages)
		for _, file := range languages {
			bs, err := fs.ReadFile(rego.FS(), file)
			require.NoError(t, err)
			var messages struct {
				Words map[string]map[string]any `json:"words"`
			}
			require.NoError(t, json.Unmarshal(bs, &messages), file)
			for list, vocab := range map[string]string{
				"relationships": "relationships", "statuses": "patient_statuses", "roles": "guardian_roles",
				"actions": "actions", "documents": "document_kinds",
			} {
				words := setOf(slices.Collect(maps.Keys(messages.Words[list])))
				sameSet(t, fmt.Sprintf("%s words.%s", path.Dir(file), list), words, vocab, vocabulary[vocab])
			}
		}
	})
}

type set[T comparable] map[T]bool

func setOf[T comparable](items []T) set[T] {
	s := set[T]{}
	for _, x := range items {
		s[x] = true
	}
	return s
}

func strs[S ~string](items []S) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = string(s)
	}
	return out
}

// sameSet reports what each of two sets has that the other has not.
func sameSet(t *testing.T, name string, got set[string], wantName string, want set[string]) {
	t.Helper()
	var missing, extra []string
	for v := range want {
		if !got[v] {
			missing = append(missing, v)
		}
	}
	for v := range got {
		if !want[v] {
			extra = append(extra, v)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	assert.Empty(t, missing, "%s lacks what %s has", name, wantName)
	assert.Empty(t, extra, "%s has what %s has not", name, wantName)
}

// regoSet evaluates a set of strings in the engine's policy.
func regoSet(t *testing.T, e *Engine, query string) set[string] {
	t.Helper()
	v, _, err := e.deciding().Query(t.Context(), query, opa.NewObject(), false)
	require.NoError(t, err, query)
	s, ok := v.(opa.Set)
	require.True(t, ok, "%s is %s, not a set", query, opa.ValueName(v))
	out := set[string]{}
	s.Foreach(func(x *opa.Term) {
		str, ok := x.Value.(opa.String)
		require.True(t, ok, "%s holds %v", query, x)
		out[string(str)] = true
	})
	return out
}

// goConstants reads vocabulary.go for the string constants of each type:
// what a developer sees, whatever the functions list.
func goConstants(t *testing.T) map[string]set[string] {
	f, err := parser.ParseFile(token.NewFileSet(), "vocabulary.go", nil, 0)
	require.NoError(t, err)
	out := map[string]set[string]{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			typ, ok := vs.Type.(*ast.Ident)
			if !ok {
				continue
			}
			for _, v := range vs.Values {
				lit, ok := v.(*ast.BasicLit)
				require.True(t, ok && lit.Kind == token.STRING, "%s constant %v is not a string literal", typ.Name, v)
				s, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				if typ.Name == "Action" && s == string(AllActions) {
					continue
				}
				if out[typ.Name] == nil {
					out[typ.Name] = set[string]{}
				}
				out[typ.Name][s] = true
			}
		}
	}
	return out
}

// schemaEnums finds every enum in a JSON Schema, by the request field it
// constrains ("records.documents[].kind"; "if." before a field under an if).
func schemaEnums(t *testing.T, schema []byte) map[string]set[string] {
	var doc any
	require.NoError(t, json.Unmarshal(schema, &doc))
	out := map[string]set[string]{}
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			for key, sub := range v {
				switch key {
				case "enum":
					values := set[string]{}
					for _, x := range sub.([]any) {
						values[fmt.Sprint(x)] = true
					}
					require.NotContains(t, out, at, "two enums at %s", at)
					out[at] = values
				case "properties":
					for name, p := range sub.(map[string]any) {
						walk(p, strings.TrimPrefix(at+"."+name, "."))
					}
				case "items":
					walk(sub, at+"[]")
				case "if":
					walk(sub, at+".if")
				default:
					walk(sub, at)
				}
			}
		case []any:
			for _, sub := range v {
				walk(sub, at)
			}
		}
	}
	walk(doc, "")
	return out
}

// enumsByPointer finds every enum in a JSON Schema, by its JSON pointer.
func enumsByPointer(v any, pointer string) map[string]set[string] {
	out := map[string]set[string]{}
	switch v := v.(type) {
	case map[string]any:
		for key, sub := range v {
			if values, ok := sub.([]any); ok && key == "enum" {
				out[pointer] = set[string]{}
				for _, x := range values {
					out[pointer][fmt.Sprint(x)] = true
				}
				continue
			}
			maps.Copy(out, enumsByPointer(sub, pointer+"/"+key))
		}
	case []any:
		for i, sub := range v {
			maps.Copy(out, enumsByPointer(sub, fmt.Sprintf("%s/%d", pointer, i)))
		}
	}
	return out
}

func overlap(a, b set[string]) []string {
	var out []string
	for v := range a {
		if b[v] {
			out = append(out, v)
		}
	}
	return out
}

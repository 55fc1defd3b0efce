package checkin_test

import (
	"encoding/json"
	"fmt"
	goast "go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/rego"
)

// The rules build notes, never words: each call names a code, a template and
// the template's parameters as an object literal, so the Rego source says
// exactly which templates the policy can ask for and with which parameters.
// These tests hold the source and rego/messages/<language>/data.json to each
// other, both ways, in every shipped language.

// noteKinds are the functions that build a note, by the part of the
// messages file their templates live in.
var noteKinds = map[string]string{
	"reason": "reasons", "condition": "conditions", "remedy": "remedies",
	"obligation": "obligations", "notice": "notices", "why": "explain",
	// The deciding constructors build the reason from their METADATA's code.
	"allow": "reasons", "allow_if": "reasons", "deny": "reasons",
	"phrase": "phrases",
}

// constructors are the definitions of the note builders themselves, whose
// calls pass their own parameters along.
var constructors = map[string]bool{
	"allow": true, "allow_if": true, "deny": true, "deny_with_reason": true, "reason": true, "condition": true, "remedy": true,
	"obligation": true, "notice": true, "why": true, "phrase": true,
}

// A templateUse is one call in the Rego source that asks for a template.
type templateUse struct {
	kind, code, template string // code is "" for phrases
	params               []string
	at                   string // file:row
}

func (u templateUse) key() string {
	if u.kind == "phrases" {
		return "phrases/" + u.template
	}
	return u.kind + "/" + u.code + "/" + u.template
}

// policyModules parses the policy's Rego (tests left out), METADATA attached.
func policyModules(t testing.TB) map[string]*ast.Module {
	t.Helper()
	modules := map[string]*ast.Module{}
	err := fs.WalkDir(rego.FS(), "checkin", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".rego" || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		bs, err := fs.ReadFile(rego.FS(), p)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(p, string(bs), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			return err
		}
		modules[p] = m
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, modules)
	return modules
}

// ruleCode is the custom.code of a rule definition's METADATA, if it has one.
func ruleCode(r *ast.Rule) string {
	for _, a := range r.Annotations {
		if code, ok := a.Custom["code"].(string); ok {
			return code
		}
	}
	return ""
}

// templateUses finds every call that asks for a template, and reports the
// calls that do not say which template or parameters in the source.
func templateUses(t *testing.T, modules map[string]*ast.Module) []templateUse {
	t.Helper()
	var uses []templateUse
	for _, file := range slices.Sorted(maps.Keys(modules)) {
		for _, rule := range modules[file].Rules {
			if constructors[rule.Head.Name.String()] && file == "checkin/rulings.rego" {
				continue
			}
			code := ruleCode(rule)
			for branch := rule; branch != nil; branch = branch.Else {
				visit := func(term *ast.Term) bool {
					call, ok := term.Value.(ast.Call)
					if !ok {
						return false
					}
					name := call[0].Value.String()
					if name == "deny_with_reason" {
						checkDecidingCall(t, call, file, term, branch != rule, code, rule)
						return false // its reason(...) is a template use of its own
					}
					kind, ok := noteKinds[name]
					if !ok {
						return false
					}
					at := fmt.Sprintf("%s:%d", file, term.Location.Row)
					args := call[1:]
					u := templateUse{kind: kind, at: at}
					var paramsArg *ast.Term
					switch name {
					case "phrase":
						u.template, paramsArg = literal(args[0]), args[1]
					case "allow", "allow_if", "deny":
						checkDecidingCall(t, call, file, term, branch != rule, code, rule)
						u.code, u.template, paramsArg = code, literal(args[1]), args[2]
					default:
						u.code, u.template, paramsArg = literal(args[0]), literal(args[1]), args[2]
					}
					obj, ok := paramsArg.Value.(ast.Object)
					if u.code == "" && u.kind != "phrases" || u.template == "" || !ok {
						t.Errorf("%s: %s(%v) must name its code and template as strings and its parameters as an object",
							at, name, args)
						return false
					}
					u.params = []string{}
					for _, k := range obj.Keys() {
						u.params = append(u.params, literal(k))
					}
					sort.Strings(u.params)
					uses = append(uses, u)
					return false
				}
				// A branch's own head and body: its else branch is the next one.
				ast.WalkTerms(branch.Head, visit)
				ast.WalkTerms(branch.Body, visit)
			}
		}
	}
	require.NotEmpty(t, uses)
	return uses
}

// checkDecidingCall holds a call that builds a ruling to its definition's
// METADATA: it passes rego.metadata.rule(), outside any else branch, in a
// definition whose METADATA names the code.
func checkDecidingCall(t *testing.T, call ast.Call, file string, term *ast.Term, inElse bool, code string, rule *ast.Rule) {
	t.Helper()
	at := fmt.Sprintf("%s:%d", file, term.Location.Row)
	if call[1].String() != "rego.metadata.rule()" {
		t.Errorf("%s: %v takes rego.metadata.rule(), not %v", at, call[0], call[1])
	}
	if inElse {
		t.Errorf("%s: %v in an else branch of %s: a deciding definition needs its own METADATA", at, call[0], rule.Head.Name)
	}
	if code == "" {
		t.Errorf("%s: %v's definition %s has no METADATA with custom.code", at, call[0], rule.Head.Name)
	}
}

func literal(t *ast.Term) string {
	if s, ok := t.Value.(ast.String); ok {
		return string(s)
	}
	return ""
}

// shippedMessages reads every language's messages file.
func shippedMessages(t testing.TB) map[string]map[string]any {
	t.Helper()
	dirs, err := fs.ReadDir(rego.FS(), "messages")
	require.NoError(t, err)
	languages := map[string]map[string]any{}
	for _, d := range dirs {
		bs, err := fs.ReadFile(rego.FS(), path.Join("messages", d.Name(), "data.json"))
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(bs, &m), d.Name())
		languages[d.Name()] = m
	}
	require.Contains(t, languages, "en")
	return languages
}

// templates flattens a messages file to "kind/code/template" (or
// "phrases/name") keys.
func templates(m map[string]any) map[string]string {
	out := map[string]string{}
	for kind, codes := range m {
		codes, _ := codes.(map[string]any)
		if kind == "words" {
			continue
		}
		for code, v := range codes {
			if s, ok := v.(string); ok && kind == "phrases" {
				out["phrases/"+code] = s
				continue
			}
			variants, _ := v.(map[string]any)
			for name, text := range variants {
				s, _ := text.(string)
				out[kind+"/"+code+"/"+name] = s
			}
		}
	}
	return out
}

var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

func placeholders(template string) []string {
	var names []string
	for _, m := range placeholder.FindAllStringSubmatch(template, -1) {
		if !slices.Contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	sort.Strings(names)
	return names
}

func TestEveryMessageTheRulesAskForHasTemplatesInEveryLanguage(t *testing.T) {
	t.Parallel()
	uses := templateUses(t, policyModules(t))
	used := map[string]bool{}
	for _, u := range uses {
		used[u.key()] = true
	}
	for lang, m := range shippedMessages(t) {
		shipped := templates(m)
		for _, u := range uses {
			text, ok := shipped[u.key()]
			if !assert.True(t, ok, "%s: %s asks for %s, which messages/%s lacks", u.at, u.kind, u.key(), lang) {
				continue
			}
			assert.Equal(t, u.params, nonNil(placeholders(text)),
				"%s: the parameters %s supplies are not the placeholders of %s in %s: %q", u.at, u.key(), u.key(), lang, text)
		}
		for key := range shipped {
			assert.True(t, used[key], "messages/%s has %s, which no rule asks for", lang, key)
		}
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Every language words every value of the vocabulary the messages name, and
// an action's words take the patient and nothing else.
func TestEveryLanguageHasTheSameWords(t *testing.T) {
	t.Parallel()
	languages := shippedMessages(t)
	english := languages["en"]["words"].(map[string]any)
	for lang, m := range languages {
		words, ok := m["words"].(map[string]any)
		require.True(t, ok, "messages/%s has no words", lang)
		require.ElementsMatch(t, slices.Collect(maps.Keys(english)), slices.Collect(maps.Keys(words)), lang)
		for list, values := range words {
			values := values.(map[string]any)
			assert.ElementsMatch(t, slices.Collect(maps.Keys(english[list].(map[string]any))), slices.Collect(maps.Keys(values)),
				"messages/%s words.%s", lang, list)
			for value, w := range values {
				want := []string{}
				if list == "actions" {
					want = []string{"patient"}
				}
				assert.Equal(t, want, nonNil(placeholders(w.(string))), "messages/%s words.%s.%s: %q", lang, list, value, w)
			}
		}
	}
}

// The Go constants of type Code are exactly the codes the policy's rules
// can produce: each rule's METADATA code and every note's code.
func TestCodeConstantsAreThePolicysCodes(t *testing.T) {
	t.Parallel()
	modules := policyModules(t)
	fromRego := map[string]bool{}
	for _, u := range templateUses(t, modules) {
		if u.kind != "phrases" && u.kind != "explain" {
			fromRego[u.code] = true
		}
	}
	for _, m := range modules {
		for _, rule := range m.Rules {
			if code := ruleCode(rule); code != "" {
				fromRego[code] = true
			}
		}
	}
	fromGo := codeConstants(t)
	assert.ElementsMatch(t, slices.Sorted(maps.Keys(fromRego)), slices.Sorted(maps.Keys(fromGo)),
		"codes the Rego produces (first) and the Code constants in codes.go (second)")
}

// codeConstants reads the values of the Code constants from codes.go.
func codeConstants(t *testing.T) map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "codes.go", nil, 0)
	require.NoError(t, err)
	codes := map[string]bool{}
	for _, decl := range f.Decls {
		gd, ok := decl.(*goast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*goast.ValueSpec)
			if id, ok := vs.Type.(*goast.Ident); !ok || id.Name != "Code" {
				continue
			}
			for _, v := range vs.Values {
				lit, ok := v.(*goast.BasicLit)
				require.True(t, ok, "Code constants are string literals")
				s, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				codes[s] = true
			}
		}
	}
	require.NotEmpty(t, codes)
	return codes
}

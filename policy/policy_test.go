package policy_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/policy"
)

func source(name string, files map[string]string) policy.Source {
	fsys := fstest.MapFS{}
	for path, content := range files {
		fsys[path] = &fstest.MapFile{Data: []byte(content)}
	}
	return policy.Source{Name: name, FS: fsys}
}

var base = source("base", map[string]string{
	"app/rules.rego":       "package app\n\nanswer := data.profiles[input.profile].greeting\n",
	"profiles/a/data.json": `{"greeting": "hello", "extra": 1}`,
	"profiles/b/data.json": `{"greeting": "hi"}`,
	"app/rules_test.rego":  "package app_test\n\ntest_a if data.app.answer == \"hello\" with input as {\"profile\": \"a\"}\n\ntest_fails if data.app.answer == \"nope\" with input as {\"profile\": \"a\"}\n",
	"notes/README.md":      "not part of the policy",
	"scenarios/cases.json": `["not data: only data.json files are"]`,
})

func eval(t *testing.T, p *policy.Policy, profile string) ast.Value {
	t.Helper()
	v, err := p.Eval(t.Context(), ast.NewObject(ast.Item(ast.StringTerm("profile"), ast.StringTerm(profile))))
	require.NoError(t, err)
	return v
}

func TestLoadAndEval(t *testing.T) {
	p, err := policy.Load(t.Context(), policy.Options{Query: "data.app.answer"}, base)
	require.NoError(t, err)
	assert.Equal(t, ast.String("hello"), eval(t, p, "a"))
	assert.Len(t, p.Revision(), 16)

	_, err = p.Eval(t.Context(), ast.NewObject(ast.Item(ast.StringTerm("profile"), ast.StringTerm("z"))))
	assert.ErrorIs(t, err, policy.ErrUndefined)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = p.Eval(ctx, ast.NewObject())
	assert.ErrorIs(t, err, context.Canceled)
}

func TestLaterLayerReplacesDocuments(t *testing.T) {
	overlay := source("overlay", map[string]string{
		"profiles/a/data.json": `{"greeting": "good morning"}`,
		"profiles/c/data.json": `{"greeting": "hey"}`,
	})
	p, err := policy.Load(t.Context(), policy.Options{Query: "data.app.answer"}, base, overlay)
	require.NoError(t, err)
	assert.Equal(t, ast.String("good morning"), eval(t, p, "a"))
	assert.Equal(t, ast.String("hi"), eval(t, p, "b"))
	assert.Equal(t, ast.String("hey"), eval(t, p, "c"))
	assert.NotContains(t, p.Data()["profiles"].(map[string]any)["a"], "extra", "a document replaces, it does not patch")

	alone, err := policy.Load(t.Context(), policy.Options{Query: "data.app.answer"}, base)
	require.NoError(t, err)
	assert.NotEqual(t, alone.Revision(), p.Revision())
}

func TestLoadErrorsNameFileAndLine(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  policy.Problem
	}{
		{"syntax", map[string]string{"x/bad.rego": "package x\n\nallow if {\n  input.a ==\n"},
			policy.Problem{File: "broken/x/bad.rego", Line: 5, Code: "rego_parse_error"}},
		{"unsafe", map[string]string{"x/bad.rego": "package x\n\nallow if y > 1\n"},
			policy.Problem{File: "broken/x/bad.rego", Line: 3, Code: "rego_unsafe_var_error"}},
		{"strict", map[string]string{"x/bad.rego": "package x\n\nallow if {\n\tx := 1\n\tinput.a\n}\n"},
			policy.Problem{File: "broken/x/bad.rego", Line: 4, Code: "rego_compile_error"}},
		{"network", map[string]string{"x/bad.rego": "package x\n\nallow if http.send({\"method\": \"get\", \"url\": \"http://x\"})\n"},
			policy.Problem{File: "broken/x/bad.rego", Line: 3, Code: "rego_type_error"}},
		{"clock", map[string]string{"x/bad.rego": "package x\n\nallow if time.now_ns() > 0\n"},
			policy.Problem{File: "broken/x/bad.rego", Line: 3, Code: "rego_type_error"}},
		{"conflict", map[string]string{"x/a.rego": "package x\n\nallow contains 1\n", "x/b.rego": "package x\n\nallow := false\n"},
			policy.Problem{File: "broken/x/a.rego", Line: 3, Code: "rego_type_error"}},
		{"bad data", map[string]string{"d/data.json": "{not json"},
			policy.Problem{File: "broken/d/data.json", Line: 1, Code: "policy_data_error"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Load(t.Context(), policy.Options{Query: "data.x.allow"}, source("broken", tc.files))
			var loadErr *policy.LoadError
			require.ErrorAs(t, err, &loadErr)
			got := loadErr.Problems[0]
			assert.Equal(t, tc.want.File, got.File)
			assert.Equal(t, tc.want.Line, got.Line)
			assert.Equal(t, tc.want.Code, got.Code)
			assert.NotEmpty(t, got.Message)
		})
	}
}

func TestRunsRegoTests(t *testing.T) {
	p, err := policy.Load(t.Context(), policy.Options{Query: "data.app.answer"}, base)
	require.NoError(t, err)
	results, err := p.Test(t.Context())
	require.NoError(t, err)
	require.Len(t, results, 2)
	byName := map[string]policy.TestResult{}
	for _, r := range results {
		byName[r.Name] = r
	}
	assert.True(t, byName["test_a"].Pass)
	assert.False(t, byName["test_fails"].Pass)
	assert.Equal(t, "base/app/rules_test.rego", byName["test_fails"].File)
	assert.Equal(t, 5, byName["test_fails"].Line)
}

// RulesReached follows OPA's graph as the policy was compiled: through
// functions, else branches and refs with a computed key, and not into rules
// nothing reaches, even where a local variable shadows another.
func TestRulesReached(t *testing.T) {
	src := source("base", map[string]string{"app/rules.rego": `package app

answer := f(input.x) if input.y else := picked

f(x) := x + 1

picked := [v | some name in ["b"]; v := data.app.pick[name]]

pick.a := 1

pick.b := 2 if shadow

shadow if {
	name := "unused"
	name != ""
}

unreached := input.at
`})
	p, err := policy.Load(t.Context(), policy.Options{Query: "data.app.answer"}, src)
	require.NoError(t, err)
	var names []string
	for _, r := range p.RulesReached(ast.MustParseRef("data.app.answer")) {
		names = append(names, r.Path().String())
	}
	assert.ElementsMatch(t, []string{
		"data.app.answer", "data.app.answer", "data.app.f", "data.app.picked",
		"data.app.pick.a", "data.app.pick.b", "data.app.shadow",
	}, names)
}

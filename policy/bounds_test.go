package policy_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/policy"
)

var bounds = &policy.Bounds{
	Packages:     []string{"ext"},
	TestPackages: []string{"ext", "ext_test"},
	Data:         []string{"profiles/*/data.json"},
	Files:        []string{"scenarios/**/*.json", "**/*.md"},
	MaxEntries:   12,
	MaxFileBytes: 64,
	MaxBytes:     200,
}

func loadBounded(t *testing.T, layers ...policy.Source) (*policy.Policy, error) {
	t.Helper()
	return policy.Load(t.Context(), policy.Options{Query: "data.app.answer", Overlay: bounds}, layers...)
}

func firstProblem(t *testing.T, err error) policy.Problem {
	t.Helper()
	var loadErr *policy.LoadError
	require.ErrorAs(t, err, &loadErr)
	require.NotEmpty(t, loadErr.Problems)
	return loadErr.Problems[0]
}

func TestBoundsOfALayer(t *testing.T) {
	for _, tc := range []struct {
		name, file, content string
		want                policy.Problem
	}{
		{"another package", "x.rego", "package app\n\nanswer := 1\n", policy.Problem{Line: 1, Code: "policy_package_error"}},
		{"a subpackage", "x.rego", "package ext.sub\n\nanswer := 1\n", policy.Problem{Line: 1, Code: "policy_package_error"}},
		{"a test elsewhere", "x_test.rego", "package app_test\n\ntest_x if true\n",
			policy.Problem{Line: 1, Code: "policy_package_error"}},
		{"data at the root", "data.json", `{"profiles": {}}`, policy.Problem{Code: "policy_file_error"}},
		{"data elsewhere", "app/data.json", `{}`, policy.Problem{Code: "policy_file_error"}},
		{"data too deep", "profiles/a/b/data.json", `{}`, policy.Problem{Code: "policy_file_error"}},
		{"yaml", "profiles/a/data.yaml", "greeting: x\n", policy.Problem{Code: "policy_file_error"}},
		{"a stray file", "run.sh", "#!/bin/sh\n", policy.Problem{Code: "policy_file_error"}},
		{"a big file", "profiles/a/data.json", `{"greeting": "` + strings.Repeat("x", 64) + `"}`,
			policy.Problem{Code: "policy_limit_error"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadBounded(t, base, source("over", map[string]string{tc.file: tc.content}))
			got := firstProblem(t, err)
			assert.Equal(t, "over/"+tc.file, got.File, got.String())
			assert.Equal(t, tc.want.Line, got.Line, got.String())
			assert.Equal(t, tc.want.Code, got.Code, got.String())
		})
	}
}

func TestBoundsAllow(t *testing.T) {
	p, err := loadBounded(t, base, source("over", map[string]string{
		"ext/x.rego":           "package ext\n\nlevel := 1\n",
		"ext/x_test.rego":      "package ext_test\n\ntest_level if data.ext.level == 1\n",
		"profiles/a/data.json": `{"greeting": "hey"}`,
		"scenarios/a/b.json":   `[]`,
		"README.md":            "notes",
		".hidden":              "never read",
	}))
	require.NoError(t, err)
	assert.Equal(t, ast.String("hey"), eval(t, p, "a"))

	read, err := fs.ReadFile(p.LayerFS(1), "scenarios/a/b.json")
	require.NoError(t, err)
	assert.Equal(t, "[]", string(read))
	_, err = fs.Stat(p.LayerFS(1), ".hidden")
	assert.ErrorIs(t, err, fs.ErrNotExist, "a skipped file is not in the layer as read")
}

func TestBoundsCountAndTotal(t *testing.T) {
	many := map[string]string{}
	for _, name := range strings.Fields("a b c d e f g h i j k l") {
		many["notes/"+name+".md"] = "x"
	}
	got := firstProblem(t, func() error { _, err := loadBounded(t, base, source("over", many)); return err }())
	assert.Equal(t, "policy_limit_error", got.Code, got.String())

	big := map[string]string{}
	for _, name := range strings.Fields("a b c d") {
		big[name+".md"] = strings.Repeat("x", 60)
	}
	got = firstProblem(t, func() error { _, err := loadBounded(t, base, source("over", big)); return err }())
	assert.Equal(t, "over/d.md", got.File, got.String())
	assert.Equal(t, "policy_limit_error", got.Code)
}

func TestStrictJSON(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		line          int
		contains      string
	}{
		{"trailing comma", "{\n\"greeting\": \"x\",\n}\n", 3, "invalid character '}'"},
		{"comment", "{\n// hi\n\"greeting\": \"x\"}", 2, "invalid character '/'"},
		{"duplicate key", "{\n\"greeting\": \"x\",\n\"greeting\": \"y\"\n}", 3, `key "greeting" appears twice`},
		{"nested duplicate", "{\"a\": {\"b\": 1,\n \"b\": 2}}", 2, `key "b" appears twice`},
		{"two values", "{}\n{}", 2, "more after the value"},
		{"truncated", "{\"a\": [1,", 1, ""},
		{"empty", "", 1, ""},
		{"deep", strings.Repeat("[", 40) + strings.Repeat("]", 40), 1, "nest deeper"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Load(t.Context(), policy.Options{Query: "data.app.answer"},
				source("d", map[string]string{"profiles/a/data.json": tc.content}))
			got := firstProblem(t, err)
			assert.Equal(t, "d/profiles/a/data.json", got.File)
			assert.Equal(t, "policy_data_error", got.Code)
			assert.Equal(t, tc.line, got.Line, got.String())
			assert.Contains(t, got.Message, tc.contains)
		})
	}
}

func TestLinks(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(root, "secret")
	require.NoError(t, os.WriteFile(outside, []byte(`{"greeting": "stolen"}`), 0o600))
	dir := filepath.Join(root, "over")
	write := func(name, content string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600))
	}
	write("shared/greeting.json", `{"greeting": "shared"}`)
	link := func(target, name string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.Symlink(target, filepath.Join(dir, name)))
	}
	for _, tc := range []struct{ name, target, file, want string }{
		{"absolute", outside, "profiles/a/data.json", "outside the folder"},
		{"relative", "../../../secret", "profiles/a/data.json", "outside the folder"},
		{"through a linked folder", "../../up/secret", "profiles/a/data.json", "through the linked folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, os.RemoveAll(dir))
			link(root, "up")
			link(tc.target, tc.file)
			_, err := loadBounded(t, base, policy.Dir(dir))
			var loadErr *policy.LoadError
			require.ErrorAs(t, err, &loadErr)
			assert.Contains(t, loadErr.Problems, policy.Problem{File: dir + "/up", Code: "policy_file_error",
				Message: "is not a file an overlay may hold (*.rego, the data files, scenarios/**/*.json, **/*.md)"})
			var got policy.Problem
			for _, p := range loadErr.Problems {
				if p.File == dir+"/"+tc.file {
					got = p
				}
			}
			assert.Equal(t, "policy_link_error", got.Code, loadErr.Error())
			assert.Contains(t, got.Message, tc.want)
		})
	}
	t.Run("inside", func(t *testing.T) {
		require.NoError(t, os.RemoveAll(dir))
		write("notes/greeting.md", `{"greeting": "shared"}`)
		link("../../notes/greeting.md", "profiles/a/data.json")
		p, err := loadBounded(t, base, policy.Dir(dir))
		require.NoError(t, err)
		assert.Equal(t, ast.String("shared"), eval(t, p, "a"))
	})
}

func TestLayersAreApartByPosition(t *testing.T) {
	over := source("base", map[string]string{"app/rules.rego": "package app\n\nanswer := \"replaced\"\n"})
	_, err := policy.Load(t.Context(), policy.Options{Query: "data.app.answer"}, base, over)
	got := firstProblem(t, err)
	assert.Equal(t, "base[1]/app/rules.rego", got.File, "a layer of the same name replaces nothing: %s", got)

	nested := source("base/app", map[string]string{"rules.rego": "package app\n\nanswer := \"replaced\"\n"})
	_, err = policy.Load(t.Context(), policy.Options{Query: "data.app.answer"}, base, nested)
	got = firstProblem(t, err)
	assert.Equal(t, "base/app[1]/rules.rego", got.File, got.String())
}

func TestMergeAndDerive(t *testing.T) {
	over := source("over", map[string]string{"profiles/a/data.json": `{"greeting": "hey"}`})
	var seen []policy.Document
	opts := policy.Options{
		Query: "data.app.answer",
		Merge: []policy.Merge{{Path: "profiles/*", Depth: 1}},
		Derive: func(docs []policy.Document) (map[string]any, []policy.Problem) {
			seen = docs
			return map[string]any{"derived": map[string]any{"n": len(docs)}}, nil
		},
	}
	p, err := policy.Load(t.Context(), opts, base, over)
	require.NoError(t, err)
	a := p.Data()["profiles"].(map[string]any)["a"].(map[string]any)
	assert.Equal(t, "hey", a["greeting"])
	assert.Contains(t, a, "extra", "an amendment keeps what it does not set")
	last := seen[len(seen)-1]
	assert.Equal(t, 1, last.Layer)
	assert.Equal(t, "over", last.Source)
	assert.Equal(t, map[string]any{"greeting": "hello", "extra": json.Number("1")}, last.Before)
	assert.NotNil(t, p.Data()["derived"])

	taken := source("over", map[string]string{"derived/data.json": `{}`})
	_, err = policy.Load(t.Context(), opts, base, taken)
	assert.Contains(t, firstProblem(t, err).Message, "data.derived is the policy's own")
}

func TestFingerprintTellsLayersApart(t *testing.T) {
	files := fstest.MapFS{"a.rego": {Data: []byte("package a\n")}}
	one, err := policy.Fingerprint(policy.Source{Name: "x", FS: files}, policy.Source{Name: "y", FS: fstest.MapFS{}})
	require.NoError(t, err)
	two, err := policy.Fingerprint(policy.Source{Name: "x", FS: fstest.MapFS{}}, policy.Source{Name: "y", FS: files})
	require.NoError(t, err)
	assert.NotEqual(t, one, two)
}

package rego_test

import (
	"io/fs"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/policy"
	"github.com/frontdesk-policy/frontdesk/rego"
)

// The default policy's Rego tests, as `opa test rego/` runs them.
func TestRegoTests(t *testing.T) {
	p, err := policy.Load(t.Context(), policy.Options{Query: "data.checkin.decision"}, policy.Source{Name: "rego", FS: rego.FS()})
	require.NoError(t, err)
	results, err := p.Test(t.Context())
	require.NoError(t, err)
	require.NotEmpty(t, results, "the default policy has Rego tests")
	for _, r := range results {
		t.Run(r.Package+"."+r.Name, func(t *testing.T) {
			if !r.Pass {
				t.Errorf("%s:%d: %s\n%s", r.File, r.Line, r.Message, r.Output)
			}
		})
	}
}

// Every Rego file is as `opa fmt` writes it.
func TestRegoIsFormatted(t *testing.T) {
	err := fs.WalkDir(rego.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, ".rego") {
			return err
		}
		src, err := fs.ReadFile(rego.FS(), name)
		require.NoError(t, err)
		formatted, err := format.SourceWithOpts(name, src, format.Opts{RegoVersion: ast.RegoV1})
		require.NoError(t, err, name)
		assert.Equal(t, string(formatted), string(src), "%s is not formatted: run go tool opa fmt --write rego/", name)
		return nil
	})
	require.NoError(t, err)
}

// No Rego line is longer than 120 characters, a tab counting as one.
func TestRegoLinesFitIn120(t *testing.T) {
	const limit = 120
	err := fs.WalkDir(rego.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, ".rego") {
			return err
		}
		src, err := fs.ReadFile(rego.FS(), name)
		require.NoError(t, err)
		for i, line := range strings.Split(string(src), "\n") {
			if n := utf8.RuneCountInString(line); n > limit {
				t.Errorf("%s:%d: %d characters, more than %d", name, i+1, n, limit)
			}
		}
		return nil
	})
	require.NoError(t, err)
}

package policy_test

import (
	"context"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/policy"
)

// graded is a policy whose cost can be counted by hand: a rule with two else
// branches, a function, and a set defined in two places of another file.
var graded = source("base", map[string]string{
	"app/grade.rego": `package app

decision := {"grade": grade, "greeting": greet(input.name), "notes": notes}

grade := "high" if {
	input.score >= 90
} else := "mid" if {
	input.score >= 50
} else := "low"

greet(name) := msg if {
	msg := sprintf("hello, %s", [name])
}
`,
	"app/notes.rego": `package app

notes contains "top" if input.score >= 90

notes contains "retake" if {
	input.score < 50
}
`,
})

func scored(score int) ast.Value {
	return ast.NewObject(
		ast.Item(ast.StringTerm("score"), ast.IntNumberTerm(score)),
		ast.Item(ast.StringTerm("name"), ast.StringTerm("Ana")))
}

// The counts below follow OPA's trace (opa eval --explain full): the
// compiler splits input.score >= 90 into __local__ = input.score and
// gte(__local__, 90), and the head of decision into five expressions: the
// name, the call of greet, grade, notes and the object. Every expression
// that succeeds is evaluated once and redone once; one that fails, only
// evaluated.
func TestProfileCountsBodiesAndExpressionsByRule(t *testing.T) {
	p, err := policy.Load(t.Context(), policy.Options{Query: "data.app.decision"}, graded)
	require.NoError(t, err)

	type cost struct {
		rule, file  string
		line        int
		bodies, exs int
	}
	costs := func(prof policy.Profile) []cost {
		var out []cost
		for _, r := range prof.Rules {
			assert.GreaterOrEqual(t, r.Time, time.Duration(0))
			out = append(out, cost{r.Rule, r.File, r.Line, r.Bodies, r.Expressions})
		}
		return out
	}

	// 95: grade's first body holds (2 expressions, 2 redos); the first
	// notes rule holds (4) and the second fails at its comparison (3).
	prof, err := p.Profile(t.Context(), []ast.Value{scored(95)})
	require.NoError(t, err)
	assert.Equal(t, 1, prof.Evaluations)
	assert.Equal(t, 5, prof.RuleBodies)
	assert.Equal(t, 27, prof.Expressions, "the rules' 25 and the query's 2")
	assert.Equal(t, []cost{
		{"data.app.decision", "base/app/grade.rego", 3, 1, 10},
		{"data.app.notes", "base/app/notes.rego", 3, 2, 7},
		{"data.app.grade", "base/app/grade.rego", 5, 1, 4},
		{"data.app.greet", "base/app/grade.rego", 11, 1, 4},
	}, costs(prof))

	// 10: both conditions of grade fail (3 each), and its last else, with
	// no body but true, holds (2): three bodies of grade, all counted under
	// its name and first line, though the branches start on lines 7 and 9.
	prof, err = p.Profile(t.Context(), []ast.Value{scored(10)})
	require.NoError(t, err)
	assert.Equal(t, 7, prof.RuleBodies)
	assert.Equal(t, 31, prof.Expressions)
	assert.Equal(t, []cost{
		{"data.app.decision", "base/app/grade.rego", 3, 1, 10},
		{"data.app.grade", "base/app/grade.rego", 5, 3, 8},
		{"data.app.notes", "base/app/notes.rego", 3, 2, 7},
		{"data.app.greet", "base/app/grade.rego", 11, 1, 4},
	}, costs(prof))

	// 70: grade's first body fails (3) and its first else holds (4);
	// both notes rules fail (3 each). The counts of inputs add up.
	prof, err = p.Profile(t.Context(), []ast.Value{scored(95), scored(70), scored(10)})
	require.NoError(t, err)
	assert.Equal(t, 3, prof.Evaluations)
	assert.Equal(t, 5+6+7, prof.RuleBodies)
	assert.Equal(t, 27+29+31, prof.Expressions)
	assert.Equal(t, 6.0, prof.PerEvaluation(prof.RuleBodies))
	assert.Equal(t, []cost{
		{"data.app.decision", "base/app/grade.rego", 3, 3, 30},
		{"data.app.notes", "base/app/notes.rego", 3, 6, 20},
		{"data.app.grade", "base/app/grade.rego", 5, 6, 19},
		{"data.app.greet", "base/app/grade.rego", 11, 3, 12},
	}, costs(prof))
}

func TestProfileErrors(t *testing.T) {
	p, err := policy.Load(t.Context(), policy.Options{Query: "data.app.grade"}, source("base", map[string]string{
		"app/grade.rego": "package app\n\ngrade := \"pass\" if input.score >= 50\n",
	}))
	require.NoError(t, err)
	_, err = p.Profile(t.Context(), []ast.Value{scored(95), scored(10)})
	assert.ErrorIs(t, err, policy.ErrUndefined)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = p.Profile(ctx, []ast.Value{scored(95)})
	assert.ErrorIs(t, err, context.Canceled)

	prof, err := p.Profile(t.Context(), nil)
	require.NoError(t, err)
	assert.Zero(t, prof.PerEvaluation(prof.RuleBodies))
}

package checkin

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	orego "github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/util"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An attack is a bad request and the field its problem must name.
type attack struct {
	Name  string `json:"name"`
	Why   string `json:"why"`
	Field string `json:"field"`
	// Request is the request as an object, or as a string of raw JSON text
	// for what parsing would hide (keys given twice, broken JSON).
	Request json.RawMessage `json:"request"`
	// What the policy, or the JSON Schema, cannot be shown, and why.
	RegoCannotSee   string `json:"rego_cannot_see"`
	SchemaCannotSay string `json:"schema_cannot_say"`
	// RegoGap is a known way the policy fails on the attack without
	// deciding it; the test fails once the policy answers invalid.
	RegoGap string `json:"rego_gap"`
}

// Every attack in testdata/requests is invalid, wherever a request can
// enter: ParseRequest and Decide, the policy's data.checkin.decision, and
// the published JSON Schema. Each names the field, and nothing is decided.
func TestAttacksAreInvalidEverywhere(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/requests/attacks.json")
	require.NoError(t, err)
	var corpus struct {
		Base  json.RawMessage `json:"base"`
		Cases []attack        `json:"cases"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&corpus))
	require.GreaterOrEqual(t, len(corpus.Cases), 60)

	e, err := New(t.Context())
	require.NoError(t, err)
	matchesSchema := SchemaMatcher(t)

	// The base the attacks vary is valid, and allowed something: each attack
	// is what turns it invalid.
	base, err := ParseRequest(corpus.Base)
	require.NoError(t, err)
	d, err := e.Decide(t.Context(), base)
	require.NoError(t, err)
	require.Equal(t, Allow, d.Actions[ConsentSick].Verdict)
	require.True(t, matchesSchema(t, corpus.Base))

	names := map[string]bool{}
	for _, c := range corpus.Cases {
		require.False(t, names[c.Name], "two attacks named %q", c.Name)
		names[c.Name] = true
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			text := []byte(c.Request)
			var s string
			if json.Unmarshal(c.Request, &s) == nil {
				text = []byte(s)
			}

			req, err := ParseRequest(text)
			var d Decision
			if err == nil {
				d, err = e.Decide(context.Background(), req)
			}
			var invalid *ValidationError
			require.ErrorAs(t, err, &invalid, "%s", text)
			assert.Empty(t, d.Actions, "nothing is decided on invalid input")
			goFields := fieldsOf(invalid)
			assert.Contains(t, goFields, c.Field, "Go: %v", invalid)
			for _, p := range invalid.Problems {
				assert.NotEmpty(t, p.Problem)
			}

			if c.SchemaCannotSay == "" {
				assert.False(t, matchesSchema(t, text), "the schema accepts it")
			}
			if c.RegoCannotSee == "" {
				var doc any
				require.NoError(t, util.UnmarshalJSON(text, &doc))
				input, err := ast.InterfaceToValue(doc)
				require.NoError(t, err)
				out, _, err := e.deciding().Query(context.Background(), "data.checkin.decision", input, false)
				if c.RegoGap != "" {
					require.Error(t, err, "the policy now decides it: remove rego_gap")
					t.Logf("known gap: %s", c.RegoGap)
					return
				}
				require.NoError(t, err, "the policy fails on it")
				decision := out.(ast.Object)
				assert.Equal(t, ast.String(Invalid), decision.Get(ast.StringTerm("outcome")).Value)
				assert.Equal(t, 0, decision.Get(ast.StringTerm("actions")).Value.(ast.Object).Len(), "the policy decided")
				assert.Equal(t, goFields, regoFields(t, e, input), "Go and Rego name different fields")
			}
		})
	}
}

// SchemaMatcher says whether JSON text matches the published schema, the
// one the engine types the policy with. Exported for the package's external
// tests too.
func SchemaMatcher(t *testing.T) func(*testing.T, []byte) bool {
	pq, err := orego.New(orego.Query("[ok, _] := json.match_schema(input, data.schema)"),
		orego.Store(inmem.NewFromObject(map[string]any{"schema": inputSchema}))).PrepareForEval(t.Context())
	require.NoError(t, err)
	return func(t *testing.T, text []byte) bool {
		// A string is read as the JSON text of the document to match.
		rs, err := pq.Eval(context.Background(), orego.EvalInput(string(text)))
		require.NoError(t, err)
		require.Len(t, rs, 1, "the schema check failed on %s", text)
		return rs[0].Bindings["ok"].(bool)
	}
}

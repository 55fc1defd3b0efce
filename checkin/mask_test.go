package checkin_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	policyfiles "github.com/frontdesk-policy/frontdesk/rego"
)

// The decision-log mask (rego/system/log/mask.rego) and the redacting
// recorder (checkin.Redact) follow the same rules: on every decision of the
// scenario corpus, the mask leaves a redacted record's event as it is, and
// on the raw event it puts the recorder's own placeholders in the name
// fields and its own birth date, and leaves no other text that holds a name.
func TestDecisionLogMaskMatchesRedact(t *testing.T) {
	t.Parallel()
	src, err := fs.ReadFile(policyfiles.FS(), "system/log/mask.rego")
	require.NoError(t, err)
	mask, err := rego.New(rego.Query("data.system.log.mask"), rego.Module("mask.rego", string(src))).PrepareForEval(t.Context())
	require.NoError(t, err)
	masks := func(rec checkin.Record) map[string]any {
		var event map[string]any
		require.NoError(t, json.Unmarshal([]byte(fmt.Sprintf(`{"input": %s, "result": %s}`,
			mustJSON(t, rec.Request), mustJSON(t, rec.Decision))), &event))
		rs, err := mask.Eval(t.Context(), rego.EvalInput(event))
		require.NoError(t, err)
		require.Len(t, rs, 1)
		ops := map[string]any{}
		for _, op := range rs[0].Expressions[0].Value.([]any) {
			o := op.(map[string]any)
			require.Equal(t, "upsert", o["op"])
			ops[o["path"].(string)] = o["value"]
		}
		return ops
	}

	e := engine(t)
	reqs, _ := corpus(t)
	for i, req := range reqs {
		d, err := e.Decide(t.Context(), req)
		require.NoError(t, err)
		raw := checkin.Record{ID: fmt.Sprint(i), Request: req, Decision: d}
		redacted := checkin.Redact(raw)
		assert.Empty(t, masks(redacted), "request %d: the mask changes what Redact wrote", i)

		ops := masks(raw)
		want := map[string]string{"/input/patient/birth_date": redacted.Request.Patient.BirthDate}
		if req.Patient.Name != "" {
			want["/input/patient/name"] = redacted.Request.Patient.Name
		}
		if req.Companion.Name != "" {
			want["/input/companion/name"] = redacted.Request.Companion.Name
		}
		for n, g := range req.Records.Guardians {
			if g.Name != "" {
				want[fmt.Sprintf("/input/records/guardians/%d/name", n)] = redacted.Request.Records.Guardians[n].Name
			}
		}
		for path, value := range want {
			if path == "/input/patient/birth_date" && value == req.Patient.BirthDate {
				assert.NotContains(t, ops, path, "request %d: a birth date that shows only the age stays", i)
				continue
			}
			assert.Equal(t, value, ops[path], "request %d: %s", i, path)
		}
		for path, value := range ops {
			if _, named := want[path]; !named {
				assert.Equal(t, "[redacted]", value, "request %d: %s", i, path)
			}
		}
	}
}

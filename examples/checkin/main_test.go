package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// cli runs the command in-process and returns its exit code and output.
func cli(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(t.Context(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// cliDecider decides through "checkin decide", so scenario files can check the command.
type cliDecider struct{ t *testing.T }

func (d cliDecider) Decide(_ context.Context, req checkin.Request) (checkin.Decision, error) {
	in, err := json.Marshal(req)
	require.NoError(d.t, err)
	code, out, errOut := cli(d.t, string(in), "decide")
	switch code {
	case 0:
		var dec checkin.Decision
		require.NoError(d.t, json.Unmarshal([]byte(out), &dec))
		return dec, nil
	case 2:
		var invalid struct {
			Outcome  string            `json:"outcome"`
			Problems []checkin.Problem `json:"problems"`
		}
		require.NoError(d.t, json.Unmarshal([]byte(out), &invalid))
		require.Equal(d.t, "invalid", invalid.Outcome)
		return checkin.Decision{}, &checkin.ValidationError{Problems: invalid.Problems}
	default:
		return checkin.Decision{}, fmt.Errorf("exit %d: %s", code, errOut)
	}
}

// The command decides the public scenarios as the library does. Each call
// loads the policy afresh, so the library's own test (checkin.TestScenarios)
// runs the other files.
func TestDecidePublicScenarios(t *testing.T) {
	cases, err := checkintest.LoadScenarios(os.DirFS("../../checkin/testdata"), "scenarios")
	require.NoError(t, err)
	cases = slices.DeleteFunc(cases, func(c checkintest.Scenario) bool { return c.File != "scenarios/public.json" })
	require.NotEmpty(t, cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			for _, f := range checkintest.CheckScenario(t.Context(), cliDecider{t}, c) {
				t.Error(f)
			}
		})
	}
}

func TestDecideInvalidInput(t *testing.T) {
	code, out, _ := cli(t, `{"at": "soon", "requested": ["consent_tattoo"]}`, "decide")
	assert.Equal(t, 2, code)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, "invalid", got["outcome"])
	assert.Contains(t, out, `"field": "requested[0]"`)
	assert.Contains(t, out, `"field": "at"`)

	code, out, _ = cli(t, `not json`, "decide")
	assert.Equal(t, 2, code)
	assert.Contains(t, out, `"outcome": "invalid"`)
}

func TestDecideReadsAFile(t *testing.T) {
	code, _, errOut := cli(t, "", "decide", "testdata/no-such-file.json")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no-such-file.json")
}

func TestVersion(t *testing.T) {
	code, out, _ := cli(t, "", "version")
	require.Equal(t, 0, code)
	assert.Regexp(t, `(?m)^frontdesk .+\npolicy [0-9a-f]{16}\nopa .+$`, out)
}

func TestUsage(t *testing.T) {
	code, _, errOut := cli(t, "")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "decide [-policy DIR]... [-record FILE] [FILE]")

	code, _, errOut = cli(t, "", "decide", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "usage: checkin decide")

	code, _, errOut = cli(t, "", "frobnicate")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unknown command "frobnicate"`)
}

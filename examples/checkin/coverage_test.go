package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

func TestCoverageCountsEntriesPerField(t *testing.T) {
	entry := func(field string, verify bool) checkin.ProfileEntry {
		return checkin.ProfileEntry{Field: field, Verify: verify}
	}
	profiles := []checkin.Jurisdiction{
		{Code: "default", Entries: []checkin.ProfileEntry{entry("adult_surrogates", false), entry("self_consent", false), entry("age_of_majority", false)}},
		{Code: "US-AA", Entries: []checkin.ProfileEntry{entry("adult_surrogates", true), entry("age_of_majority", false)}},
		{Code: "US-BB", Entries: []checkin.ProfileEntry{entry("adult_surrogates", false)}},
		{Code: "US-CC", Entries: []checkin.ProfileEntry{entry("written_consent_required", true)}},
	}
	var out strings.Builder
	require.NoError(t, writeCoverage(&out, profiles))
	assert.Equal(t, `| field | jurisdictions that set it (of 3) | of those, verify |
|---|---:|---:|
| `+"`adult_surrogates`"+` | 2 | 1 |
| `+"`age_of_majority`"+` | 1 | 0 |
| `+"`written_consent_required`"+` | 1 | 1 |
| `+"`self_consent`"+` | 0 | 0 |

3 jurisdiction profiles besides the default: 4 entries, 2 marked verify.

No entry for adult_surrogates (the default applies): US-CC

No entry for self_consent (the default applies): US-AA, US-BB, US-CC
`, out.String())
}

// The command reports on the shipped profiles: every one besides the
// default counted, the two fields every state addresses always listed.
func TestJurisdictionsCoverage(t *testing.T) {
	code, out, errOut := cli(t, "", "jurisdictions", "-coverage")
	require.Equal(t, 0, code, errOut)
	e, err := checkin.New(t.Context())
	require.NoError(t, err)
	profiles := e.Jurisdictions()
	_, states := coverage(profiles)
	assert.Equal(t, len(profiles)-1, states)
	assert.Contains(t, out, "| `adult_surrogates` |")
	assert.Contains(t, out, "| `self_consent` |")
}

// The README shows the coverage of the shipped profiles as the command
// prints it; a profile edit that changes it fails here until the README is
// updated.
func TestReadmeShowsCoverage(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(readme), "<!-- coverage: the output of go run ./examples/checkin jurisdictions -coverage -->\n")
	require.True(t, ok, "README.md has no coverage block")
	shown, _, ok := strings.Cut(rest, "<!-- end of coverage -->")
	require.True(t, ok, "README.md's coverage block has no end")
	code, out, errOut := cli(t, "", "jurisdictions", "-coverage")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, out, shown, "paste the output of go run ./examples/checkin jurisdictions -coverage into README.md")
}

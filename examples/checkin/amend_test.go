package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

const texasAmendment = "../../checkin/testdata/overlays/jurisdiction-amendment-keeps-other-entries/overlay"

func TestCheckListsAmendedJurisdictions(t *testing.T) {
	code, out, errOut := cli(t, "", "check", "-policy", texasAmendment)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "amended: US-TX by "+texasAmendment+": age_of_majority\n")

	code, out, _ = cli(t, "", "check")
	require.Equal(t, 0, code)
	assert.NotContains(t, out, "amended")
}

func TestJurisdictionsShowAmendments(t *testing.T) {
	code, out, errOut := cli(t, "", "jurisdictions", "-policy", texasAmendment)
	require.Equal(t, 0, code, errOut)
	var list []checkin.Jurisdiction
	require.NoError(t, json.Unmarshal([]byte(out), &list))
	for _, j := range list {
		if j.Code != "US-TX" {
			assert.Empty(t, j.AmendedBy, j.Code)
			continue
		}
		assert.Equal(t, []string{texasAmendment}, j.AmendedBy)
		for _, e := range j.Entries {
			if e.Field == "age_of_majority" {
				assert.Equal(t, texasAmendment, e.Overlay)
			} else {
				assert.Empty(t, e.Overlay, e.Field)
			}
		}
	}
	assert.Contains(t, out, `"amended_by": [`)
	assert.Contains(t, out, `"overlay": "`+texasAmendment+`"`)
}

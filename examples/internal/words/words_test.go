package words

import (
	"testing"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every language has words for every value of the vocabulary, and no words
// for a value the contract does not have: a new value or a renamed one fails here.
func TestEveryValueHasWords(t *testing.T) {
	for _, lang := range Languages() {
		v, err := For(lang)
		require.NoError(t, err)
		t.Run(lang, func(t *testing.T) {
			exactly(t, "verdict", v.Verdicts, checkin.Verdicts())
			exactly(t, "outcome", v.Outcomes, checkin.Outcomes())
			exactly(t, "action", v.Actions, append(checkin.Actions(), checkin.AllActions))
			exactly(t, "relationship", v.Relationships, checkin.Relationships())
			exactly(t, "role", v.Roles, checkin.Roles())
			exactly(t, "document kind", v.DocumentKinds, checkin.DocumentKinds())
			exactly(t, "status", v.Statuses, checkin.Statuses())
			exactly(t, "identity", v.Identities, checkin.Identities())
			exactly(t, "restriction source", v.RestrictionSources, RestrictionSources())
		})
	}
}

func exactly[K ~string](t *testing.T, what string, table map[K]string, values []K) {
	t.Helper()
	for _, k := range values {
		assert.NotEmpty(t, table[k], "no words for the %s %q", what, k)
	}
	assert.Len(t, table, len(values), "words for a %s the contract does not have", what)
}

func TestUnknownLanguage(t *testing.T) {
	_, err := For("fr")
	assert.EqualError(t, err, `unknown language "fr": there are words for en and es`)
	assert.Equal(t, "deny", Label(map[checkin.Verdict]string{}, checkin.Deny))
}

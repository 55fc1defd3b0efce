package checkin_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// newEngine is the engine on the embedded default policy, loaded once for the package's tests.
var newEngine = sync.OnceValues(func() (*checkin.Engine, error) {
	return checkin.New(context.Background())
})

func engine(t testing.TB) *checkin.Engine {
	t.Helper()
	e, err := newEngine()
	require.NoError(t, err)
	return e
}

func TestScenarios(t *testing.T) {
	t.Parallel()
	e := engine(t)
	cases, err := checkintest.LoadScenarios(os.DirFS("testdata"), "scenarios")
	require.NoError(t, err)
	require.NotEmpty(t, cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			for _, f := range checkintest.CheckScenario(t.Context(), e, c) {
				t.Error(f)
			}
		})
	}
}

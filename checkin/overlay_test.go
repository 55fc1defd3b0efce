package checkin_test

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/policy"
)

func overlay(files map[string]string) checkin.Option {
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	return checkin.WithOverlay("overlay", fsys)
}

func TestOverlayLoadErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		files map[string]string
		line  int
		code  string
	}{
		{"redefines a default rule", map[string]string{"x.rego": "package checkin\n\nrecord_relationship := {}\n"}, 1, "policy_conflict_error"},
		{"reads a field requests lack", map[string]string{"x.rego": "package overlay\n\nguardian_required contains \"accompany\" if {\n\tinput.companion.relatinship == \"sitter\"\n}\n"}, 4, "rego_type_error"},
		{"syntax", map[string]string{"x.rego": "package overlay\n\nguardian_required contains \"accompany\" if {\n"}, 4, "rego_parse_error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := checkin.New(t.Context(), overlay(tc.files))
			var loadErr *policy.LoadError
			require.ErrorAs(t, err, &loadErr)
			assert.Equal(t, "overlay/x.rego", loadErr.Problems[0].File, loadErr.Error())
			assert.Equal(t, tc.line, loadErr.Problems[0].Line, loadErr.Error())
			assert.Equal(t, tc.code, loadErr.Problems[0].Code, loadErr.Error())
		})
	}
}

func TestOverlaysConflict(t *testing.T) {
	t.Parallel()
	one := overlay(map[string]string{"x.rego": "package overlay\n\nlevel := 1\n"})
	two := checkin.WithOverlay("second", fstest.MapFS{"y.rego": {Data: []byte("package overlay\n\nlevel := 2\n")}})
	_, err := checkin.New(t.Context(), one, two)
	var loadErr *policy.LoadError
	require.ErrorAs(t, err, &loadErr)
	assert.Equal(t, "second/y.rego", loadErr.Problems[0].File)
	assert.Equal(t, 3, loadErr.Problems[0].Line)
	assert.Contains(t, loadErr.Problems[0].Message, "overlay/x.rego:3")
}

package checkin_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/rego"
)

// An attackCase is one folder of testdata/overlays: overlays that try to do
// what an overlay may not, or that are broken, and what must happen.
type attackCase struct {
	Attack string `json:"attack"`
	// Layers are the case's overlay folders and the names they load under;
	// by default the folder overlay, named overlay.
	Layers []struct{ Dir, Name string } `json:"layers"`
	// Problem is a problem the load must report; Loads says it must load
	// instead, its scenario files showing how it decides.
	Problem *struct {
		File     string `json:"file"`
		Line     int    `json:"line"`
		Code     string `json:"code"`
		Contains string `json:"contains"`
	} `json:"problem"`
	Loads      bool                `json:"loads"`
	Amendments []checkin.Amendment `json:"amendments"`
	// What git does not carry well is made in a copy of the case: symbolic
	// links (path to target), files of a size in bytes, folders of many
	// small files, and folders holding a copy of a folder of the default's
	// Rego (tests left out) under the case's own files.
	Links       map[string]string `json:"links"`
	Huge        map[string]int    `json:"huge"`
	Many        map[string]int    `json:"many"`
	CopyDefault map[string]string `json:"copy_default"`
}

func TestAttackOverlays(t *testing.T) {
	if testing.Short() {
		t.Skip("-short leaves out the attack overlays, each loaded as a policy of its own")
	}
	t.Parallel()
	dirs, err := os.ReadDir(filepath.Join("testdata", "overlays"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(dirs), 40)
	for _, d := range dirs {
		t.Run(d.Name(), func(t *testing.T) {
			t.Parallel()
			tc, dir := prepareAttack(t, d.Name())
			var opts []checkin.Option
			for _, layer := range tc.Layers {
				opts = append(opts, checkin.WithOverlay(layer.Name, os.DirFS(filepath.Join(dir, layer.Dir))))
			}
			e, err := checkin.New(t.Context(), opts...)
			if tc.Loads {
				require.NoError(t, err, tc.Attack)
				assert.Equal(t, tc.Amendments, e.Amendments())
				return
			}
			require.NotNil(t, tc.Problem, "want.json says neither loads nor problem")
			var loadErr *checkin.LoadError
			require.ErrorAs(t, err, &loadErr, "%s: it must not load", tc.Attack)
			want := *tc.Problem
			for _, p := range loadErr.Problems {
				if p.File == want.File && (want.Line == 0 || p.Line == want.Line) && p.Code == want.Code &&
					strings.Contains(p.Message, want.Contains) {
					return
				}
			}
			t.Errorf("%s\nwant a problem %s:%d: %s: ...%s...\ngot %v",
				tc.Attack, want.File, want.Line, want.Code, want.Contains, loadErr)
		})
	}
}

// prepareAttack reads a case and copies it where the links, big files and
// many files it asks for can be made.
func prepareAttack(t *testing.T, name string) (attackCase, string) {
	src := filepath.Join("testdata", "overlays", name)
	bs, err := os.ReadFile(filepath.Join(src, "want.json"))
	require.NoError(t, err)
	var tc attackCase
	dec := json.NewDecoder(strings.NewReader(string(bs)))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&tc), "want.json")
	require.NotEmpty(t, tc.Attack, "want.json says what the case attempts")
	if len(tc.Layers) == 0 {
		tc.Layers = append(tc.Layers, struct{ Dir, Name string }{"overlay", "overlay"})
	}
	if tc.Links == nil && tc.Huge == nil && tc.Many == nil && tc.CopyDefault == nil {
		return tc, src
	}
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS(src)))
	for to, from := range tc.CopyDefault {
		files, err := fs.Glob(rego.FS(), from+"/*.rego")
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Join(dir, to), 0o755))
		for _, file := range files {
			own := filepath.Join(dir, to, path.Base(file))
			if _, err := os.Stat(own); err == nil || strings.HasSuffix(file, "_test.rego") {
				continue
			}
			bs, err := fs.ReadFile(rego.FS(), file)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(own, bs, 0o600))
		}
	}
	for path, target := range tc.Links {
		require.NoError(t, os.Symlink(target, filepath.Join(dir, path)))
	}
	for path, size := range tc.Huge {
		content := fmt.Sprintf(`{"name": "%s"}`, strings.Repeat("x", size))
		require.NoError(t, os.WriteFile(filepath.Join(dir, path), []byte(content), 0o600))
	}
	for folder, count := range tc.Many {
		for i := range count {
			require.NoError(t, os.WriteFile(filepath.Join(dir, folder, fmt.Sprintf("note%03d.md", i)), []byte("x"), 0o600))
		}
	}
	return tc, dir
}

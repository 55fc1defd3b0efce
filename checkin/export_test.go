package checkin

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"strings"

	"github.com/frontdesk-policy/frontdesk/policy"
)

// WithBasePolicy decides on base in place of the embedded default policy:
// for tests that edit a shipped file, such as taking an entry out of a
// jurisdiction profile, which no overlay may do, and for those that decide on
// the pinned copy of an earlier default policy (testdata/pinned).
func WithBasePolicy(base fs.FS) Option {
	return func(c *config) { c.layers[0] = policy.Source{Name: "rego", FS: base} }
}

// PolicyOf gives tests the policy an engine decides on, to query data the
// Rego reads.
func PolicyOf(e *Engine) *policy.Policy { return e.deciding() }

// RewriteBundle unpacks a policy bundle, lets edit change its files (by
// path, .manifest included) and packs it again, signed again with signing
// when it is not nil, else with the signature it had: for tests of bundles
// a desk must refuse, whoever signed them.
func RewriteBundle(raw []byte, signing *BundleSigning, edit func(files map[string][]byte)) ([]byte, error) {
	gz, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		bs, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		files[strings.TrimPrefix(hdr.Name, "/")] = bs
	}
	edit(files)
	if signing != nil {
		delete(files, signaturesFile)
		if files[signaturesFile], err = signBundle(files, signing); err != nil {
			return nil, err
		}
	}
	var out bytes.Buffer
	err = writeTarball(&out, files)
	return out.Bytes(), err
}

package checkin

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing/fstest"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/util"

	"github.com/frontdesk-policy/frontdesk/policy"
	"github.com/frontdesk-policy/frontdesk/rego"
)

// A policy bundle is an OPA bundle (a gzipped tarball) that holds the layers
// of one policy as the engine read and checked them: the default policy at
// the bundle's root, overlay N (1 is the first) under overlays/N/, and a
// manifest whose revision is the policy's revision and whose metadata names
// the layers. A desk that reads it loads the same layers, and so decides on
// the same revision, or refuses it.
const (
	bundleOverlays = "overlays"  // the folder of the overlays in a bundle
	bundleMetadata = "frontdesk" // the manifest metadata key for the layers
	bundleMaxBytes = 64 << 20    // the largest bundle a desk reads, unpacked
	signaturesFile = ".signatures.json"
	manifestFile   = ".manifest"
)

// BundleSigning signs a bundle as OPA's bundle signing does (`opa build
// --signing-key`): a JWT over the SHA-256 of every file, which desks verify
// with the public key their configuration names by KeyID.
type BundleSigning struct {
	// Key is the private key in PEM, or the secret for an HMAC algorithm.
	Key []byte
	// Algorithm is the JWT algorithm; "" means RS256.
	Algorithm string
	// KeyID is the key's name in the desks' configuration (keys.<id>); ""
	// leaves it out of the token, so that desks name the key themselves.
	KeyID string
}

// WriteBundle writes the policy the engine decides on as a policy bundle for
// a bundle service, signed when signing is not nil. The bundle holds the
// layers exactly as they were checked, so every desk that activates it
// decides as this engine does, on the same revision.
func (e *Engine) WriteBundle(w io.Writer, signing *BundleSigning) error {
	s, err := e.serving()
	if err != nil {
		return err
	}
	p := s.policy
	files := map[string][]byte{}
	var names []string
	for n, layer := range s.layers {
		names = append(names, layer.Name)
		root := ""
		if n > 0 {
			root = path.Join(bundleOverlays, strconv.Itoa(n))
		}
		err := fs.WalkDir(p.LayerFS(n), ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			bs, err := fs.ReadFile(p.LayerFS(n), name)
			files[path.Join(root, name)] = bs
			return err
		})
		if err != nil {
			return err
		}
	}
	version := 1
	roots, err := bundleRoots(files)
	if err != nil {
		return err
	}
	manifest := bundle.Manifest{Revision: p.Revision(), Roots: &roots, RegoVersion: &version,
		Metadata: map[string]any{bundleMetadata: map[string]any{"layers": names}}}
	if files[manifestFile], err = json.MarshalIndent(manifest, "", "  "); err != nil {
		return err
	}
	if signing != nil {
		if files[signaturesFile], err = signBundle(files, signing); err != nil {
			return err
		}
	}
	return writeTarball(w, files)
}

// bundleRoots are the data paths the bundle owns, as OPA's manifest lists
// them: the first segment of each package and of each data file's folder
// (the decision-log mask's package under system, which OPA itself uses).
func bundleRoots(files map[string][]byte) ([]string, error) {
	var roots []string
	add := func(segments []string) {
		if len(segments) == 0 || segments[0] == "" {
			return
		}
		root := segments[0]
		if root == "system" && len(segments) > 1 {
			root = path.Join(segments[:2]...)
		}
		if !slices.Contains(roots, root) {
			roots = append(roots, root)
		}
	}
	for name, src := range files {
		switch {
		case path.Base(name) == "data.json":
			add(strings.Split(path.Dir(name), "/"))
		case strings.HasSuffix(name, ".rego"):
			pkg, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1})
			if err != nil {
				return nil, err // the policy compiled: only a changed file fails here
			}
			var segments []string
			for _, t := range pkg.Package.Path[1:] {
				s, _ := t.Value.(ast.String)
				segments = append(segments, string(s))
			}
			add(segments)
		}
	}
	slices.Sort(roots)
	return roots, nil
}

// signBundle is OPA's bundle signature over files: the same hashes, claims
// and file as `opa sign`, over every file of the bundle, since a desk
// refuses a file the signature leaves out.
func signBundle(files map[string][]byte, signing *BundleSigning) ([]byte, error) {
	hasher, err := bundle.NewSignatureHasher(bundle.SHA256)
	if err != nil {
		return nil, err
	}
	var infos []bundle.FileInfo
	for _, name := range slices.Sorted(maps.Keys(files)) {
		var value any = files[name]
		if bundle.IsStructuredDoc(name) {
			if err := util.Unmarshal(files[name], &value); err != nil {
				return nil, fmt.Errorf("checkin: signing %s: %w", name, err)
			}
		}
		sum, err := hasher.HashFile(value)
		if err != nil {
			return nil, fmt.Errorf("checkin: signing %s: %w", name, err)
		}
		infos = append(infos, bundle.NewFile(name, fmt.Sprintf("%x", sum), bundle.SHA256.String()))
	}
	alg := signing.Algorithm
	if alg == "" {
		alg = "RS256"
	}
	token, err := bundle.GenerateSignedToken(infos, bundle.NewSigningConfig(string(signing.Key), alg, ""), signing.KeyID)
	if err != nil {
		return nil, fmt.Errorf("checkin: signing the bundle: %w", err)
	}
	return json.Marshal(bundle.SignaturesConfig{Signatures: []string{token}})
}

// writeTarball writes files as OPA writes a bundle, in name order and with
// fixed times, so the same policy always gives the same bytes.
func writeTarball(w io.Writer, files map[string][]byte) error {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		bs := files[name]
		hdr := &tar.Header{Name: "/" + name, Mode: 0o644, Size: int64(len(bs)), Typeflag: tar.TypeReg,
			ModTime: time.Unix(0, 0).UTC(), Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(bs); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// A BundleError is a bundle a desk refused: it was not activated, and the
// last good policy, if any, keeps serving.
type BundleError struct {
	Bundle string // the bundle's name in the configuration
	Err    error
}

func (e *BundleError) Error() string {
	return fmt.Sprintf("checkin: bundle %s refused: %v", e.Bundle, e.Err)
}

func (e *BundleError) Unwrap() error { return e.Err }

// readBundle reads the layers of a policy bundle, verifying its signature
// with OPA's bundle reader first (vc nil: the bundle must carry none), and
// returns them with the revision its manifest claims. The default layer
// must be this engine's own default policy, byte for byte: a bundle carries
// overlays for the policy a desk runs, and never replaces it, so the Go
// code and the Rego it reads always come from one release.
func readBundle(raw []byte, vc *bundle.VerificationConfig) ([]policy.Source, string, error) {
	reader := bundle.NewCustomReader(bundle.NewTarballLoaderWithBaseURL(bytes.NewReader(raw), "").
		WithSizeLimitBytes(bundleMaxBytes)).
		WithRegoVersion(ast.RegoV1).
		WithSizeLimitBytes(bundleMaxBytes)
	if vc != nil {
		reader = reader.WithBundleVerificationConfig(vc)
	} else {
		reader = reader.WithSkipBundleVerification(true)
	}
	b, err := reader.Read()
	if err != nil {
		return nil, "", err
	}
	if vc == nil && len(b.Signatures.Signatures) > 0 {
		return nil, "", errors.New("the bundle is signed but no key is configured to verify it")
	}
	meta, _ := b.Manifest.Metadata[bundleMetadata].(map[string]any)
	names, _ := meta["layers"].([]any)
	if len(names) == 0 || names[0] != "rego" {
		return nil, "", errors.New(`the manifest names no layers (metadata.frontdesk.layers): build the bundle with "checkin bundle build"`)
	}
	layers := make([]fstest.MapFS, len(names))
	for n := range layers {
		layers[n] = fstest.MapFS{}
	}
	loader := bundle.NewTarballLoaderWithBaseURL(bytes.NewReader(raw), "").WithSizeLimitBytes(bundleMaxBytes)
	total := 0
	for {
		f, err := loader.NextFile()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", err
		}
		name := strings.TrimPrefix(f.Path(), "/")
		var buf bytes.Buffer
		_, err = f.Read(&buf, bundleMaxBytes+1) // io.EOF: the whole file is read
		f.Close()
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, "", err
		}
		bs := buf.Bytes()
		if total += len(bs); total > bundleMaxBytes {
			return nil, "", fmt.Errorf("the bundle holds more than %d bytes", bundleMaxBytes)
		}
		if name == manifestFile || name == signaturesFile {
			continue
		}
		if !fs.ValidPath(name) {
			return nil, "", fmt.Errorf("%q is not a file path a bundle may hold", f.Path())
		}
		n, inside := 0, name
		if rest, ok := strings.CutPrefix(name, bundleOverlays+"/"); ok {
			index, after, _ := strings.Cut(rest, "/")
			n, err = strconv.Atoi(index)
			if err != nil || n < 1 || n >= len(names) || strconv.Itoa(n) != index || after == "" {
				return nil, "", fmt.Errorf("%s is in no overlay the manifest names", name)
			}
			inside = after
		}
		layers[n][inside] = &fstest.MapFile{Data: bs}
	}
	if err := sameAsDefault(layers[0]); err != nil {
		return nil, "", err
	}
	sources := []policy.Source{{Name: "rego", FS: rego.FS()}}
	for n, layer := range layers[1:] {
		name, ok := names[n+1].(string)
		if !ok || name == "" {
			return nil, "", fmt.Errorf("the manifest's layer %d has no name", n+1)
		}
		sources = append(sources, policy.Source{Name: name, FS: layer})
	}
	return sources, b.Manifest.Revision, nil
}

// sameAsDefault reports where a bundle's default layer differs from this
// engine's default policy.
func sameAsDefault(layer fstest.MapFS) error {
	own := map[string][]byte{}
	err := fs.WalkDir(rego.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		own[name], err = fs.ReadFile(rego.FS(), name)
		return err
	})
	if err != nil {
		return err
	}
	for name, f := range layer {
		if bs, ok := own[name]; !ok || !bytes.Equal(bs, f.Data) {
			return fmt.Errorf("its default policy differs from this desk's at %s: build the bundle with this release's \"checkin bundle build\"", name)
		}
	}
	for name := range own {
		if _, ok := layer[name]; !ok {
			return fmt.Errorf("its default policy lacks %s: build the bundle with this release's \"checkin bundle build\"", name)
		}
	}
	return nil
}

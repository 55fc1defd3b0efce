package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// runBundle runs "bundle build": the one bundle command a compliance office
// needs; OPA's own tools inspect and sign bundles too (opa inspect, opa sign).
func runBundle(ctx context.Context, fs *flag.FlagSet, args []string, _ io.Reader, out io.Writer) error {
	if len(args) == 0 || args[0] != "build" {
		fs.Usage()
		return exitError{2}
	}
	dirs := policyFlag(fs)
	output := fs.String("o", "", "write the bundle to `FILE` (required)")
	key := fs.String("signing-key", "", "sign the bundle with the private key in `FILE` (PEM), as opa sign does")
	alg := fs.String("signing-alg", "RS256", "the signing `ALGORITHM` (RS256, ES256, PS256, HS256, ...)")
	keyID := fs.String("signing-keyid", "", "the key's `ID` in the desks' configuration (keys.ID), written into the signature")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *output == "" || fs.NArg() > 0 {
		fs.Usage()
		return exitError{2}
	}
	var signing *checkin.BundleSigning
	if *key != "" {
		pem, err := os.ReadFile(*key)
		if err != nil {
			return err
		}
		signing = &checkin.BundleSigning{Key: pem, Algorithm: *alg, KeyID: *keyID}
	}
	engine, err := newEngine(ctx, *dirs)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := engine.WriteBundle(&buf, signing); err != nil {
		return err
	}
	// Written whole or not at all: a bundle server never serves half a file.
	tmp, err := os.CreateTemp(filepath.Dir(*output), ".bundle-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *output); err != nil {
		return err
	}
	signed := "unsigned: desks refuse it"
	if signing != nil {
		signed = "signed"
	}
	fmt.Fprintf(out, "%s: revision %s, %d overlays, %s\n", *output, engine.Revision(), len(*dirs), signed)
	return nil
}

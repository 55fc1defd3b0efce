package policy

import (
	"slices"

	"github.com/open-policy-agent/opa/v1/ast"
)

// DeniedBuiltins are the built-ins a policy may not call, each with what it
// reaches beyond the input and data: a policy that reads the clock, the
// network, random numbers or the host gives answers nobody can reproduce or
// review. Every built-in of OPA's is either here or allowed by a test that
// lists them all, so a new one is a decision, not an accident.
var DeniedBuiltins = map[string]string{
	"time.now_ns": "clock",
	// Both check a certificate's validity against the current time.
	"crypto.x509.parse_and_verify_certificates":              "clock",
	"crypto.x509.parse_and_verify_certificates_with_options": "clock",
	// Checks exp and nbf against the current time when no time is given.
	"io.jwt.decode_verify": "clock",
	"http.send":            "network",
	"net.lookup_ip_addr":   "network",
	// Both may fetch a schema's remote $ref.
	"json.match_schema":  "network",
	"json.verify_schema": "network",
	// Signs a request for a network the policy may not reach.
	"providers.aws.sign_req": "network",
	"rand.intn":              "randomness",
	"uuid.rfc4122":           "randomness",
	// ECDSA and other signatures draw random numbers.
	"io.jwt.encode_sign":     "randomness",
	"io.jwt.encode_sign_raw": "randomness",
	// The host's environment and OPA's configuration.
	"opa.runtime": "host",
}

// Capabilities are OPA's built-ins less those DeniedBuiltins names and any
// OPA marks nondeterministic, with no network access allowed.
func Capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	caps.Builtins = slices.DeleteFunc(caps.Builtins, func(b *ast.Builtin) bool {
		_, denied := DeniedBuiltins[b.Name]
		return denied || b.Nondeterministic
	})
	caps.AllowNet = []string{}
	return caps
}

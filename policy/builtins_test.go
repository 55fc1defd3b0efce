package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/policy"
)

// allowedBuiltins are the built-ins a policy may call: each depends on its
// arguments alone. print and trace only write to the test output;
// time.date and its kin read the host's zone only if given "Local".
var allowedBuiltins = strings.Fields(`
abs all and any array.concat array.flatten array.reverse array.slice assign base64.decode base64.encode
base64.is_valid base64url.decode base64url.encode base64url.encode_no_pad bits.and bits.lsh bits.negate
bits.or bits.rsh bits.xor cast_array cast_boolean cast_null cast_object cast_set cast_string ceil concat
contains count crypto.hmac.equal crypto.hmac.md5 crypto.hmac.sha1 crypto.hmac.sha256 crypto.hmac.sha512
crypto.md5 crypto.parse_private_keys crypto.sha1 crypto.sha256 crypto.x509.parse_certificate_request
crypto.x509.parse_certificates crypto.x509.parse_keypair crypto.x509.parse_rsa_private_key div endswith eq
equal floor format_int glob.match glob.quote_meta graph.reachable graph.reachable_paths graphql.is_valid
graphql.parse graphql.parse_and_verify graphql.parse_query graphql.parse_schema graphql.schema_is_valid gt
gte hex.decode hex.encode indexof indexof_n internal.member_2 internal.member_3 internal.print
internal.template_string internal.test_case intersection io.jwt.decode io.jwt.verify_eddsa
io.jwt.verify_es256 io.jwt.verify_es384 io.jwt.verify_es512 io.jwt.verify_hs256 io.jwt.verify_hs384
io.jwt.verify_hs512 io.jwt.verify_ps256 io.jwt.verify_ps384 io.jwt.verify_ps512 io.jwt.verify_rs256
io.jwt.verify_rs384 io.jwt.verify_rs512 is_array is_boolean is_null is_number is_object is_set is_string
json.filter json.is_valid json.marshal json.marshal_with_options json.patch json.remove json.unmarshal lower
lt lte max min minus mul neq net.cidr_contains net.cidr_contains_matches net.cidr_expand net.cidr_intersects
net.cidr_is_valid net.cidr_merge net.cidr_overlap numbers.range numbers.range_step object.filter object.get
object.keys object.remove object.subset object.union object.union_n or plus print product re_match
regex.find_all_string_submatch_n regex.find_n regex.globs_match regex.is_valid regex.match regex.replace
regex.split regex.template_match rego.metadata.chain rego.metadata.rule rego.parse_module rem replace round
semver.compare semver.is_valid set_diff sort split sprintf startswith strings.any_prefix_match
strings.any_suffix_match strings.count strings.render_template strings.replace_n strings.reverse
strings.split_n substring sum time.add_date time.clock time.date time.diff time.format time.parse_duration_ns
time.parse_ns time.parse_rfc3339_ns time.weekday to_number trace trim trim_left trim_prefix trim_right
trim_space trim_suffix type_name union units.parse units.parse_bytes upper uri.is_valid uri.parse
urlquery.decode urlquery.decode_object urlquery.encode urlquery.encode_object uuid.parse walk yaml.is_valid
yaml.marshal yaml.unmarshal
`)

func TestEveryBuiltinIsClassified(t *testing.T) {
	allowed := map[string]bool{}
	for _, name := range allowedBuiltins {
		allowed[name] = true
		_, denied := policy.DeniedBuiltins[name]
		assert.False(t, denied, "%s is both allowed and denied", name)
	}
	offered := map[string]bool{}
	for _, b := range policy.Capabilities().Builtins {
		offered[b.Name] = true
	}
	for _, b := range ast.CapabilitiesForThisVersion().Builtins {
		_, denied := policy.DeniedBuiltins[b.Name]
		switch {
		case denied:
			assert.False(t, offered[b.Name], "%s is denied but offered", b.Name)
		case allowed[b.Name]:
			assert.Equal(t, !b.Nondeterministic, offered[b.Name], "%s", b.Name)
			assert.False(t, b.Nondeterministic, "OPA marks %s nondeterministic: deny it", b.Name)
		default:
			t.Errorf("OPA's built-in %s is neither allowed nor denied: classify it in policy.DeniedBuiltins or "+
				"this test's allowedBuiltins", b.Name)
		}
	}
	for _, name := range []string{"http.send", "time.now_ns", "rand.intn", "uuid.rfc4122", "net.lookup_ip_addr",
		"opa.runtime", "io.jwt.decode_verify", "crypto.x509.parse_and_verify_certificates",
		"crypto.x509.parse_and_verify_certificates_with_options"} {
		assert.Contains(t, policy.DeniedBuiltins, name)
	}
}

func TestCompilerRefusesEachDeniedBuiltin(t *testing.T) {
	decls := map[string]*ast.Builtin{}
	for _, b := range ast.CapabilitiesForThisVersion().Builtins {
		decls[b.Name] = b
	}
	for name, class := range policy.DeniedBuiltins {
		t.Run(name, func(t *testing.T) {
			b, ok := decls[name]
			require.True(t, ok, "%s is no longer one of OPA's built-ins: drop it from the list", name)
			args := make([]string, len(b.Decl.FuncArgs().Args))
			for i := range args {
				args[i] = fmt.Sprintf("input.a%d", i)
			}
			module := fmt.Sprintf("package x\n\nallow if {\n\t%s(%s)\n}\n", name, strings.Join(args, ", "))
			_, err := policy.Load(t.Context(), policy.Options{Query: "data.x.allow"},
				source("calls", map[string]string{"x/x.rego": module}))
			var loadErr *policy.LoadError
			require.ErrorAs(t, err, &loadErr, "a policy calling %s (%s) must not load", name, class)
			assert.Equal(t, "calls/x/x.rego", loadErr.Problems[0].File)
			assert.Equal(t, 4, loadErr.Problems[0].Line)
			assert.Contains(t, loadErr.Problems[0].Message, "undefined function "+name)
		})
	}
}

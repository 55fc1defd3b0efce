package policy

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// A TestResult is the outcome of one Rego test rule.
type TestResult struct {
	File     string
	Line     int
	Package  string // without the "data." prefix
	Name     string
	Pass     bool
	Skip     bool   // a todo_test_ rule
	Message  string // why it failed or could not run
	Output   string // what the test printed
	Duration time.Duration
}

// Test runs every Rego test of the policy's layers (rules named test_* in
// *_test.rego files) against its modules and data, as `opa test` would.
func (p *Policy) Test(ctx context.Context) ([]TestResult, error) {
	return p.TestLayers(ctx, 0)
}

// TestLayers runs the Rego tests of the layers from the first'th on (0 is
// the first layer), against all of the policy.
func (p *Policy) TestLayers(ctx context.Context, first int) ([]TestResult, error) {
	modules := maps.Clone(p.src.modules)
	for file, m := range p.src.tests {
		if p.src.layerOf[file] >= first {
			modules[file] = m
		}
	}
	runner := tester.NewRunner().
		SetCompiler(newCompiler(p.opts.InputSchema).WithCapabilities(testCapabilities()).WithEnablePrintStatements(true)).
		SetStore(p.store).
		CapturePrintOutput(true).
		SetTimeout(30 * time.Second)
	ch, err := runner.Run(ctx, modules)
	if err != nil {
		return nil, &LoadError{Problems: problemsOf(err, "")}
	}
	var results []TestResult
	for r := range ch {
		tr := TestResult{
			Package:  trimData(r.Package),
			Name:     r.Name,
			Pass:     r.Pass(),
			Skip:     r.Skip,
			Output:   string(r.Output),
			Duration: r.Duration,
		}
		if r.Location != nil {
			tr.File, tr.Line = r.Location.File, r.Location.Row
		}
		switch {
		case r.Error != nil:
			tr.Message = r.Error.Error()
		case r.Fail:
			tr.Message = "test rule is false or undefined"
			if r.FailedAt != nil && r.FailedAt.Location != nil {
				tr.Message = fmt.Sprintf("failed at %s:%d: %s", r.FailedAt.Location.File, r.FailedAt.Location.Row, r.FailedAt.Location.Text)
			}
		}
		results = append(results, tr)
	}
	sort.SliceStable(results, func(i, j int) bool {
		if results[i].File != results[j].File {
			return results[i].File < results[j].File
		}
		return results[i].Line < results[j].Line
	})
	return results, nil
}

// testCapabilities are the policy's, with the JSON Schema built-ins, so that
// a test can hold data to a schema: OPA fetches a schema's remote $ref only
// from the hosts allow_net lists, and it lists none, so they read nothing
// beyond the policy. Decisions still may not call them (DeniedBuiltins).
func testCapabilities() *ast.Capabilities {
	caps := Capabilities()
	for _, b := range ast.CapabilitiesForThisVersion().Builtins {
		if b.Name == "json.match_schema" || b.Name == "json.verify_schema" {
			caps.Builtins = append(caps.Builtins, b)
		}
	}
	return caps
}

func trimData(pkg string) string {
	if len(pkg) > 5 && pkg[:5] == "data." {
		return pkg[5:]
	}
	return pkg
}

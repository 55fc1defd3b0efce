// Package policy loads Rego policies from file trees, checks them strictly and
// evaluates one query against them in-process with Open Policy Agent, many
// times and concurrently. It knows nothing of what its policies decide.
package policy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/metrics"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// A Policy is a compiled, prepared query over a set of sources. It is
// immutable and safe for concurrent use; a changed source needs a new Policy.
type Policy struct {
	opts     Options
	prepared rego.PreparedEvalQuery
	compiler *ast.Compiler
	store    storage.Store
	src      *sources
	data     map[string]any
	// queries holds the other queries asked of the policy, prepared once:
	// tools ask the same few again and again.
	queries sync.Map // string -> rego.PreparedEvalQuery
}

// Options configure Load. The zero value is a valid configuration.
type Options struct {
	// Query is what Eval evaluates, such as "data.app.decision".
	Query string
	// Open lists the packages (with their subpackages) that every layer may
	// add rules to. Outside them, a layer may not add rules to a package an
	// earlier layer defines: an overlay extends a policy at the points it
	// offers, never by redefining its rules.
	Open []string
	// InputSchema, a JSON Schema, types the input for OPA's type checker, so
	// that a rule reading a field the input cannot have fails to compile.
	InputSchema any
	// Overlay, if set, bounds what every layer after the first may hold.
	Overlay *Bounds
	// Merge lists the documents that a later layer amends rather than replaces.
	Merge []Merge
	// Inspect, if set, is given the Rego modules (tests left out) of every
	// layer after the first, parsed, before anything is compiled: it reports
	// what is wrong with them.
	Inspect func(modules []*ast.Module) []Problem
	// Derive, if set, is given every document once merged, before anything
	// is compiled: it reports what is wrong with them, and may return data of
	// its own, whose top-level keys no document may use.
	Derive func(docs []Document) (data map[string]any, problems []Problem)
}

// Load reads the layers in order, compiles their Rego strictly with
// Capabilities, and prepares the query for evaluation. Every problem found
// is reported in one *LoadError, with file and line where there is one.
func Load(ctx context.Context, opts Options, layers ...Source) (*Policy, error) {
	src, err := readSources(layers, opts.Overlay)
	if err != nil {
		return nil, err
	}
	data, problems := src.data(opts.Merge)
	if opts.Derive != nil && len(problems) == 0 {
		derived, more := opts.Derive(src.documents)
		problems = append(problems, more...)
		for _, key := range slices.Sorted(maps.Keys(derived)) {
			if _, taken := data[key]; taken {
				problems = append(problems, Problem{Code: "policy_data_error",
					Message: fmt.Sprintf("data.%s is the policy's own, derived from the documents; no file may write it", key)})
				continue
			}
			data[key] = derived[key]
		}
	}
	if opts.Inspect != nil {
		problems = append(problems, opts.Inspect(src.layerModules(1))...)
	}
	problems = append(problems, src.conflicts(opts.Open)...)
	if len(problems) > 0 {
		return nil, &LoadError{Problems: problems}
	}
	store := inmem.NewFromObjectWithOpts(data, inmem.OptRoundTripOnWrite(false), inmem.OptReturnASTValuesOnRead(true))

	compiler := newCompiler(opts.InputSchema)
	compiler.Compile(src.modules)
	if compiler.Failed() {
		return nil, &LoadError{Problems: problemsOf(compiler.Errors, "")}
	}

	prepared, err := rego.New(
		rego.Query(opts.Query),
		rego.Compiler(compiler),
		rego.Store(store),
		rego.StoreReadAST(true),
		rego.GenerateJSON(keepAST),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, &LoadError{Problems: problemsOf(err, "")}
	}
	return &Policy{
		opts:     opts,
		prepared: prepared,
		compiler: compiler,
		store:    store,
		src:      src,
		data:     data,
	}, nil
}

func newCompiler(schema any) *ast.Compiler {
	c := ast.NewCompiler().
		WithStrict(true).
		WithCapabilities(Capabilities()).
		WithUseTypeCheckAnnotations(true)
	if schema != nil {
		schemas := ast.NewSchemaSet()
		schemas.Put(ast.SchemaRootRef, schema)
		c = c.WithSchemas(schemas)
	}
	return c
}

// keepAST leaves the result as OPA's own value, for the caller to read
// without a round trip through JSON.
func keepAST(t *ast.Term, _ *rego.EvalContext) (any, error) { return t.Value, nil }

// Eval evaluates the query for input and returns its value. It honours the
// context's deadline and cancellation without a goroutine per evaluation.
func (p *Policy) Eval(ctx context.Context, input ast.Value) (ast.Value, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	cancel := topdown.NewCancel()
	stop := context.AfterFunc(ctx, cancel.Cancel)
	defer stop()
	rs, err := p.prepared.Eval(ctx,
		rego.EvalParsedInput(input),
		rego.EvalMetrics(metrics.NoOp()),
		rego.EvalExternalCancel(cancel),
	)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("policy: %w", ctx.Err())
		}
		return nil, fmt.Errorf("policy: evaluating %s: %w", p.opts.Query, err)
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil, ErrUndefined
	}
	return rs[0].Expressions[0].Value.(ast.Value), nil
}

// Revision identifies the policy's sources: the first 16 hex digits of a
// SHA-256 over every file's path and content, in layer order.
func (p *Policy) Revision() string { return p.src.revision }

// Data is the merged data tree the policy evaluates against. Callers must not
// modify it.
func (p *Policy) Data() map[string]any { return p.data }

// Documents lists the data documents of every layer, in the order applied.
func (p *Policy) Documents() []Document { return p.src.documents }

// Annotations are the METADATA blocks of the policy's Rego, as the compiler
// attached them to rules and packages.
func (p *Policy) Annotations() *ast.AnnotationSet { return p.compiler.GetAnnotationSet() }

// Modules returns the Rego modules (tests left out) of the layers from the
// first'th on (0 is the first layer), by file.
func (p *Policy) Modules(first int) []*ast.Module { return p.src.layerModules(first) }

// LayerFS holds the files of the n'th layer (0 is the first) as Load read
// and checked them, for callers that read more of a layer: they then read
// what was checked, not what the folder holds by now.
func (p *Policy) LayerFS(n int) fs.FS { return p.src.byLayer[n] }

// Files returns the content of every file the layers held, by path,
// including those that are neither Rego nor data.
func (p *Policy) Files() map[string][]byte { return p.src.files }

// Query evaluates another query against the policy: for tools that explain
// or inspect, not for the hot path. Each query is prepared the first time it
// is asked. With trace set it also returns OPA's trace of the evaluation.
func (p *Policy) Query(ctx context.Context, query string, input ast.Value, trace bool) (ast.Value, string, error) {
	prepared, err := p.prepare(ctx, query)
	if err != nil {
		return nil, "", err
	}
	opts := []rego.EvalOption{rego.EvalParsedInput(input)}
	var tracer *topdown.BufferTracer
	if trace {
		tracer = topdown.NewBufferTracer()
		opts = append(opts, rego.EvalQueryTracer(tracer))
	}
	rs, err := prepared.Eval(ctx, opts...)
	if err != nil {
		return nil, "", fmt.Errorf("policy: evaluating %s: %w", query, err)
	}
	var buf strings.Builder
	if tracer != nil {
		topdown.PrettyTraceWithLocation(&buf, *tracer)
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil, buf.String(), ErrUndefined
	}
	return rs[0].Expressions[0].Value.(ast.Value), buf.String(), nil
}

func (p *Policy) prepare(ctx context.Context, query string) (rego.PreparedEvalQuery, error) {
	if q, ok := p.queries.Load(query); ok {
		return q.(rego.PreparedEvalQuery), nil
	}
	q, err := rego.New(
		rego.Query(query),
		rego.Compiler(p.compiler),
		rego.Store(p.store),
		rego.StoreReadAST(true),
		rego.GenerateJSON(keepAST),
	).PrepareForEval(ctx)
	if err != nil {
		return rego.PreparedEvalQuery{}, fmt.Errorf("policy: preparing %s: %w", query, err)
	}
	p.queries.Store(query, q)
	return q, nil
}

// Fingerprint hashes the files of the layers as Load would read them, so a
// watcher can tell whether anything changed without compiling.
func Fingerprint(layers ...Source) (string, error) {
	hash := sha256.New()
	for n, layer := range layers {
		err := fs.WalkDir(layer.FS, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			fmt.Fprintf(hash, "%d\x00%s\x00%d\x00%d\x00", n, name, info.Size(), info.ModTime().UnixNano())
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(hash.Sum(nil)), nil
}

// RulesReached lists the rules evaluating ref may evaluate, as compiled: the
// rules of every document whose path ref may name and, transitively, every
// rule they depend on in OPA's dependency graph, else branches included.
func (p *Policy) RulesReached(ref ast.Ref) []*ast.Rule {
	var out []*ast.Rule
	seen := map[*ast.Rule]bool{}
	todo := p.compiler.GetRulesDynamic(ref)
	for len(todo) > 0 {
		r := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, r)
		for dep := range p.compiler.Graph.Dependencies(r) {
			if d, ok := dep.(*ast.Rule); ok {
				todo = append(todo, d)
			}
		}
		if r.Else != nil {
			todo = append(todo, r.Else)
		}
	}
	return out
}

package checkin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/frontdesk-policy/frontdesk/checkin/internal/scenarios"
	"github.com/frontdesk-policy/frontdesk/policy"
	"github.com/frontdesk-policy/frontdesk/rego"
)

// query is the decision on a request Go has already validated: the
// contract's data.checkin.decision without Rego's own validation, which
// would repeat Validate's work on every decision.
const query = "data.checkin.valid_decision"

// inputSchema is the request's JSON Schema, shipped with the default policy
// for clients in any language; OPA's type checker holds the rules to it.
var inputSchema = func() any {
	bs, err := fs.ReadFile(rego.FS(), "schemas/input.json")
	if err != nil {
		panic(err) // the schema is embedded: a build without it is broken
	}
	var schema any
	if err := json.Unmarshal(bs, &schema); err != nil {
		panic(err)
	}
	return schema
}()

// An Engine decides check-in requests on one policy: the embedded default,
// with any overlays applied over it. It is safe for concurrent use.
type Engine struct {
	cfg      config
	current  atomic.Pointer[serving]
	counters cacheCounters
	reloadMu sync.Mutex // one rebuild at a time
	fleet    *fleet     // WithBundleService
}

// serving is the policy deciding, the layers it was built from and its
// decision cache, nil without WithDecisionCache. One pointer holds them, so
// that Decide, Revision, Explain and Profile never see two policies at once.
type serving struct {
	policy *policy.Policy
	layers []policy.Source
	cache  *decisionCache
}

// serving is what serves, or ErrNotReady before a bundle-fed engine's first
// bundle.
func (e *Engine) serving() (*serving, error) {
	if s := e.current.Load(); s != nil {
		return s, nil
	}
	return nil, ErrNotReady
}

// deciding is the policy serving, nil before a bundle-fed engine's first.
func (e *Engine) deciding() *policy.Policy {
	if s := e.current.Load(); s != nil {
		return s.policy
	}
	return nil
}

// An Option configures New.
type Option func(*config)

type config struct {
	layers   []policy.Source
	logger   *slog.Logger
	recorder Recorder
	// recordRequired: a decision that could not be recorded is not returned.
	recordRequired bool
	language       string // WithLanguage: every decision's words, whatever the practice's
	cacheSize      int    // WithDecisionCache
	cacheSet       bool
	fleetConfig    []byte                                                // WithBundleService
	onReload       func(ctx context.Context, revision string, err error) // WithReloadHook
}

// WithOverlay applies the policy files in fsys over the default policy: data
// files add or amend practice and jurisdiction profiles, and Rego in package
// overlay adds rules the default policy consults. An overlay holds nothing
// else (rego/README.md says what it may hold, and its limits). Overlays apply
// in the order given; name labels the overlay's files in problems and in
// amendments, and never makes them stand for another layer's.
func WithOverlay(name string, fsys fs.FS) Option {
	return func(c *config) { c.layers = append(c.layers, policy.Source{Name: name, FS: fsys}) }
}

// WithOverlayDir applies the policy files in a folder, as WithOverlay does.
func WithOverlayDir(dir string) Option {
	return func(c *config) { c.layers = append(c.layers, policy.Dir(dir)) }
}

// WithReloadHook has fn called after every reload, by Reload or by Watch,
// with the revision serving afterwards and the reload's error (nil when the
// new policy took over, a *LoadError when the last good one keeps serving),
// so a service can report the state of its policy as well as log it.
func WithReloadHook(fn func(ctx context.Context, revision string, err error)) Option {
	return func(c *config) { c.onReload = fn }
}

// WithLogger sets where the engine reports what it cannot return: reloads
// and recorder failures. The default is slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithRecorder has every decision recorded, after it is made. A recorder's
// failure is logged and never changes a decision: the desk is not stopped
// because an audit trail is. Where a decision must not stand unrecorded,
// use WithRequiredRecorder.
func WithRecorder(r Recorder) Option {
	return func(c *config) { c.recorder, c.recordRequired = r, false }
}

// WithRequiredRecorder has every decision recorded before Decide returns it.
// When the recorder fails, Decide returns a *RecordError wrapping its error,
// and no decision: nothing is decided that the record does not show.
func WithRequiredRecorder(r Recorder) Option {
	return func(c *config) { c.recorder, c.recordRequired = r, true }
}

// A RecordError is a decision a required recorder failed to record; the
// decision was not returned.
type RecordError struct {
	DecisionID string
	Err        error
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("checkin: decision %s was not recorded, so it is not given: %v", e.DecisionID, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

// New loads and checks the default policy and any overlays, and prepares it
// for deciding. A policy that does not load is a *LoadError naming each
// file and line.
func New(ctx context.Context, opts ...Option) (*Engine, error) {
	e := &Engine{cfg: config{layers: []policy.Source{{Name: "rego", FS: rego.FS()}}, logger: slog.Default()}}
	for _, o := range opts {
		o(&e.cfg)
	}
	if err := checkCacheSize(&e.cfg); err != nil {
		return nil, err
	}
	if e.cfg.fleetConfig != nil {
		if err := e.startFleet(ctx); err != nil {
			return nil, err
		}
		return e, nil
	}
	p, err := e.build(ctx, e.cfg.layers)
	if err != nil {
		return nil, err
	}
	e.serve(p, e.cfg.layers)
	return e, nil
}

// serve makes p, built from layers, the policy deciding, with a cache of
// its own.
func (e *Engine) serve(p *policy.Policy, layers []policy.Source) {
	s := &serving{policy: p, layers: layers}
	if e.cfg.cacheSet {
		s.cache = newDecisionCache(p, e.cfg.cacheSize)
		if s.cache.fullTime != "" {
			e.cfg.logger.Info("checkin: the decision cache keys on the whole time of each request, which the policy reads",
				"revision", p.Revision(), "read_at", s.cache.fullTime)
		}
	}
	e.current.Store(s)
}

// build loads the policy from layers and checks it before it may decide
// anything: strict compilation against the request's schema, the shape of
// every profile, and each overlay's own Rego tests and scenario files. The
// default policy's own tests run in its test suite.
func (e *Engine) build(ctx context.Context, layers []policy.Source) (*policy.Policy, error) {
	p, err := policy.Load(ctx, policy.Options{
		Query:       query,
		Open:        []string{"overlay"},
		InputSchema: inputSchema,
		Overlay:     overlayBounds,
		Merge:       profileMerges,
		Derive: func(docs []policy.Document) (map[string]any, []policy.Problem) {
			return deriveProfiles(docs, e.cfg.language)
		},
		Inspect: checkOverlayRules,
	}, layers...)
	if err != nil {
		return nil, loadError(err)
	}
	if len(layers) == 1 {
		return p, nil
	}
	var problems []PolicyProblem
	results, err := p.TestLayers(ctx, 1)
	if err != nil {
		return nil, err
	}
	for _, r := range results {
		if !r.Pass && !r.Skip {
			problems = append(problems, PolicyProblem{File: r.File, Line: r.Line, Code: "rego_test_failure",
				Message: strings.TrimSpace(fmt.Sprintf("%s.%s: %s %s", r.Package, r.Name, r.Message, r.Output))})
		}
	}
	candidate := &Engine{cfg: config{layers: layers, logger: e.cfg.logger}} // checks are not recorded
	candidate.current.Store(&serving{policy: p, layers: layers})
	for n, layer := range layers[1:] {
		checked := p.LayerFS(n + 1) // the scenario files as the policy read and checked them
		if _, err := fs.Stat(checked, "scenarios"); err != nil {
			continue
		}
		cases, err := scenarios.Load(checked, "scenarios")
		if err != nil {
			problems = append(problems, PolicyProblem{File: layer.Name + "/scenarios", Code: "scenario_error", Message: err.Error()})
			continue
		}
		for _, c := range cases {
			for _, f := range scenarios.Check(c, decideScenarios(ctx, candidate)) {
				problems = append(problems, PolicyProblem{File: layer.Name + "/" + c.File, Code: "scenario_failure", Message: f.String()})
			}
		}
	}
	if len(problems) > 0 {
		return nil, &LoadError{Problems: problems}
	}
	return p, nil
}

// Revision identifies the policy the engine decides on: a hash of its
// sources, and the revision of the bundle it came from on a bundle-fed
// engine; "" before a bundle-fed engine's first bundle.
func (e *Engine) Revision() string {
	if s := e.current.Load(); s != nil {
		return s.policy.Revision()
	}
	return ""
}

// Decide answers a request. An invalid request is a *ValidationError listing
// every problem, and nothing is decided; any other error means the decision
// could not be made (a cancelled context, a broken policy, a required
// recorder's failure: a *RecordError), never a refusal; on a bundle-fed
// engine with no bundle active yet, ErrNotReady.
func (e *Engine) Decide(ctx context.Context, req Request) (Decision, error) {
	s, err := e.serving()
	if err != nil {
		return Decision{}, err
	}
	var d Decision
	var cached bool
	if s.cache != nil {
		d, cached, err = e.decideCached(ctx, s.cache, &req)
	} else {
		d, err = e.decide(ctx, s.policy, &req)
	}
	logs := e.fleet != nil && e.fleet.logs != nil
	if err != nil || (e.cfg.recorder == nil && !logs) {
		return d, err
	}
	rec := Record{ID: decisionID(ctx), Time: time.Now().UTC(), Revision: d.Policy.Revision, Request: req, Decision: d,
		Cached: cached}
	if logs {
		e.fleet.logDecision(ctx, rec)
	}
	if e.cfg.recorder == nil {
		return d, nil
	}
	if err := e.cfg.recorder.Record(ctx, rec); err != nil {
		if e.cfg.recordRequired {
			return Decision{}, &RecordError{DecisionID: rec.ID, Err: err}
		}
		e.cfg.logger.ErrorContext(ctx, "checkin: recording a decision failed; the decision stands",
			"decision_id", rec.ID, "error", err)
	}
	return d, nil
}

func (e *Engine) decide(ctx context.Context, p *policy.Policy, req *Request) (Decision, error) {
	if err := validRequest(p, req); err != nil {
		return Decision{}, err
	}
	return evaluate(ctx, p, req.inputValue())
}

// decideCached decides on the cache's policy, from the cache when it holds
// the answer, and reports which.
func (e *Engine) decideCached(ctx context.Context, c *decisionCache, req *Request) (Decision, bool, error) {
	if err := validRequest(c.policy, req); err != nil {
		return Decision{}, false, err
	}
	if err := ctx.Err(); err != nil {
		return Decision{}, false, fmt.Errorf("checkin: %w", err) // as an evaluation would fail
	}
	key := c.key(req)
	if d, ok := c.get(key); ok {
		e.counters.hits.Add(1)
		return d, true, nil
	}
	e.counters.misses.Add(1)
	d, err := evaluate(ctx, c.policy, req.inputValue())
	if err != nil {
		return Decision{}, false, err
	}
	c.put(key, d)
	return d, false, nil
}

func validRequest(p *policy.Policy, req *Request) error {
	if err := req.Validate(); err != nil {
		return err
	}
	return checkPractice(p, req.Practice)
}

func evaluate(ctx context.Context, p *policy.Policy, input ast.Value) (Decision, error) {
	v, err := p.Eval(ctx, input)
	if err != nil {
		if errors.Is(err, policy.ErrUndefined) {
			return Decision{}, fmt.Errorf("checkin: policy %s gave no decision", p.Revision())
		}
		return Decision{}, err
	}
	d, err := decisionFrom(v)
	if err != nil {
		return Decision{}, err
	}
	d.Policy.Revision = p.Revision()
	return d, nil
}

// checkPractice reports a practice the policy has no profile for.
func checkPractice(p *policy.Policy, practice string) error {
	if practice == "" {
		return nil
	}
	profiles, _ := p.Data()["practices"].(map[string]any)
	if _, ok := profiles[practice]; !ok {
		return &ValidationError{Problems: []Problem{{Field: "practice", Problem: fmt.Sprintf("%q is not a practice profile", practice)}}}
	}
	return nil
}

package checkin

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/download"
	"github.com/open-policy-agent/opa/v1/logging"
	"github.com/open-policy-agent/opa/v1/metrics"
	"github.com/open-policy-agent/opa/v1/plugins"
	bundleplugin "github.com/open-policy-agent/opa/v1/plugins/bundle"
	"github.com/open-policy-agent/opa/v1/plugins/logs"
	"github.com/open-policy-agent/opa/v1/sdk"
	"github.com/open-policy-agent/opa/v1/server"
	"github.com/open-policy-agent/opa/v1/util"

	"github.com/frontdesk-policy/frontdesk/policy"
	"github.com/frontdesk-policy/frontdesk/rego"
)

// ErrNotReady is what Decide returns on a bundle-fed engine before its
// first bundle is active: no decision is made on no policy.
var ErrNotReady = errors.New("checkin: policy not ready: no bundle has been activated yet")

// WithBundleService has the engine take its policy from a bundle service and,
// when the configuration says so, send every decision to a decision-log
// service, through OPA's own machinery. config is an OPA configuration
// (JSON or YAML) with OPA's keys: services, keys, bundles (exactly one, with
// signing: a desk runs no policy nobody signed), decision_logs, labels and
// status. The README's "A group of clinics" section shows one.
//
// The engine downloads bundles with OPA's bundle downloader (polling, long
// polling, ETags, size limits, the signature check), then checks each
// bundle as New checks overlays before it decides anything on it; a bundle
// that fails is refused, reported (the logger, PolicyStatus, the reload
// hook) and the last good policy keeps serving. Until a first bundle is
// active Decide returns ErrNotReady. A bundle-fed engine takes its
// overlays from the bundle only, so WithOverlay cannot be used with it.
//
// Decisions go to the collector through OPA's decision-log plugin, as the
// redacting recorder writes them (Redact), and the plugin applies the
// default policy's system.log mask to every event as well. Call Close to
// stop polling and upload what is buffered.
func WithBundleService(configuration []byte) Option {
	return func(c *config) { c.fleetConfig = bytes.Clone(configuration) }
}

// A PolicyStatus is the state of the engine's policy and of its decision
// logs, for a service to report.
type PolicyStatus struct {
	Ready    bool   `json:"ready"`              // a policy is serving
	Revision string `json:"revision,omitempty"` // the revision serving
	// Bundle is the configured bundle's name; empty for a local policy.
	Bundle string `json:"bundle,omitempty"`
	// LastRequest is when the bundle service was last asked, LastActivation
	// when a bundle last took over.
	LastRequest    time.Time `json:"last_request,omitzero"`
	LastActivation time.Time `json:"last_activation,omitzero"`
	// Error is why the last download or check failed, while it stands: the
	// policy serving is the last good one. Empty once a bundle activates or
	// the service confirms the one serving.
	Error   string    `json:"error,omitempty"`
	ErrorAt time.Time `json:"error_at,omitzero"`
	// DecisionLogs is the state of uploads to the collector, nil without.
	DecisionLogs *DecisionLogStatus `json:"decision_logs,omitempty"`
}

// A DecisionLogStatus is the state of decision-log uploads.
type DecisionLogStatus struct {
	Service string `json:"service"`
	// Buffer is the buffer's kind and Limit its bound, as configured
	// (decision_logs.reporting.buffer_type and buffer_size_limit_events or
	// buffer_size_limit_bytes): beyond it the oldest events are dropped.
	Buffer string `json:"buffer"`
	Limit  int64  `json:"limit"`
	// Buffered is how much waits to be uploaded: decisions for the event
	// buffer, bytes for the size buffer.
	Buffered int64 `json:"buffered"`
	// Dropped counts decisions dropped because the buffer was full.
	Dropped uint64 `json:"dropped"`
	// Error is the last upload failure while it stands; the events stay
	// buffered and are sent again.
	Error   string    `json:"error,omitempty"`
	ErrorAt time.Time `json:"error_at,omitzero"`
}

// decisionLogPath is the decision's path in decision-log events, as OPA's
// server would name a query of data.checkin.decision.
const decisionLogPath = "checkin/decision"

// A fleet is a bundle-fed engine's link to its services.
type fleet struct {
	opa        *sdk.OPA
	manager    *plugins.Manager
	bundleName string
	source     *bundleplugin.Source
	downloader *download.Downloader
	logs       *logs.Plugin // nil without decision_logs.service
	metrics    metrics.Metrics
	ready      chan struct{}
	readyOnce  sync.Once

	mu      sync.Mutex
	status  PolicyStatus
	logsErr struct {
		msg string
		at  time.Time
	}
	etag string   // of the bundle serving
	sum  [32]byte // its SHA-256: a server that sends no ETag sends it again every poll
}

// startFleet reads the configuration and starts OPA's plugins and the bundle
// downloader. The bundles key is read here, not by the SDK, so that OPA's
// bundle plugin does not activate a bundle the engine has not checked.
func (e *Engine) startFleet(ctx context.Context) error {
	var cfg map[string]any
	if err := util.Unmarshal(e.cfg.fleetConfig, &cfg); err != nil {
		return fmt.Errorf("checkin: the bundle service configuration: %w", err)
	}
	if len(e.cfg.layers) > 1 {
		return errors.New("checkin: a bundle-fed engine takes its overlays from its bundle: WithOverlay cannot be used with WithBundleService")
	}
	for _, key := range []string{"discovery", "bundle", "plugins", "persistence_directory"} {
		if _, ok := cfg[key]; ok {
			return fmt.Errorf("checkin: the bundle service configuration: %q is not supported: give services, keys, bundles, decision_logs, labels and status", key)
		}
	}
	bundles, err := json.Marshal(cfg["bundles"])
	if err != nil || cfg["bundles"] == nil {
		return errors.New(`checkin: the bundle service configuration has no "bundles"`)
	}
	delete(cfg, "bundles")
	boundDecisionLogs(cfg)
	rest, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	mask, err := maskBundle()
	if err != nil {
		return err
	}
	f := &fleet{ready: make(chan struct{}), metrics: metrics.New()}
	logger := &opaLogger{l: e.cfg.logger, fleet: f, level: logging.Info}
	f.opa, err = sdk.New(ctx, sdk.Options{
		Config: bytes.NewReader(rest),
		Logger: logger,
		ManagerOpts: []func(*plugins.Manager){
			func(m *plugins.Manager) { f.manager = m },
			plugins.InitBundles(map[string]*bundle.Bundle{"frontdesk-mask": mask}),
		},
	})
	if err != nil {
		return fmt.Errorf("checkin: the bundle service configuration: %w", err)
	}
	parsed, err := bundleplugin.NewConfigBuilder().WithBytes(bundles).WithServices(f.manager.Services()).
		WithKeyConfigs(f.manager.PublicKeys()).Parse()
	if err != nil {
		f.opa.Stop(ctx)
		return fmt.Errorf("checkin: the bundle service configuration: bundles: %w", err)
	}
	if err := f.configure(parsed); err != nil {
		f.opa.Stop(ctx)
		return err
	}
	if p := logs.Lookup(f.manager); p != nil && p.Config().Service != "" {
		f.logs = p.WithMetrics(f.metrics)
		r := p.Config().Reporting
		limit := r.BufferSizeLimitEvents
		if r.BufferType == "size" {
			limit = r.BufferSizeLimitBytes
		}
		f.status.DecisionLogs = &DecisionLogStatus{Service: p.Config().Service, Buffer: r.BufferType, Limit: *limit}
	}
	f.status.Bundle = f.bundleName
	f.downloader = download.New(f.source.Config, f.manager.Client(f.source.Service), f.source.Resource).
		WithCallback(func(ctx context.Context, u download.Update) error { return e.activate(ctx, u) }).
		WithBundleVerificationConfig(f.source.Signing).
		WithBundlePersistence(true). // hands the callback the raw bundle, which the engine reads itself
		WithBundleName(f.bundleName).
		WithBundleParserOpts(ast.ParserOptions{RegoVersion: ast.RegoV1})
	if f.source.SizeLimitBytes > 0 {
		f.downloader = f.downloader.WithSizeLimitBytes(f.source.SizeLimitBytes)
	}
	e.fleet = f
	f.downloader.Start(ctx)
	return nil
}

// boundDecisionLogs keeps the decision-log buffer bounded: OPA's default
// buffer grows without bound while the collector is down, so a
// configuration that sets no bound gets OPA's event buffer and its bound of
// 10,000 decisions.
func boundDecisionLogs(cfg map[string]any) {
	dl, ok := cfg["decision_logs"].(map[string]any)
	if !ok {
		return
	}
	reporting, ok := dl["reporting"].(map[string]any)
	if !ok {
		reporting = map[string]any{}
		dl["reporting"] = reporting
	}
	if kind, _ := reporting["buffer_type"].(string); kind == "" || kind == "size" && reporting["buffer_size_limit_bytes"] == nil {
		reporting["buffer_type"] = "event"
	}
}

// configure takes the one bundle of the configuration, which must be signed.
func (f *fleet) configure(parsed *bundleplugin.Config) error {
	if len(parsed.Bundles) != 1 {
		return fmt.Errorf("checkin: the bundle service configuration names %d bundles: a desk takes exactly one", len(parsed.Bundles))
	}
	for name, src := range parsed.Bundles {
		if src.Signing == nil {
			return fmt.Errorf("checkin: bundles.%s has no signing: a desk runs no policy nobody signed (give signing.keyid and the key under keys)", name)
		}
		if src.Persist {
			return fmt.Errorf("checkin: bundles.%s: persist is not supported: a desk starts from its bundle service", name)
		}
		f.bundleName, f.source = name, src
	}
	return nil
}

// maskBundle holds the default policy's decision-log mask, for OPA's
// decision-log plugin: the mask a desk applies is always its own release's,
// whatever a bundle holds (a bundle's default layer must equal it anyway).
func maskBundle() (*bundle.Bundle, error) {
	const file = "system/log/mask.rego"
	src, err := fs.ReadFile(rego.FS(), file)
	if err != nil {
		return nil, err
	}
	m, err := ast.ParseModuleWithOpts(file, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
	if err != nil {
		return nil, err
	}
	roots := []string{"system/log"}
	return &bundle.Bundle{
		Manifest: bundle.Manifest{Revision: "mask", Roots: &roots},
		Modules:  []bundle.ModuleFile{{URL: file, Path: file, Raw: src, Parsed: m}},
		Data:     map[string]any{},
	}, nil
}

// activate is the downloader's callback: it checks a downloaded bundle and
// makes it the policy serving, or refuses it and keeps the last good one.
func (e *Engine) activate(ctx context.Context, u download.Update) error {
	e.reloadMu.Lock()
	defer e.reloadMu.Unlock()
	f := e.fleet
	err := f.take(ctx, e, u)
	f.mu.Lock()
	f.status.LastRequest = time.Now().UTC()
	switch {
	case err != nil:
		f.status.Error, f.status.ErrorAt = err.Error(), f.status.LastRequest
	case u.Bundle != nil || u.Error == nil:
		f.status.Error, f.status.ErrorAt = "", time.Time{}
	}
	f.mu.Unlock()
	if e.cfg.onReload != nil && (err != nil || u.Bundle != nil) {
		e.cfg.onReload(ctx, e.Revision(), err)
	}
	return err
}

func (f *fleet) take(ctx context.Context, e *Engine, u download.Update) error {
	serving := e.Revision()
	if u.Error != nil {
		err := &BundleError{Bundle: f.bundleName, Err: u.Error}
		e.cfg.logger.ErrorContext(ctx, "checkin: bundle download failed; the last good policy keeps serving",
			"bundle", f.bundleName, "revision", serving, "error", u.Error)
		return err
	}
	if u.Bundle == nil {
		return nil // not modified
	}
	if u.Raw == nil {
		return &BundleError{Bundle: f.bundleName, Err: errors.New("the downloader gave no bundle bytes")}
	}
	raw, err := io.ReadAll(io.LimitReader(u.Raw, bundleMaxBytes+1))
	if err != nil {
		return &BundleError{Bundle: f.bundleName, Err: err}
	}
	sum := sha256.Sum256(raw)
	if serving != "" && sum == f.sum {
		f.etag = u.ETag
		return nil // the bundle serving, sent again
	}
	p, layers, err := e.checkBundle(ctx, raw)
	if err != nil {
		f.downloader.SetCache(f.etag) // download it again next time, and fail again, rather than take it as current
		e.cfg.logger.ErrorContext(ctx, "checkin: bundle refused; the last good policy keeps serving",
			"bundle", f.bundleName, "revision", serving, "error", err)
		return &BundleError{Bundle: f.bundleName, Err: err}
	}
	f.etag, f.sum = u.ETag, sum
	e.serve(p, layers)
	f.mu.Lock()
	f.status.LastActivation = time.Now().UTC()
	f.mu.Unlock()
	f.readyOnce.Do(func() { close(f.ready) })
	e.cfg.logger.InfoContext(ctx, "checkin: bundle activated", "bundle", f.bundleName, "revision", p.Revision(),
		"previous", serving)
	return nil
}

// checkBundle reads a downloaded bundle's layers and builds the policy from
// them with every check New makes, and holds the manifest's revision to the
// revision of what it holds.
func (e *Engine) checkBundle(ctx context.Context, raw []byte) (*policy.Policy, []policy.Source, error) {
	layers, revision, err := readBundle(raw, e.fleet.source.Signing)
	if err != nil {
		return nil, nil, err
	}
	p, err := e.build(ctx, layers)
	if err != nil {
		return nil, nil, err
	}
	if p.Revision() != revision {
		return nil, nil, fmt.Errorf("its manifest says revision %q, but it holds revision %q", revision, p.Revision())
	}
	return p, layers, nil
}

// logDecision hands a decision to OPA's decision-log plugin, redacted.
func (f *fleet) logDecision(ctx context.Context, rec Record) {
	r := Redact(rec)
	input, err := asJSON(r.Request)
	if err == nil {
		var result any
		if result, err = asJSON(r.Decision); err == nil {
			err = f.logs.Log(ctx, &server.Info{
				DecisionID: rec.ID,
				Timestamp:  rec.Time,
				Path:       decisionLogPath,
				Input:      &input,
				Results:    &result,
				Bundles:    map[string]server.BundleInfo{f.bundleName: {Revision: rec.Revision}},
				Custom:     map[string]any{"cached": rec.Cached},
			})
		}
	}
	if err != nil {
		f.logsError(err.Error())
	}
}

// asJSON is v as OPA's plugins take values: JSON's own types.
func asJSON(v any) (any, error) {
	bs, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	return out, util.UnmarshalJSON(bs, &out)
}

// logsError keeps the last decision-log failure; "" clears it.
func (f *fleet) logsError(msg string) {
	at := time.Now().UTC()
	if msg == "" {
		at = time.Time{}
	}
	f.mu.Lock()
	f.logsErr.msg, f.logsErr.at = msg, at
	f.mu.Unlock()
}

// PolicyStatus reports the state of the policy serving and, on a bundle-fed
// engine, of the bundle service and the decision logs.
func (e *Engine) PolicyStatus() PolicyStatus {
	f := e.fleet
	if f == nil {
		return PolicyStatus{Ready: true, Revision: e.Revision()}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.status
	s.Revision = e.Revision()
	s.Ready = s.Revision != ""
	if s.DecisionLogs != nil {
		dl := *s.DecisionLogs
		dl.Dropped = counter(f.metrics, "decision_logs_dropped_buffer_size_limit_exceeded")
		_, dl.Buffered = f.logs.BufferSize()
		dl.Error, dl.ErrorAt = f.logsErr.msg, f.logsErr.at
		s.DecisionLogs = &dl
	}
	return s
}

func counter(m metrics.Metrics, name string) uint64 {
	v, _ := m.All()["counter_"+name].(uint64)
	return v
}

// Ready is closed once the engine has a policy to decide on: at once for a
// local policy, at the first bundle activated for a bundle-fed one.
func (e *Engine) Ready() <-chan struct{} {
	if e.fleet == nil {
		return closed
	}
	return e.fleet.ready
}

var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// Close stops a bundle-fed engine's polling and uploads the decisions still
// buffered, within ctx, then stops OPA's plugins. Decide may not be called
// after. It does nothing for a local engine.
func (e *Engine) Close(ctx context.Context) error {
	f := e.fleet
	if f == nil {
		return nil
	}
	f.downloader.Stop(ctx)
	err := e.FlushDecisionLogs(ctx)
	f.opa.Stop(ctx)
	return err
}

// FlushDecisionLogs uploads the decisions buffered for the collector now,
// rather than when decision_logs.reporting says; an error means they stay
// buffered, within its bound, for the next upload.
func (e *Engine) FlushDecisionLogs(ctx context.Context) error {
	if e.fleet == nil || e.fleet.logs == nil {
		return nil
	}
	err := e.fleet.logs.Trigger(ctx)
	if err != nil {
		e.fleet.logsError(err.Error())
	} else {
		e.fleet.logsError("")
	}
	return err
}

// opaLogger passes OPA's log lines to the engine's logger, and keeps the
// decision-log plugin's errors for PolicyStatus.
type opaLogger struct {
	l      *slog.Logger
	fields map[string]any
	level  logging.Level
	fleet  *fleet
}

func (o *opaLogger) log(level slog.Level, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if level == slog.LevelError && o.fields["plugin"] == logs.Name {
		o.fleet.logsError(msg)
	}
	attrs := make([]any, 0, 2*len(o.fields)+2)
	attrs = append(attrs, "component", "opa")
	for k, v := range o.fields {
		attrs = append(attrs, k, v)
	}
	o.l.Log(context.Background(), level, "checkin: opa: "+msg, attrs...)
}

func (o *opaLogger) Debug(format string, args ...any) {
	if o.level >= logging.Debug {
		o.log(slog.LevelDebug, format, args...)
	}
}
func (o *opaLogger) Info(format string, args ...any)  { o.log(slog.LevelInfo, format, args...) }
func (o *opaLogger) Warn(format string, args ...any)  { o.log(slog.LevelWarn, format, args...) }
func (o *opaLogger) Error(format string, args ...any) { o.log(slog.LevelError, format, args...) }
func (o *opaLogger) GetLevel() logging.Level          { return o.level }
func (o *opaLogger) SetLevel(l logging.Level)         { o.level = l }

func (o *opaLogger) WithFields(fields map[string]any) logging.Logger {
	merged := make(map[string]any, len(o.fields)+len(fields))
	for k, v := range o.fields {
		merged[k] = v
	}
	for k, v := range fields {
		merged[k] = v
	}
	return &opaLogger{l: o.l, fields: merged, level: o.level, fleet: o.fleet}
}

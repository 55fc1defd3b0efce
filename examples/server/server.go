package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// decideTimeout bounds one decision; a decision takes milliseconds.
const decideTimeout = 10 * time.Second

// server is the decision service: an engine, the files it records to, and
// its routes.
type server struct {
	cfg      config
	log      *slog.Logger
	engine   atomic.Pointer[checkin.Engine] // nil until the policy is loaded
	stopping atomic.Bool                    // set when shutdown begins
	records  *jsonlFile                     // nil without -record
	feedback *jsonlFile                     // nil without -feedback or -record
	inflight sync.WaitGroup                 // handlers running
	// publicURL is the service's URL as its clients reach it, for the
	// links of cards: -public-url, or the address listened on.
	publicURL atomic.Value

	statusMu   sync.Mutex // guards lastReload
	lastReload reloadStatus

	replayMu   sync.Mutex      // guards replaying
	replaying  *checkin.Engine // the policy serving, recording nothing, for /report?replay=1
	replaySlot sync.Mutex      // held by the one replay running

	openapi []byte
}

// reloadStatus is how the last load or reload of the policy went.
type reloadStatus struct {
	Time     time.Time `json:"time"`
	Revision string    `json:"revision"`
	Error    string    `json:"error,omitempty"`
	Problems []string  `json:"problems,omitempty"`
}

// newServer opens the record files; load then loads the policy.
func newServer(cfg config, logger *slog.Logger) (*server, error) {
	doc, err := openAPIDocument()
	if err != nil {
		return nil, err
	}
	s := &server{cfg: cfg, log: logger, openapi: doc}
	s.publicURL.Store(cfg.publicURL)
	if cfg.record != "" {
		if s.records, err = openJSONL(cfg.record, cfg.sync); err != nil {
			return nil, err
		}
	}
	if cfg.feedback != "" {
		if s.feedback, err = openJSONL(cfg.feedback, cfg.sync); err != nil {
			return nil, errors.Join(err, s.close())
		}
	}
	return s, nil
}

// listening sets the public URL from the address listened on, unless
// -public-url set it.
func (s *server) listening(addr net.Addr) {
	if s.cfg.publicURL == "" {
		s.publicURL.Store("http://" + addr.String())
	}
}

// load builds the engine on the default policy and the overlays.
func (s *server) load(ctx context.Context) error {
	opts := append(s.policyOptions(), checkin.WithLogger(s.log), checkin.WithReloadHook(s.reloaded))
	if s.cfg.bundles != "" {
		config, err := os.ReadFile(s.cfg.bundles)
		if err != nil {
			return fmt.Errorf("-config: %w", err)
		}
		opts = append(opts, checkin.WithBundleService(config))
	}
	if s.records != nil {
		opts = append(opts, checkin.WithRequiredRecorder(checkin.NewJSONLRecorder(s.records, nil)))
	}
	if s.cfg.cache > 0 {
		opts = append(opts, checkin.WithDecisionCache(s.cfg.cache))
	}
	engine, err := checkin.New(ctx, opts...)
	if err != nil {
		return err
	}
	s.engine.Store(engine)
	s.setReloadStatus(reloadStatus{Time: time.Now().UTC(), Revision: engine.Revision()})
	return nil
}

// policyOptions are the options that make the policy: the overlays and the language.
func (s *server) policyOptions() []checkin.Option {
	var opts []checkin.Option
	for _, dir := range s.cfg.overlays {
		opts = append(opts, checkin.WithOverlayDir(dir))
	}
	if s.cfg.lang != "" {
		opts = append(opts, checkin.WithLanguage(s.cfg.lang))
	}
	return opts
}

// reload rebuilds the policy from the overlays; on failure the last good
// policy keeps serving, and reloaded (the engine's reload hook) logs every
// problem and keeps them for /v1/policy.
func (s *server) reload(ctx context.Context) error {
	engine := s.engine.Load()
	if engine == nil {
		return errors.New("the policy is not loaded yet")
	}
	return engine.Reload(ctx)
}

// reloaded is called by the engine after every reload, by SIGHUP or -watch.
func (s *server) reloaded(ctx context.Context, revision string, err error) {
	status := reloadStatus{Time: time.Now().UTC(), Revision: revision}
	if err != nil {
		logLoadError(ctx, s.log, "reload failed; the last good policy keeps serving", err)
		status.Error = err.Error()
		var load *checkin.LoadError
		if errors.As(err, &load) {
			for _, p := range load.Problems {
				status.Problems = append(status.Problems, p.String())
			}
		}
	} else {
		s.log.InfoContext(ctx, "policy reloaded", "revision", status.Revision)
	}
	s.setReloadStatus(status)
}

func (s *server) setReloadStatus(status reloadStatus) {
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	s.lastReload = status
}

func (s *server) reloadStatus() reloadStatus {
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	return s.lastReload
}

// watch reloads the policy whenever the overlays' files change, looking
// every interval, until ctx is done.
func (s *server) watch(ctx context.Context, interval time.Duration) {
	if engine := s.engine.Load(); engine != nil {
		engine.Watch(ctx, interval)
	}
}

// logLoadError logs a policy that failed to load, one line per problem
// with its file and line.
func logLoadError(ctx context.Context, logger *slog.Logger, msg string, err error) {
	var load *checkin.LoadError
	if !errors.As(err, &load) {
		logger.ErrorContext(ctx, msg, "error", err.Error())
		return
	}
	for _, p := range load.Problems {
		logger.ErrorContext(ctx, msg, "file", p.File, "line", p.Line, "code", p.Code, "problem", p.Message)
	}
}

// close syncs and closes the record files.
func (s *server) close() error {
	var errs []error
	if s.records != nil {
		errs = append(errs, s.records.close())
	}
	if s.feedback != nil {
		errs = append(errs, s.feedback.close())
	}
	return errors.Join(errs...)
}

// httpServer is the HTTP server for the handler, with every timeout set:
// a slow client cannot hold a connection or a handler for long.
func (s *server) httpServer() *http.Server {
	return &http.Server{
		Handler:           s.handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// A route is one pattern of the service and its handler.
type route struct {
	pattern string // as http.ServeMux reads it: "METHOD /path"
	handler http.HandlerFunc
}

// routes lists every route; openapi.json documents each (a test holds them
// to it).
func (s *server) routes() []route {
	return []route{
		{"GET /health/live", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, map[string]string{"status": "live"})
		}},
		{"GET /health/ready", s.ready},
		{"GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(s.openapi)
		}},
		{"POST /v1/decisions", s.withEngine(s.decide)},
		{"POST /v1/decisions/fhir", s.withEngine(s.decideFHIR)},
		{"GET /v1/jurisdictions", s.withEngine(s.jurisdictions)},
		{"GET /v1/policy", s.withEngine(s.policy)},
		{"GET /cds-services", s.discovery},
		{"GET /{$}", s.withEngine(s.casePage)},
		{"GET /assets/{name}", s.asset},
		{"POST /v1/explanations", s.withEngine(s.explain)},
		{"POST /v1/stories", s.withEngine(s.saveStory)},
		{"GET /report", s.withEngine(s.reportPage)},
		{"GET /v1/report", s.withEngine(s.reportJSON)},
		{"POST /cds-services/" + serviceID, s.withEngine(s.hook)},
		{"POST /cds-services/" + serviceID + "/feedback", s.cdsFeedback},
	}
}

// handler routes requests, logging each once.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range s.routes() {
		mux.HandleFunc(r.pattern, r.handler)
	}
	return s.accessLog(routeErrors(mux))
}

// ready answers 200 while a policy is loaded and serving, 503 while the
// service starts or shuts down.
func (s *server) ready(w http.ResponseWriter, r *http.Request) {
	engine := s.engine.Load()
	switch {
	case s.stopping.Load():
		writeError(w, http.StatusServiceUnavailable, "unavailable", "shutting down")
	case engine == nil:
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the policy is loading")
	case !engine.PolicyStatus().Ready:
		writeError(w, http.StatusServiceUnavailable, "unavailable", "waiting for the first bundle from the bundle service")
	default:
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "revision": engine.Revision()})
	}
}

// withEngine answers 503 until the policy is loaded (with -config, until
// the first bundle is active); GET /v1/policy answers as soon as the engine
// exists, to say what it waits for.
func (s *server) withEngine(h func(http.ResponseWriter, *http.Request, *checkin.Engine)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		engine := s.engine.Load()
		waiting := engine != nil && r.URL.Path != "/v1/policy" && !engine.PolicyStatus().Ready
		if engine == nil || waiting {
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusServiceUnavailable, "unavailable", "the policy is loading")
			return
		}
		h(w, r, engine)
	}
}

// routeErrors answers an unknown path 404 and a wrong method 405 (with
// Allow) in JSON, as every other error is, where ServeMux writes text.
func routeErrors(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r) // which sets the path's wildcards, as Handler does not
			return
		}
		probe := &statusProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		switch probe.status {
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", probe.header.Get("Allow"))
			writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
				fmt.Sprintf("%s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, probe.header.Get("Allow")))
		case http.StatusNotFound:
			writeError(w, http.StatusNotFound, "not_found", fmt.Sprintf("no route %s", r.URL.Path))
		default: // a redirect ServeMux makes to clean a path
			for k, v := range probe.header {
				w.Header()[k] = v
			}
			w.WriteHeader(probe.status)
		}
	})
}

// statusProbe records what ServeMux's own 404, 405 or redirect handler
// would answer, without its text body.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header         { return p.header }
func (p *statusProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *statusProbe) WriteHeader(status int)      { p.status = status }

// requestLog is what a handler tells the access log about its request.
type requestLog struct{ decisionID string }

type requestLogKey struct{}

// noteDecision names the decision a request was answered with, for the access log.
func noteDecision(r *http.Request, id string) {
	if l, ok := r.Context().Value(requestLogKey{}).(*requestLog); ok {
		l.decisionID = id
	}
}

// accessLog logs each request once: never its body, so never a name.
func (s *server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.inflight.Add(1)
		defer s.inflight.Done()
		start := time.Now()
		note := &requestLog{}
		rw := &loggingWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rw, r.WithContext(context.WithValue(r.Context(), requestLogKey{}, note)))
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rw.status),
			slog.Int64("bytes", rw.bytes),
			slog.Duration("duration", time.Since(start)),
			slog.String("remote", r.RemoteAddr),
		}
		if note.decisionID != "" {
			attrs = append(attrs, slog.String("decision_id", note.decisionID))
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

type loggingWriter struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (w *loggingWriter) WriteHeader(status int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *loggingWriter) Write(b []byte) (int, error) {
	w.wroteHeader = true
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *loggingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// An apiError is the body of every error but an invalid request's, in
// OPA's form.
type apiError struct {
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Errors  []string `json:"errors,omitempty"`
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, apiError{Code: code, Message: message})
}

// invalidRequest is the body of 400 for a request that is not the
// contract's: the problems as checkin decide prints them.
type invalidRequest struct {
	Code     string            `json:"code"`
	Message  string            `json:"message"`
	Outcome  checkin.Outcome   `json:"outcome"`
	Problems []checkin.Problem `json:"problems"`
}

func writeInvalid(w http.ResponseWriter, v *checkin.ValidationError) {
	problems := v.Problems
	if problems == nil {
		problems = []checkin.Problem{}
	}
	writeJSON(w, http.StatusBadRequest, invalidRequest{
		Code:     "invalid_request",
		Message:  fmt.Sprintf("the request is not the contract's, so nothing is decided: %d problems", len(problems)),
		Outcome:  checkin.Invalid,
		Problems: problems,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeBody(w, status, "application/json", v)
}

func writeBody(w http.ResponseWriter, status int, contentType string, v any) {
	body, err := json.Marshal(v)
	if err != nil { // only types of this package are written
		status, contentType = http.StatusInternalServerError, "application/json"
		body, _ = json.Marshal(apiError{Code: "internal_error", Message: "the answer could not be written"})
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// readBody reads a POST's body once its Content-Type is one of types
// (parameters aside, but for a charset other than UTF-8), answering 415 or
// 413 itself; ok is false when it has answered.
func (s *server) readBody(w http.ResponseWriter, r *http.Request, types ...string) (body []byte, ok bool) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	accepted := err == nil
	if accepted {
		accepted = false
		for _, t := range types {
			accepted = accepted || strings.EqualFold(mediaType, t)
		}
		if cs, has := params["charset"]; has && !strings.EqualFold(cs, "utf-8") {
			accepted = false
		}
	}
	if !accepted {
		writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type",
			fmt.Sprintf("Content-Type %q: send %s", r.Header.Get("Content-Type"), strings.Join(types, " or ")))
		return nil, false
	}
	body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.maxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("the body is over %d bytes", tooLarge.Limit))
		return nil, false
	case err != nil:
		writeError(w, http.StatusBadRequest, "unreadable_body", "the body could not be read: "+err.Error())
		return nil, false
	}
	return body, true
}

// contextWithDecideTimeout is the request's context, bounded as a decision is.
func contextWithDecideTimeout(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), decideTimeout)
}

// decideOrFail decides req under a fresh decision id, which the record
// carries too. It answers the errors that are not the request's fault itself
// (ok false); an invalid request is returned for the route to answer its way.
func (s *server) decideOrFail(w http.ResponseWriter, r *http.Request, engine *checkin.Engine, req checkin.Request) (d checkin.Decision, id string, invalid *checkin.ValidationError, ok bool) {
	id = checkin.NewDecisionID()
	ctx, cancel := context.WithTimeout(checkin.ContextWithDecisionID(r.Context(), id), decideTimeout)
	defer cancel()
	d, err := engine.Decide(ctx, req)
	var notRecorded *checkin.RecordError
	switch {
	case err == nil:
		noteDecision(r, id)
		return d, id, nil, true
	case errors.As(err, &invalid):
		return d, "", invalid, true
	case errors.As(err, &notRecorded):
		s.log.ErrorContext(r.Context(), "a decision was not recorded, so it is not given",
			"decision_id", id, "error", notRecorded.Err.Error())
		writeError(w, http.StatusInternalServerError, "not_recorded",
			"the decision could not be recorded, so it is not given")
	case r.Context().Err() != nil: // the client went away or the server is closing
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the request was cancelled before it was decided")
	default:
		s.log.ErrorContext(r.Context(), "decision failed", "error", err.Error())
		writeError(w, http.StatusInternalServerError, "internal_error", "the decision could not be made")
	}
	return d, "", nil, false
}

// jsonlFile is a file of JSON lines, appended to; with sync each write is
// synced to disk before it returns.
type jsonlFile struct {
	mu   sync.Mutex
	f    *os.File
	sync bool
}

func openJSONL(name string, sync bool) (*jsonlFile, error) {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_APPEND|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := endLine(f); err != nil {
		return nil, errors.Join(fmt.Errorf("%s: %w", name, err), f.Close())
	}
	return &jsonlFile{f: f, sync: sync}, nil
}

// endLine ends a file's last line if a crash left it torn, so the first
// record written now starts a line of its own rather than joining the
// torn one (which a report then leaves out, alone).
func endLine(f *os.File) error {
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, info.Size()-1); err != nil {
		return err
	}
	if last[0] == '\n' {
		return nil
	}
	_, err = f.Write([]byte{'\n'})
	return err
}

// Write writes one or more whole lines in one write, so lines of
// concurrent writers never interleave.
func (j *jsonlFile) Write(b []byte) (int, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	n, err := j.f.Write(b)
	if err == nil && j.sync {
		err = j.f.Sync()
	}
	return n, err
}

func (j *jsonlFile) writeLine(v any) error {
	line, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = j.Write(append(line, '\n'))
	return err
}

func (j *jsonlFile) close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	var err error
	if info, statErr := j.f.Stat(); statErr != nil {
		err = statErr
	} else if info.Mode().IsRegular() { // a pipe or device cannot be synced
		err = j.f.Sync()
	}
	return errors.Join(err, j.f.Close())
}

// Command server is frontdesk's decision service: it answers check-in
// requests over HTTP, as the contract's JSON, as FHIR resources, or as a
// CDS Hooks 2.0 service an EHR calls when an encounter starts; and it serves
// a page where staff try a case and a report of what the desk decided.
//
// Usage:
//
//	server [-addr HOST:PORT] [-public-url URL] [-policy DIR]... [-record FILE] [-feedback FILE] [-sync]
//	       [-cache N] [-watch DURATION] [-lang LANG] [-stories DIR] [-max-body BYTES] [-shutdown-grace DURATION]
//
// It prints "listening on ADDR" once it accepts connections (with -addr
// 127.0.0.1:0, the port the system chose), loads the embedded default
// policy with the overlays given by -policy (repeatable, applied in order),
// and is ready (GET /health/ready) once the policy is loaded.
//
// # Routes
//
//	GET  /                                  the case page: try a case, read the answer, save it as a story
//	GET  /report                            what the desk decided in a period, over the -record file
//	POST /v1/decisions                      the contract's request JSON -> {"decision_id", "result": decision}
//	POST /v1/explanations                   the contract's request JSON -> {"result": explanation}, not recorded
//	POST /v1/stories                        a case and the answer staff expected -> a scenario-file entry
//	GET  /v1/report                         the report as JSON (?since=DATE&until=DATE&replay=1)
//	POST /v1/decisions/fhir                 {"bundle": FHIR Bundle, ...desk facts} -> {"decision_id", "result": decision}
//	GET  /v1/jurisdictions                  {"jurisdictions": [...]}: the profiles with their sources
//	GET  /v1/policy                         revision, overlays, amended profiles, cache, last reload
//	GET  /cds-services                      CDS Hooks discovery
//	POST /cds-services/frontdesk-check-in   CDS Hooks call on encounter-start -> {"cards": [...]}
//	POST /cds-services/frontdesk-check-in/feedback   what the clinician did with the cards
//	GET  /assets/{name}                     the page's stylesheet and script
//	GET  /openapi.json                      the OpenAPI 3.1 document of every route
//	GET  /health/live, /health/ready        liveness, readiness
//
// A decision answers as OPA's REST API does, {"decision_id": "...", "result":
// {...}}, the result being the decision as checkin decide prints it; the
// decision id is also the id of its record and the uuid of its CDS Hooks card,
// so feedback on a card leads to the decision it was about. Errors are JSON,
// {"code": "...", "message": "..."} as OPA's are. A request that is not the
// contract's answers 400 with {"code": "invalid_request", "outcome":
// "invalid", "problems": [{"field", "problem"}]}, the problems as checkin
// decide prints them; on the FHIR route, 400 with a FHIR OperationOutcome
// (application/fhir+json). A body over -max-body is 413; a POST whose
// Content-Type is not application/json (or application/fhir+json on the FHIR
// route) is 415; an unknown path 404 and a wrong method 405 with Allow.
//
// For example, from the repository's root:
//
//	go run ./examples/server -record decisions.jsonl
//	curl -s -H 'Content-Type: application/json' --data-binary @examples/server/testdata/decision.json http://127.0.0.1:8080/v1/decisions
//	curl -s -H 'Content-Type: application/fhir+json' --data-binary @examples/server/testdata/fhir-checkin.json http://127.0.0.1:8080/v1/decisions/fhir
//	curl -s http://127.0.0.1:8080/cds-services
//	curl -s -H 'Content-Type: application/json' --data-binary @examples/server/testdata/cds-request.json http://127.0.0.1:8080/cds-services/frontdesk-check-in
//	curl -s -H 'Content-Type: application/json' --data-binary @examples/server/testdata/cds-feedback.json http://127.0.0.1:8080/cds-services/frontdesk-check-in/feedback
//	curl -s http://127.0.0.1:8080/v1/policy
//
// # The case page, stories and the report
//
// GET / is a page, in the language of -lang (en or es), where a clerk or a
// compliance officer fills in a visit in the clerk's words (or pastes a
// request's JSON) and reads the answer as the desk will: per action the
// verdict in colour and in words, the basis, the reasons, what to do first
// and what would make it a yes, then the visit's obligations and notices,
// and, on request, the explanation rule by rule. Its "link to this case"
// carries the request in the URL's fragment, which a browser never sends.
// The page is HTML, CSS and a script embedded in the binary, served with a
// Content-Security-Policy allowing only the service: it works offline.
// Decisions made on the page are decided and recorded like any other.
//
// "Save as a story" posts the case and the answer staff expected to
// /v1/stories, which returns it as a scenario-file entry, its request and
// its text redacted as records are (the page offers it as a download). With
// -stories DIR (one of the -policy overlays) a story the policy serving
// agrees with is also appended to DIR/scenarios/stories.json, once the
// overlay on disk is seen to load with it; it is one of the overlay's checks
// from the next reload (SIGHUP or -watch): saving a story never changes the
// policy serving. A story the policy disagrees with is never written there:
// it would fail the overlay's check and stop the overlay loading; it is for
// compliance staff to change the procedure (or the expectation) and add it
// with the change. The route has no authentication of its own: serve it
// only where the desk's own network reaches.
//
// GET /report reads the -record file as it is written and shows, for a
// period (?since=DATE&until=DATE), the decisions by outcome and by day (an
// SVG chart drawn here), the most frequent refusals by basis and by action,
// the remedies offered for them, the conditions staff had to meet, the
// jurisdictions that had no profile or that an overlay amended, and the
// decisions per policy revision; ?replay=1 decides the period again under
// the policy serving and says how many refusals it would turn into a yes
// (one replay at a time, within 25 seconds; checkin report -policy has no
// bound). Lines of the file that are not records (a crash's torn line) are
// left out and counted.
// Every record is redacted as it is read (package checkin/report): no name or
// birth date appears. checkin report prints the same tables on a terminal.
//
// # CDS Hooks
//
// No hook context names the person at the desk with the patient, so the
// check-in's desk facts (the FHIR package's Facts: the companion as a
// reference to a RelatedPerson, what happened at the desk, the requested
// actions) travel in the hook's context extension, under
// context.extension["frontdesk-check-in"]; the FHIR resources come as
// prefetch: "patient" (the Patient), "relatedPersons" and "consents"
// (searchset Bundles). testdata/cds-request.json is a complete call. The
// service never calls the EHR's FHIR server: a prefetch missing or null is
// 412, naming what is missing. A call that is not an integration's correct
// call (another hook, no extension, a patientId other than the prefetched
// Patient's) is 400. But a call whose patient data cannot be decided on (a
// RelatedPerson without a known relationship, a request the contract
// rejects) answers 200 with one critical card saying the check-in could not
// be decided and why, the OperationOutcome in its extension: the clerk must
// see that there is no decision, where an EHR shows nothing for an HTTP error.
//
// A card's source.url is the service's /v1/policy under -public-url (by
// default http:// and the address listened on), never under the Host a
// request names. Feedback entries are written, one JSON line each, to
// -feedback (by default beside -record: decisions.jsonl gives
// decisions.feedback.jsonl) and logged; an entry's card is the decision id.
//
// # Records
//
// With -record FILE every decision is appended to FILE as a JSON line
// redacted by checkin.Redact, and the recorder is required: a decision whose
// record could not be written is not answered (500, "not_recorded"). A
// record is written to the file before its answer is sent, so a crash of the
// process loses none; with -sync each is also synced to disk first, so that a
// crash of the machine loses none either, at the cost of a disk flush per
// decision. Without -record nothing is recorded, and the service says so when
// it starts. The file is synced and closed at shutdown.
//
// # Operation
//
// # A group of clinics
//
// With -config FILE the service takes its policy from a bundle service and
// sends every decision to a collector, as the OPA configuration in FILE says
// (services, keys, bundles, decision_logs, labels; see checkin.WithBundleService):
// it is live at once and ready once the first signed bundle is checked and
// active, a bundle that fails a check is refused while the last good one
// serves, GET /v1/policy reports the bundle service and the uploads, and
// shutdown uploads the decisions still buffered within -shutdown-grace.
//
// SIGHUP reloads the overlays: a policy that fails to load is logged,
// problem by problem with file and line, the last good one keeps serving
// (so the service stays ready) and GET /v1/policy reports the failure until a
// reload succeeds. -watch DURATION looks at the overlays' files that often and
// reloads when they change, through the same path. SIGTERM or SIGINT stops
// accepting connections, becomes unready, lets requests in flight finish
// within -shutdown-grace, then closes the record files. Each request is
// logged once through log/slog (JSON on standard error): method, path,
// status, bytes, duration, the decision id if any, the remote address; never
// a body, so never a name. -cache N keeps N decisions (checkin's decision
// cache; 0 turns it off). -lang gives every decision's words in that
// language.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// config is what the command line sets.
type config struct {
	addr      string
	publicURL string
	overlays  []string
	bundles   string // -config: an OPA configuration for a bundle service and a collector
	record    string
	feedback  string
	sync      bool
	cache     int
	watch     time.Duration
	lang      string
	stories   string
	maxBody   int64
	grace     time.Duration
}

// overlays collects -policy flags: overlay folders applied over the default policy, in order.
type overlays []string

func (o *overlays) String() string { return strings.Join(*o, ",") }

func (o *overlays) Set(dir string) error {
	*o = append(*o, dir)
	return nil
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	var dirs overlays
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT` (port 0: any free port, printed)")
	fs.StringVar(&cfg.publicURL, "public-url", "", "the service's `URL` as EHRs reach it, for the links of cards (default: http://ADDR)")
	fs.Var(&dirs, "policy", "an overlay `DIR` applied over the default policy (repeatable, applied in order)")
	fs.StringVar(&cfg.bundles, "config", "", "take the policy from a bundle service and send decisions to a collector, as the OPA configuration `FILE` (JSON or YAML) says")
	fs.StringVar(&cfg.record, "record", "", "append every decision, redacted, to the JSON-lines `FILE`; none is answered unrecorded")
	fs.StringVar(&cfg.feedback, "feedback", "", "append CDS Hooks feedback to the JSON-lines `FILE` (default: beside -record)")
	fs.BoolVar(&cfg.sync, "sync", false, "sync each record to disk before answering")
	fs.IntVar(&cfg.cache, "cache", 10000, "keep `N` decisions in the decision cache (0: no cache)")
	fs.DurationVar(&cfg.watch, "watch", 0, "look at the overlays every `DURATION` and reload when they change (0: only on SIGHUP)")
	fs.StringVar(&cfg.lang, "lang", "", "give decisions, the case page and the report in `LANG` whatever the practice profile says")
	fs.StringVar(&cfg.stories, "stories", "", "save the case page's stories into the scenarios folder of the overlay `DIR` (one of -policy)")
	fs.Int64Var(&cfg.maxBody, "max-body", 1<<20, "refuse request bodies over `BYTES` (413)")
	fs.DurationVar(&cfg.grace, "shutdown-grace", 10*time.Second, "let requests in flight finish for `DURATION` on SIGTERM")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if cfg.publicURL != "" {
		u, err := url.Parse(cfg.publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cfg, fmt.Errorf("-public-url %q: give an absolute http or https URL", cfg.publicURL)
		}
	}
	cfg.overlays = dirs
	switch {
	case cfg.cache < 0:
		return cfg, fmt.Errorf("-cache %d: give 0 for no cache, or a positive size", cfg.cache)
	case cfg.maxBody < 1:
		return cfg, fmt.Errorf("-max-body %d: give a positive number of bytes", cfg.maxBody)
	case cfg.watch < 0, cfg.grace < 0:
		return cfg, errors.New("-watch and -shutdown-grace take durations of zero or more")
	}
	if cfg.bundles != "" && (len(cfg.overlays) > 0 || cfg.stories != "" || cfg.watch > 0) {
		return cfg, errors.New("-config takes the policy from the bundle service: it cannot be given with -policy, -stories or -watch")
	}
	if cfg.stories != "" {
		if err := checkStoriesOverlay(cfg.stories, cfg.overlays); err != nil {
			return cfg, err
		}
	}
	if cfg.feedback == "" && cfg.record != "" {
		cfg.feedback = feedbackBeside(cfg.record)
	}
	return cfg, nil
}

// feedbackBeside names the feedback file of a record file: decisions.jsonl
// gives decisions.feedback.jsonl, in the same folder.
func feedbackBeside(record string) string {
	ext := filepath.Ext(record)
	return strings.TrimSuffix(record, ext) + ".feedback" + ext
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done, then shuts down gracefully. SIGHUP reloads
// the policy while it runs.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	s, err := newServer(cfg, logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return errors.Join(err, s.close())
	}
	s.listening(ln.Addr())
	fmt.Fprintf(stdout, "listening on %s\n", ln.Addr())
	srv := s.httpServer()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	// Live at once, ready once the policy is loaded.
	if err := s.load(ctx); err != nil {
		logLoadError(ctx, logger, "the policy did not load", err)
		_ = srv.Close()
		return errors.Join(err, s.close())
	}
	logger.InfoContext(ctx, "serving", "addr", ln.Addr().String(), "revision", s.engine.Load().Revision(),
		"overlays", append([]string{}, cfg.overlays...), "record", cfg.record, "cache", cfg.cache)
	if cfg.record == "" {
		logger.WarnContext(ctx, "decisions are not recorded: give -record FILE to keep them")
	}

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	watching, stopWatching := context.WithCancel(ctx)
	defer stopWatching()
	if cfg.watch > 0 {
		go s.watch(watching, cfg.watch)
	}
	for {
		select {
		case <-hup:
			_ = s.reload(ctx) // logged, and reported by /v1/policy
			continue
		case err := <-served:
			return errors.Join(err, s.close())
		case <-ctx.Done():
		}
		break
	}
	stopWatching()
	return s.shutdown(srv, served)
}

// shutdown stops srv gracefully within the grace period, or closes its
// connections when that runs out, waits for the handlers still running
// (a decision is never cut from its record) and closes the record files.
func (s *server) shutdown(srv *http.Server, served <-chan error) error {
	s.stopping.Store(true)
	s.log.Info("shutting down", "grace", s.cfg.grace.String())
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.grace)
	defer cancel()
	err := srv.Shutdown(ctx)
	if err != nil {
		s.log.Warn("the grace period ran out; closing connections", "error", err.Error())
		err = srv.Close()
	}
	<-served // http.ErrServerClosed
	s.inflight.Wait()
	if engine := s.engine.Load(); engine != nil {
		flush, cancel := context.WithTimeout(context.Background(), s.cfg.grace)
		defer cancel()
		if err := engine.Close(flush); err != nil {
			s.log.Error("decisions still buffered for the collector were not uploaded", "error", err.Error())
		}
	}
	err = errors.Join(err, s.close())
	if err == nil {
		s.log.Info("stopped")
	}
	return err
}

package main

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/report"
	"github.com/frontdesk-policy/frontdesk/examples/internal/words"
)

// The monitor: what the desk decided, over the records the service wrote,
// read afresh on every request (checkin/report redacts each record read).

// readReport reads the report the query asks for: since, until (dates) and
// replay=1 to decide the period again under the policy serving. ok false
// means it answered with the error.
func (s *server) readReport(w http.ResponseWriter, r *http.Request, engine *checkin.Engine) (rep *report.Report, ok bool) {
	q := r.URL.Query()
	opts := report.Options{Since: q.Get("since"), Until: q.Get("until")}
	if _, err := report.NewBuilder(opts); err != nil { // the period checked before a replay loads a policy
		writeError(w, http.StatusBadRequest, "invalid_query", err.Error())
		return nil, false
	}
	if q.Get("replay") == "1" {
		// A replay decides every request of the period again: one at a
		// time, within replayTimeout, so it cannot starve the desk.
		if !s.replaySlot.TryLock() {
			w.Header().Set("Retry-After", "10")
			writeError(w, http.StatusServiceUnavailable, "replay_running", "a replay is running; try again when it is done")
			return nil, false
		}
		defer s.replaySlot.Unlock()
		ctx, cancel := context.WithTimeout(r.Context(), replayTimeout)
		defer cancel()
		r = r.WithContext(ctx)
		candidate, err := s.replayEngine(r.Context(), engine)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "internal_error", "the policy serving could not be loaded to replay: "+err.Error())
			return nil, false
		}
		opts.Candidate = candidate
	}
	b, _ := report.NewBuilder(opts) // checked above
	if s.cfg.record == "" {
		return b.Report(), true
	}
	f, err := os.Open(s.cfg.record)
	if errors.Is(err, fs.ErrNotExist) {
		return b.Report(), true
	} else if err != nil {
		writeError(w, http.StatusInternalServerError, "internal_error", "the records could not be read: "+err.Error())
		return nil, false
	}
	defer f.Close()
	if err := b.Read(r.Context(), f); errors.Is(err, context.DeadlineExceeded) {
		writeError(w, http.StatusServiceUnavailable, "replay_too_long",
			fmt.Sprintf("the replay took over %s; ask for a shorter period, or replay with checkin report -policy", replayTimeout))
		return nil, false
	} else if err != nil {
		writeError(w, http.StatusInternalServerError, "internal_error", "the records could not be read: "+err.Error())
		return nil, false
	}
	return b.Report(), true
}

// replayTimeout bounds a replay on the service, within the server's write
// timeout; checkin report -policy has none.
const replayTimeout = 25 * time.Second

// replayEngine is an engine on the policy serving that records nothing, for
// replaying records; it is made again when the policy changes.
func (s *server) replayEngine(ctx context.Context, serving *checkin.Engine) (*checkin.Engine, error) {
	s.replayMu.Lock()
	defer s.replayMu.Unlock()
	if s.replaying != nil && s.replaying.Revision() == serving.Revision() {
		return s.replaying, nil
	}
	engine, err := checkin.New(ctx, s.policyOptions()...) // no recorder: a replay is not a decision made
	if err != nil {
		return nil, err
	}
	s.replaying = engine
	return engine, nil
}

// reportJSON answers GET /v1/report.
func (s *server) reportJSON(w http.ResponseWriter, r *http.Request, engine *checkin.Engine) {
	if rep, ok := s.readReport(w, r, engine); ok {
		writeJSON(w, http.StatusOK, rep)
	}
}

// reportData is what the report page's template reads.
type reportData struct {
	Lang     string
	T        map[string]string
	Report   *report.Report
	Chart    template.HTML // drawn by report.DaysSVG, which escapes every text
	Tables   []reportTable
	Outcomes []outcomeRow
	Recorded bool // the service records decisions (-record)
	// ReplayURL and JSONURL are the links to this period replayed and as JSON.
	ReplayURL, JSONURL template.URL
	Replayed           bool
}

type outcomeRow struct {
	Outcome, Label string
	N              int
}

type reportTable struct {
	Name, Heading, Key string
	Examples           bool
	Rows               []reportRow
}

type reportRow struct {
	Key, Label, Example string
	N                   int
}

// reportPage answers GET /report.
func (s *server) reportPage(w http.ResponseWriter, r *http.Request, engine *checkin.Engine) {
	rep, ok := s.readReport(w, r, engine)
	if !ok {
		return
	}
	lang := s.pageLanguage()
	vocab, _ := words.For(lang)
	t := pageWords[lang]
	outcomeLabel := func(o checkin.Outcome) string { return words.Label(vocab.Outcomes, o) }
	data := reportData{
		Lang: lang, T: t, Report: rep, Recorded: s.cfg.record != "",
		Chart:    template.HTML(rep.DaysSVG(t["chartTitle"], outcomeLabel)),
		Replayed: rep.Replay != nil,
	}
	period := url.Values{}
	for _, k := range []string{"since", "until"} {
		if v := r.URL.Query().Get(k); v != "" {
			period.Set(k, v) // a date: checked by readReport
		}
	}
	data.JSONURL = template.URL("/v1/report?" + period.Encode())
	period.Set("replay", "1")
	data.ReplayURL = template.URL("/report?" + period.Encode())
	for _, c := range rep.Outcomes {
		data.Outcomes = append(data.Outcomes, outcomeRow{Outcome: c.Key, Label: outcomeLabel(checkin.Outcome(c.Key)), N: c.N})
	}
	for _, table := range rep.Tables() {
		rt := reportTable{Name: table.Name, Heading: t["table_"+table.Name], Key: table.Key, Examples: table.HasExamples()}
		for _, c := range table.Counts {
			label := c.Key
			if table.Name == "refusals_by_action" {
				label = words.Label(vocab.Actions, checkin.Action(c.Key))
			}
			rt.Rows = append(rt.Rows, reportRow{Key: c.Key, Label: label, Example: c.Example, N: c.N})
		}
		data.Tables = append(data.Tables, rt)
	}
	s.writePage(w, "report.html", data)
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// Stories are cases collected at the desk with the answer staff expected,
// saved as scenario-file entries: a test of the procedure, in the overlay
// compliance staff keep.

// storiesFile is where saved stories go, under the overlay given by -stories.
const storiesFile = "scenarios/stories.json"

// maxStoriesBytes is the largest stories file the service writes: the
// bound the engine puts on any file of an overlay.
const maxStoriesBytes = 1 << 20

const maxStoryText = 300

var storyName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,79}$`)

// basisCode is the shape of a code: upper case words joined by "_".
var basisCode = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,63}$`)

// invisible reports characters that break a line or hide text: controls,
// format characters (a right-to-left override) and line or paragraph separators.
func invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

// storyRequest is the body of POST /v1/stories.
type storyRequest struct {
	Name    string                     `json:"name"`
	Story   string                     `json:"story"`
	Request json.RawMessage            `json:"request"`
	Expect  checkintest.ScenarioExpect `json:"expect"`
}

// storyResponse is its answer: the scenario entry, whether the policy
// serving agrees with what staff expected, and where it was saved, if it was.
type storyResponse struct {
	Scenario    checkintest.Scenario `json:"scenario"`
	Agrees      bool                 `json:"agrees"`
	Differences []string             `json:"differences"`
	Saved       string               `json:"saved"`
	Reason      string               `json:"reason,omitempty"`
}

// checkStoriesOverlay checks at start that -stories names one of the
// overlays and that its scenarios folder can be written.
func checkStoriesOverlay(dir string, overlays []string) error {
	if !slices.ContainsFunc(overlays, func(o string) bool { return filepath.Clean(o) == filepath.Clean(dir) }) {
		return fmt.Errorf("-stories %q: give one of the -policy overlays, whose scenarios folder takes the stories", dir)
	}
	folder := filepath.Join(dir, filepath.Dir(storiesFile))
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return fmt.Errorf("-stories %q: %w", dir, err)
	}
	f, err := os.CreateTemp(folder, ".write-check-*")
	if err != nil {
		return fmt.Errorf("-stories %q: the overlay's scenarios folder cannot be written: %w", dir, err)
	}
	name := f.Name()
	return errors.Join(f.Close(), os.Remove(name))
}

// storiesMu serialises writes of the stories file.
var storiesMu sync.Mutex

// saveStory answers POST /v1/stories.
func (s *server) saveStory(w http.ResponseWriter, r *http.Request, engine *checkin.Engine) {
	body, ok := s.readBody(w, r, "application/json")
	if !ok {
		return
	}
	var in storyRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		writeStoryProblems(w, []checkin.Problem{{Problem: "not a story: " + err.Error()}})
		return
	}
	req, err := checkin.ParseRequest(in.Request)
	var invalid *checkin.ValidationError
	if errors.As(err, &invalid) {
		for i := range invalid.Problems {
			invalid.Problems[i].Field = strings.TrimSuffix("request."+invalid.Problems[i].Field, ".")
		}
		writeInvalid(w, invalid)
		return
	} else if err != nil {
		writeStoryProblems(w, []checkin.Problem{{Field: "request", Problem: err.Error()}})
		return
	}
	if problems := checkStory(in, req); len(problems) > 0 {
		writeStoryProblems(w, problems)
		return
	}
	scenario, err := storyScenario(in, req)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal_error", err.Error())
		return
	}
	// Checked as the overlay's check will check it, on its redacted request,
	// by explaining rather than deciding: a story is not a check-in, and
	// nothing is recorded.
	ctx, cancel := contextWithDecideTimeout(r)
	defer cancel()
	out := storyResponse{Scenario: scenario, Differences: []string{}}
	for _, f := range checkintest.CheckScenario(ctx, explainer{engine}, scenario) {
		out.Differences = append(out.Differences, difference(f))
	}
	out.Agrees = len(out.Differences) == 0
	switch {
	case s.cfg.stories == "":
		out.Reason = "stories are not saved on this service (start it with -stories DIR, an overlay); download the story instead"
	case !out.Agrees:
		out.Reason = "the policy serving decides otherwise, so this story would fail the overlay's checks and stop it loading: " +
			"it is not saved. Download it and give it to compliance staff, to change the procedure or the expectation"
	default:
		// Saved, then the overlay on disk loaded with it, by an engine that
		// serves nothing: saving a story never changes the policy serving
		// (which reloads on SIGHUP or -watch, when its operator says). Should
		// the overlay not load with it, the file is put back as it was.
		err := appendStory(filepath.Join(s.cfg.stories, storiesFile), scenario, func() error {
			_, err := checkin.New(r.Context(), s.policyOptions()...)
			return err
		})
		var taken nameTakenError
		switch {
		case errors.As(err, &taken):
			writeStoryProblems(w, []checkin.Problem{{Field: "name", Problem: err.Error()}})
			return
		case err != nil:
			s.log.ErrorContext(r.Context(), "story not saved", "name", scenario.Name, "error", err.Error())
			out.Reason = "the story was not saved: " + err.Error()
		default:
			out.Saved = storiesFile
			s.log.InfoContext(r.Context(), "story saved", "name", scenario.Name, "file", filepath.Join(s.cfg.stories, storiesFile))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func writeStoryProblems(w http.ResponseWriter, problems []checkin.Problem) {
	writeInvalid(w, &checkin.ValidationError{Problems: problems})
}

// checkStory checks what staff wrote: a name a file can hold, a one-line
// story, and an expectation in the contract's words about the actions asked.
func checkStory(in storyRequest, req checkin.Request) []checkin.Problem {
	var problems []checkin.Problem
	add := func(field, format string, args ...any) {
		problems = append(problems, checkin.Problem{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	if !storyName.MatchString(in.Name) {
		add("name", "%q: give 1 to 80 lower-case letters, digits and hyphens, starting with a letter or digit", in.Name)
	}
	switch {
	case strings.TrimSpace(in.Story) == "":
		add("story", "say in one line what happened")
	case len([]rune(in.Story)) > maxStoryText:
		add("story", "is %d characters; at most %d", len([]rune(in.Story)), maxStoryText)
	case strings.ContainsFunc(in.Story, invisible):
		add("story", "one line, without control or invisible formatting characters")
	}
	if storyName.MatchString(in.Name) && namesSomeone(req, in.Name) {
		add("name", "%q holds a name or the birth date from the case: name the story by what happened", in.Name)
	}
	if !in.Expect.Outcome.Valid() || in.Expect.Outcome == checkin.Invalid { // the request parsed: it is not invalid
		add("expect.outcome", "%q is not an outcome", in.Expect.Outcome)
	}
	if len(in.Expect.Actions) == 0 {
		add("expect.actions", "say what staff expected for at least one action")
	}
	for a, v := range in.Expect.Actions {
		field := "expect.actions." + string(a)
		if !slices.Contains(req.Requested, a) {
			add(field, "%q was not asked for", a)
		}
		if !v.Verdict.Valid() {
			add(field+".verdict", "%q is not a verdict", v.Verdict)
		}
		if v.Basis != "" && !basisCode.MatchString(string(v.Basis)) {
			add(field+".basis", "%q is not a code", v.Basis)
		}
	}
	slices.SortFunc(problems, func(a, b checkin.Problem) int { return strings.Compare(a.Field, b.Field) })
	return problems
}

// storyScenario is the story as a scenario-file entry. Its request is
// redacted as records are, so no name or birth date reaches the file, and it
// decides the same.
func storyScenario(in storyRequest, req checkin.Request) (checkintest.Scenario, error) {
	redacted := redactStory(req, in.Story)
	data, err := json.Marshal(redacted.Request)
	if err != nil {
		return checkintest.Scenario{}, err
	}
	return checkintest.Scenario{Name: in.Name, Story: redacted.Decision.Notices[0].Message, Request: data, Expect: in.Expect}, nil
}

// redactStory redacts the request as records are, and the text as the
// messages of its decision are: the story carries the text as a notice,
// so the same names, ids and birth date come out of both.
func redactStory(req checkin.Request, text string) checkin.Record {
	return checkin.Redact(checkin.Record{Request: req, Decision: checkin.Decision{Notices: []checkin.Note{{Message: text}}}})
}

// namesSomeone reports whether a story's name holds a name or the birth
// date of the request, which redacting it as text would change.
func namesSomeone(req checkin.Request, name string) bool {
	for _, text := range []string{name, strings.ReplaceAll(name, "-", " ")} {
		if redactStory(req, text).Decision.Notices[0].Message != text {
			return true
		}
	}
	return false
}

// explainer decides by explaining, so that checking a story records nothing.
type explainer struct{ engine *checkin.Engine }

func (x explainer) Decide(ctx context.Context, req checkin.Request) (checkin.Decision, error) {
	ex, err := x.engine.Explain(ctx, req)
	return ex.Decision, err
}

// difference says in a line how the policy differs from what staff expected.
func difference(f checkintest.ScenarioFailure) string {
	what := f.What
	if f.Action != "" {
		what = string(f.Action) + " " + f.What
	}
	return fmt.Sprintf("%s: expected %s, the policy gives %s", what, f.Want, f.Got)
}

// nameTakenError is a story whose name the file already holds.
type nameTakenError struct{ name string }

func (e nameTakenError) Error() string {
	return fmt.Sprintf("%q is already the name of a story in %s: give another", e.name, storiesFile)
}

// appendStory adds the scenario to the file, a JSON array, replacing the
// file whole (a temporary file renamed over it), so the overlay never holds
// half a file; then it calls loaded, and puts the file back as it was if
// loaded fails.
func appendStory(file string, sc checkintest.Scenario, loaded func() error) error {
	storiesMu.Lock()
	defer storiesMu.Unlock()
	var stories []checkintest.Scenario
	before, err := os.ReadFile(file)
	existed := err == nil
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	default:
		if err := json.Unmarshal(before, &stories); err != nil {
			return fmt.Errorf("%s is not a scenario file: %w", storiesFile, err)
		}
	}
	for _, st := range stories {
		if st.Name == sc.Name {
			return nameTakenError{sc.Name}
		}
	}
	out, err := json.MarshalIndent(append(stories, sc), "", " ")
	if err != nil {
		return err
	}
	out = append(out, '\n')
	if len(out) > maxStoriesBytes {
		return fmt.Errorf("%s would be over %d bytes, the bound of an overlay's file: start another scenario file", storiesFile, maxStoriesBytes)
	}
	if err := replaceFile(file, out); err != nil {
		return err
	}
	if err := loaded(); err != nil {
		undo := os.Remove(file)
		if existed {
			undo = replaceFile(file, before)
		}
		return errors.Join(fmt.Errorf("the overlay did not load with it, so it was taken out again: %w", err), undo)
	}
	return nil
}

// replaceFile writes data to file through a temporary file renamed over it.
// The temporary file's name starts with a dot: the policy reads no such file.
func replaceFile(file string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), ".stories-*.json")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	err = errors.Join(err, tmp.Sync(), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
	return err
}

// Package scenario reads front-desk scenario files and checks an engine's
// decisions against them. A scenario file is a JSON array of cases, each a
// one-line story, a request, and the expected outcome and per-action verdict
// and basis, so compliance staff can read and write them.
package scenario

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// A Case is one scenario: a request and what the decision must say.
type Case struct {
	Name    string          `json:"name"`
	Story   string          `json:"story"`
	Request json.RawMessage `json:"request"`
	Expect  Expect          `json:"expect"`

	// File is the scenario file the case came from.
	File string `json:"-"`
}

// Expect is what a case requires of the decision. Only what is given is
// checked: an action's basis may be left out where any basis would do.
type Expect struct {
	Outcome checkin.Outcome                   `json:"outcome"`
	Actions map[checkin.Action]ExpectedAction `json:"actions"`
}

// ExpectedAction is the expected verdict and, optionally, basis of one action.
type ExpectedAction struct {
	Verdict checkin.Verdict `json:"verdict"`
	Basis   string          `json:"basis,omitempty"`
}

// A Failure is one way a decision differs from its case.
type Failure struct {
	Case   string
	File   string
	Action checkin.Action // "" for the outcome or the request as a whole
	What   string         // "outcome", "verdict", "basis", "actions" or "error"
	Want   string
	Got    string
}

func (f Failure) String() string {
	subject := f.What
	if f.Action != "" {
		subject = string(f.Action) + " " + f.What
	}
	return fmt.Sprintf("%s (%s): %s: want %s, got %s", f.Case, f.File, subject, f.Want, f.Got)
}

// Load reads every *.json scenario file under dir in fsys, in path order.
func Load(fsys fs.FS, dir string) ([]Case, error) {
	var files []string
	err := fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(name, ".json") {
			files = append(files, name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var cases []Case
	for _, name := range files {
		fileCases, err := ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		cases = append(cases, fileCases...)
	}
	return cases, nil
}

// ReadFile reads one scenario file.
func ReadFile(fsys fs.FS, name string) ([]Case, error) {
	bs, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var cases []Case
	if err := json.Unmarshal(bs, &cases); err != nil {
		return nil, fmt.Errorf("scenario file %s: %w", name, err)
	}
	for i := range cases {
		cases[i].File = path.Clean(name)
		if cases[i].Name == "" {
			return nil, fmt.Errorf("scenario file %s: case %d has no name", name, i)
		}
	}
	return cases, nil
}

// A Decider decides requests; *checkin.Engine is one.
type Decider interface {
	Decide(context.Context, checkin.Request) (checkin.Decision, error)
}

// Check decides the case's request and returns how the decision differs
// from what the case expects; none means the case passes. A case expecting
// "invalid" passes when the request is rejected as invalid.
func Check(ctx context.Context, engine Decider, c Case) []Failure {
	fail := func(action checkin.Action, what, want, got string) Failure {
		return Failure{Case: c.Name, File: c.File, Action: action, What: what, Want: want, Got: got}
	}
	req, err := checkin.ParseRequest(c.Request)
	var d checkin.Decision
	if err == nil {
		d, err = engine.Decide(ctx, req)
	}
	var invalid *checkin.ValidationError
	switch {
	case errors.As(err, &invalid):
		if c.Expect.Outcome == checkin.Invalid {
			return nil
		}
		return []Failure{fail("", "outcome", string(c.Expect.Outcome), "invalid: "+invalid.Error())}
	case err != nil:
		return []Failure{fail("", "error", string(c.Expect.Outcome), err.Error())}
	}

	var failures []Failure
	if d.Outcome != c.Expect.Outcome {
		failures = append(failures, fail("", "outcome", string(c.Expect.Outcome), string(d.Outcome)))
	}
	for _, action := range sortedActions(c.Expect.Actions) {
		want := c.Expect.Actions[action]
		got, ok := d.Actions[action]
		switch {
		case !ok:
			failures = append(failures, fail(action, "verdict", string(want.Verdict), "no verdict"))
		case got.Verdict != want.Verdict:
			failures = append(failures, fail(action, "verdict", string(want.Verdict), fmt.Sprintf("%s (%s)", got.Verdict, got.Basis)))
		case want.Basis != "" && got.Basis != want.Basis:
			failures = append(failures, fail(action, "basis", want.Basis, got.Basis))
		}
	}
	return failures
}

func sortedActions(m map[checkin.Action]ExpectedAction) []checkin.Action {
	actions := make([]checkin.Action, 0, len(m))
	for a := range m {
		actions = append(actions, a)
	}
	sort.Slice(actions, func(i, j int) bool { return actions[i] < actions[j] })
	return actions
}

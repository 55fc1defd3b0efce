package checkin

// Scenario files let compliance staff state, in JSON they can read and
// write, what the policy must decide: a file is an array of scenarios, each
// a one-line story, a request, and the expected outcome and per-action
// verdict and basis.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// A Scenario is one front-desk case: a request and what the decision must say.
type Scenario struct {
	Name    string          `json:"name"`
	Story   string          `json:"story"`
	Request json.RawMessage `json:"request"`
	Expect  ScenarioExpect  `json:"expect"`

	// File is the scenario file the case came from.
	File string `json:"-"`
}

// ScenarioExpect is what a scenario requires of the decision. Only what is given is
// checked: an action's basis may be left out where any basis would do.
type ScenarioExpect struct {
	Outcome Outcome                    `json:"outcome"`
	Actions map[Action]ExpectedVerdict `json:"actions"`
}

// ExpectedVerdict is the expected verdict and, optionally, basis of one action.
type ExpectedVerdict struct {
	Verdict Verdict `json:"verdict"`
	Basis   string  `json:"basis,omitempty"`
}

// A ScenarioFailure is one way a decision differs from its case.
type ScenarioFailure struct {
	Case   string
	File   string
	Action Action // "" for the outcome or the request as a whole
	What   string // "outcome", "verdict", "basis", "actions" or "error"
	Want   string
	Got    string
}

func (f ScenarioFailure) String() string {
	subject := f.What
	if f.Action != "" {
		subject = string(f.Action) + " " + f.What
	}
	return fmt.Sprintf("%s (%s): %s: want %s, got %s", f.Case, f.File, subject, f.Want, f.Got)
}

// LoadScenarios reads every *.json scenario file under dir in fsys, in path order.
func LoadScenarios(fsys fs.FS, dir string) ([]Scenario, error) {
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
	var cases []Scenario
	for _, name := range files {
		fileCases, err := ReadScenarioFile(fsys, name)
		if err != nil {
			return nil, err
		}
		cases = append(cases, fileCases...)
	}
	return cases, nil
}

// ReadScenarioFile reads one scenario file: a JSON array of scenarios.
func ReadScenarioFile(fsys fs.FS, name string) ([]Scenario, error) {
	bs, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var cases []Scenario
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

// A Decider decides requests; *Engine is one.
type Decider interface {
	Decide(context.Context, Request) (Decision, error)
}

// CheckScenario decides the scenario's request and returns how the decision differs
// from what the case expects; none means the case passes. A case expecting
// "invalid" passes when the request is rejected as invalid.
func CheckScenario(ctx context.Context, engine Decider, c Scenario) []ScenarioFailure {
	fail := func(action Action, what, want, got string) ScenarioFailure {
		return ScenarioFailure{Case: c.Name, File: c.File, Action: action, What: what, Want: want, Got: got}
	}
	req, err := ParseRequest(c.Request)
	var d Decision
	if err == nil {
		d, err = engine.Decide(ctx, req)
	}
	var invalid *ValidationError
	switch {
	case errors.As(err, &invalid):
		if c.Expect.Outcome == Invalid {
			return nil
		}
		return []ScenarioFailure{fail("", "outcome", string(c.Expect.Outcome), "invalid: "+invalid.Error())}
	case err != nil:
		return []ScenarioFailure{fail("", "error", string(c.Expect.Outcome), err.Error())}
	}

	var failures []ScenarioFailure
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

func sortedActions(m map[Action]ExpectedVerdict) []Action {
	actions := make([]Action, 0, len(m))
	for a := range m {
		actions = append(actions, a)
	}
	sort.Slice(actions, func(i, j int) bool { return actions[i] < actions[j] })
	return actions
}

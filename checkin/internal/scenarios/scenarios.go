// Package scenarios reads scenario files and checks decisions against them,
// in plain strings, so that the engine (which checks an overlay's scenario
// files before using it) and package checkintest share one implementation.
package scenarios

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// A Case is one scenario as its file gives it.
type Case struct {
	Name    string          `json:"name"`
	Story   string          `json:"story"`
	Request json.RawMessage `json:"request"`
	Expect  Expect          `json:"expect"`
	File    string          `json:"-"`
}

// Expect is what a case requires of the decision.
type Expect struct {
	Outcome string             `json:"outcome"`
	Actions map[string]Verdict `json:"actions"`
}

// A Verdict is one action's verdict and basis; an expected basis may be "".
type Verdict struct {
	Verdict string `json:"verdict"`
	Basis   string `json:"basis,omitempty"`
}

// A Decision is what Check reads of a decision. Invalid, when the request
// was rejected as invalid, says why; nothing else is then read.
type Decision struct {
	Outcome string
	Actions map[string]Verdict
	Invalid string
}

// A Failure is one way a decision differs from its case.
type Failure struct {
	Case, File, Action, What, Want, Got string
}

func (f Failure) String() string {
	subject := f.What
	if f.Action != "" {
		subject = f.Action + " " + f.What
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

// ReadFile reads one scenario file: a JSON array of cases.
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

// Check decides the case's request and returns how the decision differs from
// what the case expects; none means the case passes. A case expecting
// "invalid" passes when the request is rejected as invalid. An error from
// decide is a failure of its own.
func Check(c Case, decide func(request json.RawMessage) (Decision, error)) []Failure {
	fail := func(action, what, want, got string) Failure {
		return Failure{Case: c.Name, File: c.File, Action: action, What: what, Want: want, Got: got}
	}
	d, err := decide(c.Request)
	switch {
	case err != nil:
		return []Failure{fail("", "error", c.Expect.Outcome, err.Error())}
	case d.Invalid != "":
		if c.Expect.Outcome == "invalid" {
			return nil
		}
		return []Failure{fail("", "outcome", c.Expect.Outcome, "invalid: "+d.Invalid)}
	}

	var failures []Failure
	if d.Outcome != c.Expect.Outcome {
		failures = append(failures, fail("", "outcome", c.Expect.Outcome, d.Outcome))
	}
	actions := make([]string, 0, len(c.Expect.Actions))
	for a := range c.Expect.Actions {
		actions = append(actions, a)
	}
	sort.Strings(actions)
	for _, action := range actions {
		want := c.Expect.Actions[action]
		got, ok := d.Actions[action]
		switch {
		case !ok:
			failures = append(failures, fail(action, "verdict", want.Verdict, "no verdict"))
		case got.Verdict != want.Verdict:
			failures = append(failures, fail(action, "verdict", want.Verdict, fmt.Sprintf("%s (%s)", got.Verdict, got.Basis)))
		case want.Basis != "" && got.Basis != want.Basis:
			failures = append(failures, fail(action, "basis", want.Basis, got.Basis))
		}
	}
	return failures
}

// Package checkintest checks a check-in policy against what its authors say
// it must decide, as testing/slogtest checks a slog handler: scenario files,
// which compliance staff write in JSON, and the policy's Rego tests. Its grid
// of requests covers the contract's vocabulary, for property tests and for
// comparing policies.
//
// A scenario file is a JSON array of scenarios, each a one-line story, a
// request, and the expected outcome and per-action verdict and basis:
//
//	scenarios, err := checkintest.LoadScenarios(os.DirFS("testdata"), "scenarios")
//	...
//	for _, s := range scenarios {
//		for _, f := range checkintest.CheckScenario(ctx, engine, s) {
//			t.Error(f)
//		}
//	}
package checkintest

import (
	"context"
	"encoding/json"
	"io/fs"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/internal/hooks"
	"github.com/frontdesk-policy/frontdesk/checkin/internal/scenarios"
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

// ScenarioExpect is what a scenario requires of the decision. Only what is
// given is checked: an action's basis may be left out where any basis would do.
type ScenarioExpect struct {
	Outcome checkin.Outcome                    `json:"outcome"`
	Actions map[checkin.Action]ExpectedVerdict `json:"actions"`
}

// ExpectedVerdict is the expected verdict and, optionally, basis of one action.
type ExpectedVerdict struct {
	Verdict checkin.Verdict `json:"verdict"`
	Basis   checkin.Code    `json:"basis,omitempty"`
}

// A ScenarioFailure is one way a decision differs from its case.
type ScenarioFailure struct {
	Case   string
	File   string
	Action checkin.Action // "" for the outcome or the request as a whole
	What   string         // "outcome", "verdict", "basis", "actions" or "error"
	Want   string
	Got    string
}

func (f ScenarioFailure) String() string {
	return scenarios.Failure{Case: f.Case, File: f.File, Action: string(f.Action), What: f.What, Want: f.Want, Got: f.Got}.String()
}

// LoadScenarios reads every *.json scenario file under dir in fsys, in path order.
func LoadScenarios(fsys fs.FS, dir string) ([]Scenario, error) {
	cases, err := scenarios.Load(fsys, dir)
	return fromCases(cases), err
}

// ReadScenarioFile reads one scenario file: a JSON array of scenarios.
func ReadScenarioFile(fsys fs.FS, name string) ([]Scenario, error) {
	cases, err := scenarios.ReadFile(fsys, name)
	return fromCases(cases), err
}

// A Decider decides requests; *checkin.Engine is one.
type Decider interface {
	Decide(context.Context, checkin.Request) (checkin.Decision, error)
}

// CheckScenario decides the scenario's request and returns how the decision
// differs from what the case expects; none means the case passes. A case
// expecting "invalid" passes when the request is rejected as invalid.
func CheckScenario(ctx context.Context, engine Decider, s Scenario) []ScenarioFailure {
	failures := scenarios.Check(s.toCase(), hooks.DecideScenarios(ctx, engine))
	out := make([]ScenarioFailure, len(failures))
	for i, f := range failures {
		out[i] = ScenarioFailure{Case: f.Case, File: f.File, Action: checkin.Action(f.Action), What: f.What, Want: f.Want, Got: f.Got}
	}
	return out
}

func fromCases(cases []scenarios.Case) []Scenario {
	if cases == nil {
		return nil
	}
	out := make([]Scenario, len(cases))
	for i, c := range cases {
		out[i] = Scenario{Name: c.Name, Story: c.Story, Request: c.Request, File: c.File,
			Expect: ScenarioExpect{Outcome: checkin.Outcome(c.Expect.Outcome)}}
		if c.Expect.Actions != nil {
			out[i].Expect.Actions = make(map[checkin.Action]ExpectedVerdict, len(c.Expect.Actions))
			for a, v := range c.Expect.Actions {
				out[i].Expect.Actions[checkin.Action(a)] = ExpectedVerdict{Verdict: checkin.Verdict(v.Verdict), Basis: checkin.Code(v.Basis)}
			}
		}
	}
	return out
}

func (s Scenario) toCase() scenarios.Case {
	c := scenarios.Case{Name: s.Name, Story: s.Story, Request: s.Request, File: s.File,
		Expect: scenarios.Expect{Outcome: string(s.Expect.Outcome)}}
	if s.Expect.Actions != nil {
		c.Expect.Actions = make(map[string]scenarios.Verdict, len(s.Expect.Actions))
		for a, v := range s.Expect.Actions {
			c.Expect.Actions[string(a)] = scenarios.Verdict{Verdict: string(v.Verdict), Basis: string(v.Basis)}
		}
	}
	return c
}

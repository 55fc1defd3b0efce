package checkintest_test

import (
	"context"
	"fmt"
	"os"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// A practice's scenario files, checked against the policy it runs.
func ExampleCheckScenario() {
	engine, err := checkin.New(context.Background())
	if err != nil {
		panic(err)
	}
	scenarios, err := checkintest.ReadScenarioFile(os.DirFS("../testdata"), "scenarios/public.json")
	if err != nil {
		panic(err)
	}
	failed := 0
	for _, s := range scenarios {
		for _, f := range checkintest.CheckScenario(context.Background(), engine, s) {
			fmt.Println(f)
			failed++
		}
	}
	fmt.Println(failed, "failures")
	// Output:
	// 0 failures
}

// The grid spans the vocabulary; a sample of it still reaches every value.
func ExampleGrid() {
	actions := map[checkin.Action]bool{}
	for c := range checkintest.Grid([]string{"US-KS"}, 1000) {
		actions[c.Action] = true
	}
	fmt.Println(len(actions) == len(checkin.Actions()))
	// Output:
	// true
}

package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

func runProfile(ctx context.Context, fs *flag.FlagSet, args []string, _ io.Reader, out io.Writer) error {
	dirs := policyFlag(fs)
	top := fs.Int("top", 15, "list the `N` rules that cost most per decision")
	n := fs.Int("n", 1000, "without FILE, DIR or overlay scenarios, profile about `N` requests of the grid")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 || *top < 0 || *n < 1 {
		fs.Usage()
		return exitError{2}
	}
	engine, err := newEngine(ctx, *dirs)
	if err != nil {
		return err
	}
	engines := []*checkin.Engine{engine}
	if len(*dirs) > 0 {
		base, err := newEngine(ctx, nil)
		if err != nil {
			return err
		}
		engines = append(engines, base)
	}
	set, err := profiledRequests(fs.Arg(0), *dirs, *n, engines)
	if err != nil {
		return err
	}
	if err := set.keepDecidable(ctx, engines); err != nil {
		return err
	}
	if len(set.reqs) == 0 {
		return fmt.Errorf("no valid request to profile in %s", set.from)
	}
	profiles := make([]checkin.Profile, len(engines))
	for i, e := range engines {
		if profiles[i], err = e.Profile(ctx, set.reqs); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "decisions profiled: %d, %s", len(set.reqs), set.from)
	switch set.invalid {
	case 0:
	case 1:
		fmt.Fprint(out, " (1 invalid request left out)")
	default:
		fmt.Fprintf(out, " (%d invalid requests left out)", set.invalid)
	}
	fmt.Fprintln(out)
	writeProfile(out, profiles, len(*dirs), *top)
	return nil
}

// A requestSet is the requests to profile, where they are from, and how
// many of those were left out as invalid.
type requestSet struct {
	reqs    []checkin.Request
	from    string
	invalid int
}

// profiledRequests reads the requests to profile: the scenario files or
// records named, else the overlays' scenario folders, else a sample of the
// grid diff decides.
func profiledRequests(name string, dirs overlays, n int, engines []*checkin.Engine) (requestSet, error) {
	if name != "" {
		return readRequests(name)
	}
	var set requestSet
	var folders []string
	for _, dir := range dirs {
		folder := filepath.Join(dir, "scenarios")
		if info, err := os.Stat(folder); err != nil || !info.IsDir() {
			continue
		}
		cases, err := checkintest.LoadScenarios(os.DirFS(folder), ".")
		if err != nil {
			return requestSet{}, err
		}
		set.addCases(cases)
		folders = append(folders, folder)
	}
	if len(set.reqs) > 0 {
		set.from = "the scenarios in " + strings.Join(folders, ", ")
		return set, nil
	}
	set = requestSet{from: "a sample of the grid of requests, one action each"}
	for cell := range checkintest.Grid(gridJurisdictions(engines...), n) {
		set.reqs = append(set.reqs, cell.Request())
	}
	return set, nil
}

// readRequests reads the requests of a folder of scenario files, of one
// scenario file (a JSON array), or of a records file (JSON lines).
func readRequests(name string) (requestSet, error) {
	set := requestSet{from: name}
	info, err := os.Stat(name)
	if err != nil {
		return set, err
	}
	var cases []checkintest.Scenario
	if info.IsDir() {
		cases, err = checkintest.LoadScenarios(os.DirFS(name), ".")
		set.addCases(cases)
		return set, err
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return set, err
	}
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
		cases, err = checkintest.ReadScenarioFile(os.DirFS(filepath.Dir(name)), filepath.Base(name))
		set.addCases(cases)
		return set, err
	}
	records, err := checkin.ReadRecords(bytes.NewReader(data))
	if err != nil {
		return set, fmt.Errorf("%s is neither a scenario file nor records: %w", name, err)
	}
	for _, rec := range records {
		set.reqs = append(set.reqs, rec.Request)
	}
	return set, nil
}

// addCases adds the requests of scenario cases, counting as invalid those
// that do not parse.
func (s *requestSet) addCases(cases []checkintest.Scenario) {
	for _, c := range cases {
		if req, err := checkin.ParseRequest(c.Request); err == nil {
			s.reqs = append(s.reqs, req)
		} else {
			s.invalid++
		}
	}
}

// keepDecidable keeps the requests every engine decides, for the same
// requests to be profiled under each, and counts the others as invalid.
func (s *requestSet) keepDecidable(ctx context.Context, engines []*checkin.Engine) error {
	keep := s.reqs[:0]
next:
	for _, req := range s.reqs {
		for _, e := range engines {
			_, err := e.Decide(ctx, req)
			var v *checkin.ValidationError
			if errors.As(err, &v) {
				s.invalid++
				continue next
			}
			if err != nil {
				return err
			}
		}
		keep = append(keep, req)
	}
	s.reqs = keep
	return nil
}

// writeProfile prints the cost per decision of the policy (profiles[0]),
// of the default policy alone and the difference, when there are overlays
// (profiles[1]), and the rules that cost most.
func writeProfile(out io.Writer, profiles []checkin.Profile, overlays, top int) {
	p := profiles[0]
	bodies, exprs := p.PerEvaluation(p.RuleBodies), p.PerEvaluation(p.Expressions)
	var base map[string]checkin.RuleCost
	if overlays == 0 {
		fmt.Fprintf(out, "default policy: %.2f rule bodies and %.2f expressions per decision\n", bodies, exprs)
	} else {
		d := profiles[1]
		baseBodies, baseExprs := d.PerEvaluation(d.RuleBodies), d.PerEvaluation(d.Expressions)
		yours, adds := "your overlay", "adds"
		if overlays > 1 {
			yours, adds = "your overlays", "add"
		}
		fmt.Fprintf(out, "with %s: %.2f rule bodies and %.2f expressions per decision\n", yours, bodies, exprs)
		fmt.Fprintf(out, "default policy alone: %.2f rule bodies and %.2f expressions per decision\n", baseBodies, baseExprs)
		fmt.Fprintf(out, "%s %s %.2f rule bodies per decision (%s) and %.2f expressions (%s)\n", yours, adds,
			bodies-baseBodies, percent(bodies, baseBodies), exprs-baseExprs, percent(exprs, baseExprs))
		base = map[string]checkin.RuleCost{}
		for _, r := range d.Rules {
			base[r.Rule] = r
		}
	}

	var total time.Duration
	for _, r := range p.Rules {
		total += r.Time
	}
	rules := p.Rules[:min(top, len(p.Rules))]
	fmt.Fprintf(out, "\nthe %d rules of %d entered that cost most per decision:\n", len(rules), len(p.Rules))
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprint(w, "rule\tdefined at\t  bodies\texpressions\t  time")
	if base != nil {
		fmt.Fprint(w, "\tbodies vs default")
	}
	fmt.Fprintln(w)
	for _, r := range rules {
		share := 0.0
		if total > 0 {
			share = 100 * float64(r.Time) / float64(total)
		}
		fmt.Fprintf(w, "%s\t%s:%d\t%8.2f\t%11.2f\t%5.1f%%", r.Rule, r.File, r.Line,
			p.PerEvaluation(r.Bodies), p.PerEvaluation(r.Expressions), share)
		if base != nil {
			fmt.Fprintf(w, "\t%s", versus(p, profiles[1], r, base))
		}
		fmt.Fprintln(w)
	}
	w.Flush()
	fmt.Fprintln(out, "(time: the rule's share of the time the profiler measured, which varies from run to run; the counts do not)")
}

// versus is the difference in a rule's bodies per decision against the
// default policy's (where a rule the default policy never entered has
// none), blank for no difference.
func versus(p, base checkin.Profile, r checkin.RuleCost, rules map[string]checkin.RuleCost) string {
	d := p.PerEvaluation(r.Bodies) - base.PerEvaluation(rules[r.Rule].Bodies)
	if math.Abs(d) < 0.005 {
		return ""
	}
	return fmt.Sprintf("%+.2f", d)
}

func percent(x, of float64) string {
	if of == 0 {
		return "of none"
	}
	return fmt.Sprintf("%+.1f%%", 100*(x/of-1))
}

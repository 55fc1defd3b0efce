package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

func runExplain(ctx context.Context, fs *flag.FlagSet, args []string, in io.Reader, out io.Writer) error {
	dirs := policyFlag(fs)
	trace := fs.Bool("trace", false, "add OPA's full trace of the evaluation")
	if err := fs.Parse(args); err != nil {
		return err
	}
	data, err := readInput(ctx, fs.Arg(0), in)
	if err != nil {
		return err
	}
	engine, err := newEngine(ctx, *dirs)
	if err != nil {
		return err
	}
	req, err := checkin.ParseRequest(data)
	if err != nil {
		return invalid(out, err)
	}
	var opts []checkin.ExplainOption
	if *trace {
		opts = append(opts, checkin.WithTrace())
	}
	x, err := engine.Explain(ctx, req, opts...)
	if err != nil {
		return invalid(out, err)
	}
	fmt.Fprint(out, x)
	if x.Trace != "" {
		fmt.Fprintf(out, "\nOPA trace:\n%s", x.Trace)
	}
	return nil
}

// invalid prints a validation error as the contract's invalid outcome and
// exits 2; other errors pass through.
func invalid(out io.Writer, err error) error {
	var v *checkin.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	if err := writeJSON(out, map[string]any{"outcome": checkin.Invalid, "problems": v.Problems}); err != nil {
		return err
	}
	return exitError{2}
}

func runCheck(ctx context.Context, fs *flag.FlagSet, args []string, _ io.Reader, out io.Writer) error {
	dirs := policyFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	engine, err := newEngine(ctx, *dirs)
	var loadErr *checkin.LoadError
	if errors.As(err, &loadErr) {
		for _, p := range loadErr.Problems {
			fmt.Fprintln(out, p)
		}
		fmt.Fprintf(out, "%d problem(s)\n", len(loadErr.Problems))
		return exitError{1}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "ok: policy %s\n", engine.Revision())
	for _, a := range engine.Amendments() {
		fmt.Fprintf(out, "amended: %s by %s: %s\n", a.Code, strings.Join(a.Overlays, ", "), strings.Join(a.Fields, ", "))
	}
	return nil
}

func runReplay(ctx context.Context, fs *flag.FlagSet, args []string, _ io.Reader, out io.Writer) error {
	dirs := policyFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitError{2}
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	records, err := checkin.ReadRecords(bufio.NewReader(f))
	if err != nil {
		return err
	}
	engine, err := newEngine(ctx, *dirs)
	if err != nil {
		return err
	}
	progress := newProgress(fs.Output(), len(records))
	changed := 0
	for i, rec := range records {
		progress.show(i)
		now, err := engine.Decide(ctx, rec.Request)
		if ctx.Err() != nil {
			progress.clear()
			return ctx.Err()
		}
		if err != nil {
			progress.clear()
			fmt.Fprintf(out, "%s: no longer decided: %v\n", rec.ID, err)
			changed++
			continue
		}
		first := true
		for _, a := range rec.Request.Requested {
			before, after := rec.Decision.Actions[a], now.Actions[a]
			if before.Verdict == after.Verdict && before.Basis == after.Basis {
				continue
			}
			progress.clear()
			fmt.Fprintf(out, "%s %s: %s %s -> %s %s\n", rec.ID, a, before.Verdict, before.Basis, after.Verdict, after.Basis)
			if first {
				changed++
				first = false
			}
		}
	}
	progress.clear()
	fmt.Fprintf(out, "%d decisions, %d changed\n", len(records), changed)
	return nil
}

func runDiff(ctx context.Context, fs *flag.FlagSet, args []string, _ io.Reader, out io.Writer) error {
	from := fs.String("from", "", "the overlay `DIR` of the policy before (omit: the default policy)")
	to := fs.String("to", "", "the overlay `DIR` of the policy after (omit: the default policy)")
	n := fs.Int("n", 20_000, "decide about `N` requests, spread evenly over the grid (0: the whole grid)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	side := func(dir string) (*checkin.Engine, error) {
		if dir == "" {
			return newEngine(ctx, nil)
		}
		return newEngine(ctx, overlays{dir})
	}
	before, err := side(*from)
	if err != nil {
		return err
	}
	after, err := side(*to)
	if err != nil {
		return err
	}
	codes := gridJurisdictions(before, after)

	type group struct {
		count   int
		example checkintest.Cell
	}
	groups := map[string]*group{}
	var mu sync.Mutex
	cells := make(chan checkintest.Cell)
	total := checkintest.GridSize(codes)
	if *n > 0 && *n < total {
		total = *n
	}
	progress := newProgress(fs.Output(), total)
	requests, changed := 0, 0
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for cell := range cells {
				req := cell.Request()
				b, berr := before.Decide(ctx, req)
				a, aerr := after.Decide(ctx, req)
				bv, av := verdictOf(b, berr, cell.Action), verdictOf(a, aerr, cell.Action)
				mu.Lock()
				progress.show(requests)
				requests++
				if b.Actions[cell.Action].Verdict != a.Actions[cell.Action].Verdict || (berr == nil) != (aerr == nil) {
					changed++
					key := fmt.Sprintf("%s: %s -> %s", cell.Action, bv, av)
					if groups[key] == nil {
						groups[key] = &group{example: cell}
					}
					groups[key].count++
				}
				mu.Unlock()
			}
		})
	}
	for cell := range checkintest.Grid(codes, *n) {
		if ctx.Err() != nil {
			break
		}
		cells <- cell
	}
	close(cells)
	wg.Wait()
	progress.clear()
	if err := ctx.Err(); err != nil {
		return err // the counts so far would read as a result
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(out, "%6d  %s\n        e.g. %s\n", groups[k].count, k, groups[k].example)
	}
	fmt.Fprintf(out, "%d requests, %d verdicts changed\n", requests, changed)
	return nil
}

// gridJurisdictions are the jurisdictions a grid of requests spans for the
// engines: every one they have a profile for, and a state with none.
func gridJurisdictions(engines ...*checkin.Engine) []string {
	jurisdictions := map[string]bool{"US-KS": true}
	for _, e := range engines {
		for _, j := range e.Jurisdictions() {
			if j.Code != "default" {
				jurisdictions[j.Code] = true
			}
		}
	}
	codes := make([]string, 0, len(jurisdictions))
	for c := range jurisdictions {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}

// verdictOf names the outcome for one action: verdict and basis, or the error.
func verdictOf(d checkin.Decision, err error, a checkin.Action) string {
	if err != nil {
		return "error"
	}
	ad := d.Actions[a]
	return fmt.Sprintf("%s %s", ad.Verdict, ad.Basis)
}

func runFmt(_ context.Context, fsys *flag.FlagSet, args []string, _ io.Reader, out io.Writer) error {
	check := fsys.Bool("check", false, "change nothing: list unformatted files and exit 1 if there are any")
	if err := fsys.Parse(args); err != nil {
		return err
	}
	if fsys.NArg() != 1 {
		fsys.Usage()
		return exitError{2}
	}
	var unformatted []string
	err := filepath.WalkDir(fsys.Arg(0), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		formatted, err := format.SourceWithOpts(path, src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			return err
		}
		if string(formatted) == string(src) {
			return nil
		}
		unformatted = append(unformatted, path)
		if *check {
			return nil
		}
		return os.WriteFile(path, formatted, 0o644)
	})
	if err != nil {
		return err
	}
	for _, path := range unformatted {
		fmt.Fprintln(out, path)
	}
	if *check && len(unformatted) > 0 {
		return exitError{1}
	}
	return nil
}

// progress draws a bar on w (the command's standard error) when it is a
// terminal, and nothing otherwise.
type progress struct {
	w     io.Writer
	total int
	on    bool
}

func newProgress(w io.Writer, total int) *progress {
	f, ok := w.(*os.File)
	if !ok {
		return &progress{}
	}
	info, err := f.Stat()
	return &progress{w: w, total: total, on: err == nil && info.Mode()&os.ModeCharDevice != 0 && total >= 1000}
}

func (p *progress) show(done int) {
	if !p.on || done%200 != 0 {
		return
	}
	const width = 40
	filled := width * done / p.total
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, p.total)
}

func (p *progress) clear() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

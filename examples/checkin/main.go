// Command checkin decides front-desk check-in requests and helps compliance
// staff test and ship changes to the policy.
//
// Usage:
//
//	checkin decide [-policy DIR]... [-record FILE] [FILE]   decide one request (JSON from FILE or stdin)
//	checkin explain [-policy DIR]... [-trace] [FILE]        explain a decision rule by rule
//	checkin test [-policy DIR]... [DIR]                     run the Rego tests and scenario files
//	checkin check [-policy DIR]...                          validate a policy without deciding
//	checkin replay -policy DIR... RECORDS                   list recorded decisions an edit would change
//	checkin diff [-from DIR] [-to DIR]                      compare two policies over a grid of requests
//	checkin report [-since DATE] [-until DATE] [-policy DIR]... [-json] RECORDS...
//	                                                        summarise recorded decisions: outcomes, refusals, remedies
//	checkin profile [-policy DIR]... [-top N] [FILE|DIR]    print what the policy costs per decision, rule by rule
//	checkin bundle build [-policy DIR]... -o FILE [-signing-key KEY]
//	                                                        build a signed bundle for a bundle service
//	checkin fmt [-check] DIR                                format Rego as opa fmt does
//	checkin jurisdictions [-policy DIR]... [-coverage]      print the jurisdiction profiles with their sources
//	checkin version                                         print the module version and the policy revision
//
// Run "checkin COMMAND -h" for a command's flags.
//
// A command that fails prints "checkin: <error>" on standard error and exits
// 1 (decide and explain exit 2 for an invalid request). An interrupt (SIGINT)
// stops the command, which prints "checkin: interrupted" and exits 130; a
// second interrupt ends it at once.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// A command is one subcommand: its name, a line of help, and what it does
// with its arguments, reading a request from in and writing to out.
type command struct {
	name, usage, summary, help string
	run                        func(ctx context.Context, fs *flag.FlagSet, args []string, in io.Reader, out io.Writer) error
}

// exitError ends a command that has already said why (a usage message, an
// invalid request, failed tests) with a process exit code.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// usageError is a command line that names no command: what is wrong with
// it, if anything is said, then the list of commands.
type usageError struct{ problem string }

func (e usageError) Error() string { return e.problem }

// commands lists the subcommands in the order the usage shows them.
func commands() []command {
	return []command{
		{"decide", "decide [-policy DIR]... [-record FILE] [FILE]", "decide one request", "Decide one request, read as JSON from FILE or standard input, and print the decision as JSON.\nAn invalid request prints {\"outcome\": \"invalid\", \"problems\": [...]} and exits 2.", runDecide},
		{"test", "test [-policy DIR]... [DIR]", "run the Rego tests and scenario files", "Run the policy's Rego tests and the scenario files (*.json) under DIR and under each\noverlay's scenarios folder. Prints each failure and ends with \"N passed, N failed\";\nexits 1 if anything failed.", runTest},
		{"explain", "explain [-policy DIR]... [-trace] [FILE]", "explain a decision rule by rule", "Decide one request, read as JSON from FILE or standard input, and print, for each action,\nthe rules tried in order, which applied and which decided, with the reasons, conditions\nand remedies. -trace adds OPA's full trace.", runExplain},
		{"check", "check [-policy DIR]...", "validate a policy without deciding", "Load the default policy with the overlays and check it as the engine does before using it:\nwhat each overlay holds, strict compilation against the request schema, the profiles, the\noverlays' Rego tests and scenario files. Prints every problem with file and line and exits 1\nif there are any; otherwise lists each jurisdiction an overlay amended: code, overlays, fields.", runCheck},
		{"replay", "replay -policy DIR... RECORDS", "list recorded decisions an edit would change", "Decide again every request in RECORDS (a JSON-lines file written by decide -record) under\nthe default policy with the given overlays, and list every action whose verdict or basis\nchanges: record id, action, verdict and basis before and after. Ends with the line\n\"N decisions, M changed\". Shows progress on a terminal.", runReplay},
		{"report", "report [-since DATE] [-until DATE] [-policy DIR]... [-json] RECORDS...", "summarise recorded decisions", "Summarise the decisions in RECORDS (JSON-lines files written by decide -record, the decision\nservice's -record or the demo's -record; - for standard input) made between -since and -until\n(the desk's local dates, inclusive): decisions by outcome and by day, the most frequent refusals\nby basis and by action, the remedies offered for them, the conditions staff had to meet, the\njurisdictions that had no profile or that an overlay amended, and the decisions per policy\nrevision. Every record is redacted as it is read: no name or birth date is printed. With\n-policy, every request is decided again under the default policy with those overlays, and the\nreport says how many refusals it would turn into a yes, and how many yeses into a no.", runReport},
		{"diff", "diff [-from DIR] [-to DIR] [-n N]", "compare two policies over a grid of requests", "Decide a generated grid of requests covering every relationship, guardian role, document\nstate, age band, jurisdiction and action under two policies (each the default policy with an\noptional overlay; omit a side for the default alone), and report how many verdicts change,\ngrouped by action and change, with one example request per group. Ends with the line\n\"N requests, M verdicts changed\".", runDiff},
		{"profile", "profile [-policy DIR]... [-top N] [FILE|DIR]", "print what the policy costs per decision, rule by rule", "Decide requests under OPA's profiler and print what each decision costs: the rule bodies\nentered and expressions evaluated per decision, the same for the default policy alone on the\nsame requests and what the overlays add (\"your overlay adds N rule bodies per decision\"),\nand the rules that cost most per decision, with where each is defined and its share of the\ntime. The counts are the same on every machine; the time is not. The requests are those of\nthe scenario files (*.json) under DIR, of the scenario file FILE, or of the records in FILE\n(JSON lines written by decide -record); by default, each overlay's scenarios folder, or,\nwithout one, a sample of the grid diff decides. Invalid requests are left out.", runProfile},
		{"bundle", "bundle build [-policy DIR]... -o FILE [-signing-key KEY]", "build a signed bundle for a bundle service", "Check the default policy with the overlays as the engine does, and write it as an OPA bundle\n(a gzipped tarball) to FILE: the default policy at its root, each overlay under overlays/N/,\nand a manifest whose revision is the policy's revision. With -signing-key the bundle is signed\nas opa sign signs it; desks refuse unsigned bundles. Publish it by putting FILE where the bundle\nservice serves it; desks configured with WithBundleService or the decision service's -config\npick it up at their next poll.", runBundle},
		{"fmt", "fmt [-check] DIR", "format Rego as opa fmt does", "Format every .rego file under DIR in place, as opa fmt does. With -check, change nothing:\nlist the files that are not formatted and exit 1 if there are any.", runFmt},
		{"jurisdictions", "jurisdictions [-policy DIR]... [-coverage]", "print the jurisdiction profiles and their sources", "Print the jurisdiction profiles as a JSON array: code, name, the overlays that amended it\n(amended_by), and each entry's field, value, source, verify flag and the overlay that set it.\nWith -coverage, print instead a table of how many profiles set each field and how many of\nthose entries are marked verify, then the jurisdictions with no entry for the fields most\nset (and always for the surrogate order and minor self-consent): there the default applies.", runJurisdictions},
		{"version", "version", "print the module and policy versions", "Print the module version, the policy revision and the OPA version.", runVersion},
	}
}

func main() {
	os.Exit(runInterruptible(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// runInterruptible runs the command line with a context cancelled by the
// first interrupt (SIGINT); a second one ends the process at once.
func runInterruptible(args []string, in io.Reader, out, errOut io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	return run(ctx, args, in, out, errOut)
}

// run runs the command line args and returns the process's exit code.
func run(ctx context.Context, args []string, in io.Reader, out, errOut io.Writer) int {
	return exit(ctx, errOut, runCommand(ctx, args, in, out, errOut))
}

func runCommand(ctx context.Context, args []string, in io.Reader, out, errOut io.Writer) error {
	if len(args) == 0 {
		return usageError{}
	}
	if args[0] == "-h" || args[0] == "-help" || args[0] == "help" {
		usage(errOut)
		return nil
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		fs.SetOutput(errOut)
		fs.Usage = func() {
			fmt.Fprintf(errOut, "usage: checkin %s\n\n%s\n", c.usage, c.help)
			if hasFlags(fs) {
				fmt.Fprintln(errOut, "\nFlags:")
				fs.PrintDefaults()
			}
		}
		return c.run(ctx, fs, args[1:], in, out)
	}
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}

// exit is where every command ends: it writes the error, if any, to errOut
// as "checkin: <error>" and returns the process's exit code. A command
// interrupted (its context cancelled) exits 130, as a shell reports SIGINT,
// whatever it returned, since its output may be incomplete.
func exit(ctx context.Context, errOut io.Writer, err error) int {
	var withCode exitError
	var badUsage usageError
	switch {
	case ctx.Err() != nil:
		fmt.Fprintln(errOut, "checkin: interrupted")
		return 130
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &withCode):
		return withCode.code
	case errors.As(err, &badUsage):
		if badUsage.problem != "" {
			fmt.Fprintf(errOut, "checkin: %s\n\n", badUsage.problem)
		}
		usage(errOut)
		return 2
	default:
		fmt.Fprintln(errOut, "checkin:", err)
		return 1
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: checkin COMMAND [ARGS]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-46s %s\n", c.usage, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"checkin COMMAND -h\" for a command's flags.")
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// overlays collects -policy flags: overlay folders applied over the default policy, in order.
type overlays []string

func (o *overlays) String() string { return strings.Join(*o, ",") }

func (o *overlays) Set(dir string) error {
	*o = append(*o, dir)
	return nil
}

func policyFlag(fs *flag.FlagSet) *overlays {
	var dirs overlays
	fs.Var(&dirs, "policy", "an overlay `DIR` applied over the default policy (repeatable, applied in order)")
	return &dirs
}

func newEngine(ctx context.Context, dirs overlays, more ...checkin.Option) (*checkin.Engine, error) {
	var opts []checkin.Option
	for _, dir := range dirs {
		opts = append(opts, checkin.WithOverlayDir(dir))
	}
	engine, err := checkin.New(ctx, append(opts, more...)...)
	if err == nil && ctx.Err() != nil {
		return nil, ctx.Err() // interrupted while loading: do nothing more
	}
	return engine, err
}

func runDecide(ctx context.Context, fs *flag.FlagSet, args []string, in io.Reader, out io.Writer) error {
	dirs := policyFlag(fs)
	record := fs.String("record", "", "append the decision, redacted, to the JSON-lines `FILE`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return exitError{2}
	}
	data, err := readInput(ctx, fs.Arg(0), in)
	if err != nil {
		return err
	}
	// A decision asked to be recorded is printed only once it is on disk:
	// the recorder is required, and the file is synced and closed first.
	var opts []checkin.Option
	var recordFile *os.File
	if *record != "" {
		recordFile, err = os.OpenFile(*record, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		defer recordFile.Close() // a second Close, after keepRecord's, is harmless
		opts = append(opts, checkin.WithRequiredRecorder(checkin.NewJSONLRecorder(recordFile, nil)))
	}
	engine, err := newEngine(ctx, *dirs, opts...)
	if err != nil {
		return err
	}
	req, err := checkin.ParseRequest(data)
	var d checkin.Decision
	if err == nil {
		d, err = engine.Decide(ctx, req)
	}
	var invalid *checkin.ValidationError
	var notRecorded *checkin.RecordError
	switch {
	case errors.As(err, &invalid):
		if err := writeJSON(out, map[string]any{"outcome": checkin.Invalid, "problems": invalid.Problems}); err != nil {
			return err
		}
		return exitError{2}
	case errors.As(err, &notRecorded):
		return notRecordedIn(*record, notRecorded.Err)
	case err != nil:
		return err
	}
	if recordFile != nil {
		if err := keepRecord(recordFile); err != nil {
			return notRecordedIn(*record, err)
		}
	}
	return writeJSON(out, d)
}

func notRecordedIn(file string, err error) error {
	return fmt.Errorf("the decision was not recorded in %s, so it is not given: %w", file, err)
}

// keepRecord syncs a record file to disk, if it is a regular file (a pipe or
// device cannot be synced), and closes it.
func keepRecord(f *os.File) error {
	if info, err := f.Stat(); err != nil {
		return err
	} else if info.Mode().IsRegular() {
		if err := f.Sync(); err != nil {
			return err
		}
	}
	return f.Close()
}

func runJurisdictions(ctx context.Context, fs *flag.FlagSet, args []string, _ io.Reader, out io.Writer) error {
	dirs := policyFlag(fs)
	asCoverage := fs.Bool("coverage", false, "print how many profiles set each field, not the profiles")
	if err := fs.Parse(args); err != nil {
		return err
	}
	engine, err := newEngine(ctx, *dirs)
	if err != nil {
		return err
	}
	if *asCoverage {
		return writeCoverage(out, engine.Jurisdictions())
	}
	return writeJSON(out, engine.Jurisdictions())
}

func runTest(ctx context.Context, fs *flag.FlagSet, args []string, _ io.Reader, out io.Writer) error {
	dirs := policyFlag(fs)
	verbose := fs.Bool("v", false, "list every test and case, not only failures")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return exitError{2}
	}
	engine, err := newEngine(ctx, *dirs)
	if err != nil {
		return err
	}
	passed, failed := 0, 0
	report := func(ok bool, name, detail string) {
		if ok {
			passed++
		} else {
			failed++
		}
		if !ok || *verbose {
			status := "PASS"
			if !ok {
				status = "FAIL"
			}
			fmt.Fprintf(out, "%s %s\n", status, name)
			if detail != "" {
				fmt.Fprintf(out, "    %s\n", strings.ReplaceAll(detail, "\n", "\n    "))
			}
		}
	}

	results, err := checkintest.RegoTests(ctx, engine)
	if err != nil {
		return err
	}
	for _, r := range results {
		if r.Skip {
			continue
		}
		report(r.Pass, fmt.Sprintf("%s:%d: %s.%s", r.File, r.Line, r.Package, r.Name), r.Message+r.Output)
	}

	var folders []string
	if fs.NArg() == 1 {
		folders = append(folders, fs.Arg(0))
	}
	for _, dir := range *dirs {
		if info, err := os.Stat(filepath.Join(dir, "scenarios")); err == nil && info.IsDir() {
			folders = append(folders, filepath.Join(dir, "scenarios"))
		}
	}
	for _, dir := range folders {
		cases, err := checkintest.LoadScenarios(os.DirFS(dir), ".")
		if err != nil {
			return err
		}
		for _, c := range cases {
			failures := checkintest.CheckScenario(ctx, engine, c)
			details := make([]string, len(failures))
			for i, f := range failures {
				details[i] = f.String()
			}
			report(len(failures) == 0, fmt.Sprintf("%s: %s", filepath.Join(dir, c.File), c.Name), strings.Join(details, "\n"))
		}
	}
	if err := ctx.Err(); err != nil {
		return err // cases cut short would count as failures
	}
	fmt.Fprintf(out, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return exitError{1}
	}
	return nil
}

func runVersion(ctx context.Context, fs *flag.FlagSet, args []string, _ io.Reader, out io.Writer) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	engine, err := newEngine(ctx, nil)
	if err != nil {
		return err
	}
	module, opa := "(devel)", "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		module = info.Main.Version
		for _, dep := range info.Deps {
			if dep.Path == "github.com/open-policy-agent/opa" {
				opa = dep.Version
			}
		}
	}
	_, err = fmt.Fprintf(out, "frontdesk %s\npolicy %s\nopa %s\n", module, engine.Revision(), opa)
	return err
}

// readInput reads the named file, or stdin for "" or "-", no more than one
// byte past the largest request, which ParseRequest then refuses. It gives
// up when ctx is done: a terminal's standard input may never end.
func readInput(ctx context.Context, name string, stdin io.Reader) ([]byte, error) {
	r := stdin
	if name != "" && name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	type result struct {
		data []byte
		err  error
	}
	read := make(chan result, 1) // the read may outlive the call
	go func() {
		data, err := io.ReadAll(io.LimitReader(r, checkin.MaxRequestBytes+1))
		read <- result{data, err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case res := <-read:
		return res.data, res.err
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/frontdesk-policy/frontdesk/checkin/report"
)

// runReport summarises recorded decisions: checkin report [-since DATE]
// [-until DATE] [-policy DIR]... [-json] RECORDS...
func runReport(ctx context.Context, fs *flag.FlagSet, args []string, in io.Reader, out io.Writer) error {
	dirs := policyFlag(fs)
	var opts report.Options
	fs.StringVar(&opts.Since, "since", "", "count decisions from `DATE` (YYYY-MM-DD, the desk's local date), inclusive")
	fs.StringVar(&opts.Until, "until", "", "count decisions up to `DATE` (YYYY-MM-DD), inclusive")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitError{2}
	}
	if len(*dirs) > 0 {
		// The candidate records nothing: a replay is not a decision made.
		engine, err := newEngine(ctx, *dirs)
		if err != nil {
			return err
		}
		opts.Candidate = engine
	}
	b, err := report.NewBuilder(opts)
	if err != nil {
		return err
	}
	for _, name := range fs.Args() {
		if err := readRecordsInto(ctx, b, name, in); err != nil {
			return err
		}
	}
	r := b.Report()
	if *asJSON {
		return writeJSON(out, r)
	}
	return r.WriteText(out)
}

// readRecordsInto adds the records of the file name ("-": in) to b.
func readRecordsInto(ctx context.Context, b *report.Builder, name string, in io.Reader) error {
	if name == "-" {
		return b.Read(ctx, in)
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := b.Read(ctx, f); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

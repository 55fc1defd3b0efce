// Command checkin decides front-desk check-in requests and helps compliance
// staff test and ship changes to the policy.
//
// Usage:
//
//	checkin decide [FILE]   decide one request (JSON from FILE or stdin)
//	checkin version         print the module version and the policy revision
//
// Run "checkin COMMAND -h" for a command's flags.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// A command is one subcommand: its name, a line of help, and what it does.
type command struct {
	name, usage, help string
	run               func(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error
}

// exitError carries a process exit code other than 1.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

var commands = []command{
	{"decide", "decide [FILE]", "Decide one request, read as JSON from FILE or standard input, and print the decision as JSON.\nAn invalid request prints {\"outcome\": \"invalid\", \"problems\": [...]} and exits 2.", runDecide},
	{"version", "version", "Print the module version, the policy revision and the OPA version.", runVersion},
}

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// stdin is where commands read a request when no file is named.
var stdin io.Reader = os.Stdin

func run(ctx context.Context, args []string, in io.Reader, out, errOut io.Writer) int {
	stdin = in
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "help" {
		usage(errOut)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
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
		err := c.run(ctx, fs, args[1:], out)
		var exit exitError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &exit):
			return exit.code
		default:
			fmt.Fprintln(errOut, "checkin:", err)
			return 1
		}
	}
	fmt.Fprintf(errOut, "checkin: unknown command %q\n\n", args[0])
	usage(errOut)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: checkin COMMAND [ARGS]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-40s %s\n", c.usage, firstLine(c.help))
	}
	fmt.Fprintln(w, "\nRun \"checkin COMMAND -h\" for a command's flags.")
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

func runDecide(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return exitError{2}
	}
	data, err := readInput(fs.Arg(0))
	if err != nil {
		return err
	}
	engine, err := checkin.New(ctx)
	if err != nil {
		return err
	}
	req, err := checkin.ParseRequest(data)
	var d checkin.Decision
	if err == nil {
		d, err = engine.Decide(ctx, req)
	}
	var invalid *checkin.ValidationError
	if errors.As(err, &invalid) {
		if err := writeJSON(out, map[string]any{"outcome": checkin.Invalid, "problems": invalid.Problems}); err != nil {
			return err
		}
		return exitError{2}
	}
	if err != nil {
		return err
	}
	return writeJSON(out, d)
}

func runVersion(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	engine, err := checkin.New(ctx)
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

// readInput reads the named file, or standard input for "" or "-".
func readInput(name string) ([]byte, error) {
	if name == "" || name == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(name)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

package policy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
)

// A Problem is one thing wrong with a policy's sources, at a place in a file.
type Problem struct {
	File    string // the file's path inside its source, or "" when the problem has no single file
	Line    int    // 1-based, or 0 when the problem is about the whole file
	Code    string // OPA's error code, such as "rego_parse_error", or this package's own
	Message string
}

func (p Problem) String() string {
	switch {
	case p.File == "":
		return fmt.Sprintf("%s: %s", p.Code, p.Message)
	case p.Line == 0:
		return fmt.Sprintf("%s: %s: %s", p.File, p.Code, p.Message)
	default:
		return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Code, p.Message)
	}
}

// LoadError reports every problem that kept a policy from loading. Nothing of
// a policy that fails to load is used.
type LoadError struct {
	Problems []Problem
}

func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("policy: %d problem(s):\n%s", len(lines), strings.Join(lines, "\n"))
}

// ErrUndefined is returned by Eval when the query has no value for the input.
var ErrUndefined = errors.New("policy: query is undefined for this input")

// problemsOf turns the errors OPA reports into Problems, keeping file and line.
func problemsOf(err error, source string) []Problem {
	var astErrs ast.Errors
	if errors.As(err, &astErrs) {
		out := make([]Problem, 0, len(astErrs))
		for _, e := range astErrs {
			out = append(out, astProblem(e, source))
		}
		return out
	}
	var astErr *ast.Error
	if errors.As(err, &astErr) {
		return []Problem{astProblem(astErr, source)}
	}
	var loadErrs loader.Errors
	if errors.As(err, &loadErrs) {
		var out []Problem
		for _, e := range loadErrs {
			out = append(out, problemsOf(e, source)...)
		}
		return out
	}
	return []Problem{{File: source, Code: "policy_error", Message: err.Error()}}
}

func astProblem(e *ast.Error, source string) Problem {
	p := Problem{File: source, Code: e.Code, Message: e.Message}
	if e.Location != nil {
		if e.Location.File != "" {
			p.File = e.Location.File
		}
		p.Line = e.Location.Row
	}
	return p
}

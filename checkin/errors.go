package checkin

import (
	"errors"
	"fmt"
	"strings"

	"github.com/frontdesk-policy/frontdesk/policy"
)

// A LoadError reports every problem that kept a policy from loading, from
// New or Reload. Nothing of a policy that fails to load is used.
type LoadError struct {
	Problems []PolicyProblem
}

func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("policy: %d problem(s):\n%s", len(lines), strings.Join(lines, "\n"))
}

// A PolicyProblem is one thing wrong with a policy's files, at a place in a
// file: Rego that does not compile, a malformed profile, an overlay
// reaching past its bounds, a failing Rego test or scenario of an overlay.
type PolicyProblem struct {
	File    string // the file's path, under its overlay's name; "" when the problem has no single file
	Line    int    // 1-based, or 0 when the problem is about the whole file
	Code    string // OPA's error code, such as "rego_parse_error", or the engine's own, such as "profile_error"
	Message string
}

func (p PolicyProblem) String() string { return policy.Problem(p).String() }

// loadError turns the policy package's *LoadError into the engine's; any
// other error passes through.
func loadError(err error) error {
	var le *policy.LoadError
	if !errors.As(err, &le) {
		return err
	}
	out := &LoadError{Problems: make([]PolicyProblem, len(le.Problems))}
	for i, p := range le.Problems {
		out.Problems[i] = PolicyProblem(p)
	}
	return out
}

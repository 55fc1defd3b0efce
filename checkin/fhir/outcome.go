package fhir

import (
	"errors"
	"fmt"
	"strings"

	models "github.com/samply/golang-fhir-models/fhir-models/fhir"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// Error lists every problem with the FHIR input of a check-in. Nothing is
// decided on input with a problem.
type Error struct {
	Issues []Issue
}

// An Issue is one problem with the input: the resource it is in
// ("RelatedPerson/f002", or "" for the facts), a FHIRPath-style path to the
// element ("RelatedPerson/f002.birthDate", "facts.companion.age"), a FHIR
// issue-type code, and a message saying what is wrong and what to send
// instead.
type Issue struct {
	Resource string `json:"resource,omitempty"`
	Path     string `json:"path"`
	// Code is a code of FHIR's issue-type value set: invalid, structure,
	// required, value, code-invalid, not-found, not-supported, duplicate or
	// too-long.
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Issue codes used.
const (
	codeInvalid      = "invalid"
	codeStructure    = "structure"
	codeRequired     = "required"
	codeValue        = "value"
	codeCodeInvalid  = "code-invalid"
	codeNotFound     = "not-found"
	codeNotSupported = "not-supported"
	codeDuplicate    = "duplicate"
	codeTooLong      = "too-long"
)

func (e *Error) Error() string {
	parts := make([]string, len(e.Issues))
	for i, is := range e.Issues {
		if is.Path == "" {
			parts[i] = is.Message
		} else {
			parts[i] = is.Path + ": " + is.Message
		}
	}
	return "fhir: invalid check-in: " + strings.Join(parts, "; ")
}

// issues collects problems as they are found.
type issues []Issue

func (l *issues) add(resource, path, code, format string, args ...any) {
	*l = append(*l, Issue{Resource: resource, Path: path, Code: code, Message: fmt.Sprintf(format, args...)})
}

// err returns the collected problems as an *Error, or nil.
func (l issues) err() error {
	if len(l) == 0 {
		return nil
	}
	return &Error{Issues: l}
}

// OperationOutcome renders an error as a FHIR R4 OperationOutcome: one issue
// of severity error per problem of a *Error (expression: its path) or of a
// *checkin.ValidationError (expression: the request's field); any other error,
// one that says nothing about the input, as a single exception issue. The
// value marshals to JSON with "resourceType": "OperationOutcome".
func OperationOutcome(err error) models.OperationOutcome {
	var out models.OperationOutcome
	var fe *Error
	var ve *checkin.ValidationError
	switch {
	case errors.As(err, &fe):
		for _, is := range fe.Issues {
			out.Issue = append(out.Issue, outcomeIssue(is.Code, is.Message, is.Path))
		}
	case errors.As(err, &ve):
		for _, p := range ve.Problems {
			out.Issue = append(out.Issue, outcomeIssue(codeInvalid, p.Problem, p.Field))
		}
	case err != nil:
		out.Issue = append(out.Issue, outcomeIssue("exception", err.Error(), ""))
	}
	if len(out.Issue) == 0 { // an OperationOutcome has at least one issue
		out.Issue = append(out.Issue, models.OperationOutcomeIssue{
			Severity: models.IssueSeverityInformation, Code: models.IssueTypeInformational,
			Diagnostics: ptr("no problem"),
		})
	}
	return out
}

func outcomeIssue(code, message, path string) models.OperationOutcomeIssue {
	is := models.OperationOutcomeIssue{
		Severity:    models.IssueSeverityError,
		Code:        issueType(code),
		Diagnostics: ptr(message),
	}
	if path != "" {
		is.Expression = []string{path}
	}
	return is
}

func issueType(code string) models.IssueType {
	switch code {
	case codeStructure:
		return models.IssueTypeStructure
	case codeRequired:
		return models.IssueTypeRequired
	case codeValue:
		return models.IssueTypeValue
	case codeCodeInvalid:
		return models.IssueTypeCodeInvalid
	case codeNotFound:
		return models.IssueTypeNotFound
	case codeNotSupported:
		return models.IssueTypeNotSupported
	case codeDuplicate:
		return models.IssueTypeDuplicate
	case codeTooLong:
		return models.IssueTypeTooLong
	case "exception":
		return models.IssueTypeException
	default:
		return models.IssueTypeInvalid
	}
}

func ptr[T any](v T) *T { return &v }

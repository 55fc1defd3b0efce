package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/fhir"
)

const (
	// serviceID is the CDS service's id: its URL is /cds-services/frontdesk-check-in.
	serviceID = "frontdesk-check-in"
	// hookName is the one hook the service answers: outpatient check-in.
	hookName = "encounter-start"
	// extensionKey names the desk facts in the hook's context extension.
	extensionKey = "frontdesk-check-in"
)

// The prefetch keys the service asks for, and the templates it asks with.
var prefetchTemplates = map[string]string{
	"patient":        "Patient/{{context.patientId}}",
	"relatedPersons": "RelatedPerson?patient={{context.patientId}}",
	"consents":       "Consent?patient={{context.patientId}}",
}

// prefetchKeys are the prefetch keys in the order a message names them.
var prefetchKeys = []string{"patient", "relatedPersons", "consents"}

type cdsService struct {
	Hook              string            `json:"hook"`
	ID                string            `json:"id"`
	Title             string            `json:"title"`
	Description       string            `json:"description"`
	Prefetch          map[string]string `json:"prefetch"`
	UsageRequirements string            `json:"usageRequirements"`
}

// discovery answers GET /cds-services.
func (s *server) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string][]cdsService{"services": {{
		Hook:  hookName,
		ID:    serviceID,
		Title: "Front-desk check-in",
		Description: "Says what the person with the patient at check-in may do: bring them in, consent to care, " +
			"hear about it, take them home; each answer with its basis, the conditions to meet first and, " +
			"for a refusal, what would make it a yes.",
		Prefetch: prefetchTemplates,
		UsageRequirements: `The desk's facts go in context.extension["` + extensionKey + `"]: the companion as a ` +
			`reference to the prefetched RelatedPerson (or the Patient), what happened at the desk, and the ` +
			`requested actions. The service does not call the FHIR server: every prefetch key is required.`,
	}}})
}

// hookRequest is a CDS Hooks 2.0 call on encounter-start.
type hookRequest struct {
	Hook              string                     `json:"hook"`
	HookInstance      string                     `json:"hookInstance"`
	FHIRServer        string                     `json:"fhirServer,omitempty"`
	FHIRAuthorization json.RawMessage            `json:"fhirAuthorization,omitempty"`
	Context           hookContext                `json:"context"`
	Prefetch          map[string]json.RawMessage `json:"prefetch"`
}

type hookContext struct {
	UserID      string                     `json:"userId"`
	PatientID   string                     `json:"patientId"`
	EncounterID string                     `json:"encounterId"`
	Extension   map[string]json.RawMessage `json:"extension"`
}

// hook answers POST /cds-services/frontdesk-check-in with one card for the
// decision. An integration's mistake is an HTTP error (400, or 412 for a
// missing prefetch); patient data that cannot be decided on is a critical
// card, which the clerk sees.
func (s *server) hook(w http.ResponseWriter, r *http.Request, engine *checkin.Engine) {
	body, ok := s.readBody(w, r, "application/json")
	if !ok {
		return
	}
	var call hookRequest
	if err := json.Unmarshal(body, &call); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_hook_request", "the body is not a CDS Hooks request: "+err.Error())
		return
	}
	if problems := call.problems(); len(problems) > 0 {
		writeJSON(w, http.StatusBadRequest, apiError{Code: "invalid_hook_request",
			Message: "the CDS Hooks request cannot be answered: " + strings.Join(problems, "; "), Errors: problems})
		return
	}
	var missing []string
	for _, key := range prefetchKeys {
		if v, ok := call.Prefetch[key]; !ok || string(v) == "null" {
			missing = append(missing, fmt.Sprintf("prefetch.%s (%s)", key, prefetchTemplates[key]))
		}
	}
	if len(missing) > 0 {
		writeJSON(w, http.StatusPreconditionFailed, apiError{Code: "prefetch_missing",
			Message: "the service does not call the FHIR server; send " + strings.Join(missing, ", "), Errors: missing})
		return
	}
	if id := resourceID(call.Prefetch["patient"]); id != call.Context.PatientID {
		writeJSON(w, http.StatusBadRequest, apiError{Code: "invalid_hook_request",
			Message: fmt.Sprintf("prefetch.patient is Patient %q, not context.patientId %q", id, call.Context.PatientID)})
		return
	}

	req, err := call.checkInRequest()
	if err != nil {
		s.undecided(w, r, err)
		return
	}
	d, id, invalid, ok := s.decideOrFail(w, r, engine, req)
	switch {
	case !ok:
	case invalid != nil:
		s.undecided(w, r, invalid)
	default:
		writeJSON(w, http.StatusOK, cardsResponse{Cards: cardsFor(d, req, id, s.policyURL())})
	}
}

type cardsResponse struct {
	Cards []Card `json:"cards"`
}

// problems lists what makes a call one this service cannot answer,
// each naming its field.
func (call hookRequest) problems() []string {
	var out []string
	if call.Hook != hookName {
		out = append(out, fmt.Sprintf("hook: %q is not %q, the only hook this service answers", call.Hook, hookName))
	}
	if call.HookInstance == "" {
		out = append(out, "hookInstance: required")
	}
	for field, v := range map[string]string{"userId": call.Context.UserID, "patientId": call.Context.PatientID, "encounterId": call.Context.EncounterID} {
		if v == "" {
			out = append(out, "context."+field+": required by "+hookName)
		}
	}
	if v, ok := call.Context.Extension[extensionKey]; !ok || string(v) == "null" {
		out = append(out, fmt.Sprintf(`context.extension["%s"]: required: the desk's facts (companion, desk, requested)`, extensionKey))
	}
	slices.Sort(out)
	return out
}

// checkInRequest maps the prefetched resources and the desk facts to the
// contract's request.
func (call hookRequest) checkInRequest() (checkin.Request, error) {
	var res fhir.Resources
	var errs []error
	for _, key := range prefetchKeys {
		if err := res.Add(call.Prefetch[key]); err != nil {
			errs = append(errs, err)
		}
	}
	facts, err := fhir.ParseFacts(call.Context.Extension[extensionKey])
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return checkin.Request{}, joinFHIRErrors(errs)
	}
	return fhir.Request(res, facts)
}

// resourceID reads the id of a resource given as JSON, "" if it has none.
func resourceID(data json.RawMessage) string {
	var res struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(data, &res)
	return res.ID
}

// policyURL is where a card's source points: this service's policy status,
// which names the revision, at the URL the EHR reaches the service at
// (-public-url), never at one a request's Host header chose.
func (s *server) policyURL() string {
	base, _ := s.publicURL.Load().(string)
	return strings.TrimSuffix(base, "/") + "/v1/policy"
}

// undecided answers a call whose data cannot be decided on with one
// critical card saying so, the problems in its detail and the
// OperationOutcome in its extension; a fault of the service is a 500. The
// card has a uuid of its own, for feedback, but no decision is recorded
// under it: none was made.
func (s *server) undecided(w http.ResponseWriter, r *http.Request, err error) {
	if !isInputError(err) {
		s.log.ErrorContext(r.Context(), "check-in could not be mapped", "error", err.Error())
		writeError(w, http.StatusInternalServerError, "internal_error", "the check-in could not be read")
		return
	}
	card := invalidCard(problemsOf(err), checkin.NewDecisionID())
	card.Source.URL = s.policyURL()
	card.Extension = map[string]any{cardExtensionKey: map[string]any{
		"outcome":          checkin.Invalid,
		"operationOutcome": fhir.OperationOutcome(err),
	}}
	s.log.InfoContext(r.Context(), "check-in not decided", "card", card.UUID, "problems", len(problemsOf(err)))
	writeJSON(w, http.StatusOK, cardsResponse{Cards: []Card{card}})
}

// problemsOf lists an input error's problems as the contract's problems:
// a FHIR issue's path stands for the field.
func problemsOf(err error) []checkin.Problem {
	var fhirErr *fhir.Error
	var invalid *checkin.ValidationError
	switch {
	case errors.As(err, &invalid):
		return invalid.Problems
	case errors.As(err, &fhirErr):
		out := make([]checkin.Problem, len(fhirErr.Issues))
		for i, is := range fhirErr.Issues {
			out[i] = checkin.Problem{Field: is.Path, Problem: is.Message}
		}
		return out
	default:
		return []checkin.Problem{{Problem: err.Error()}}
	}
}

// joinFHIRErrors makes one *fhir.Error of the problems found in each part
// of a call, so that every problem is shown at once.
func joinFHIRErrors(errs []error) error {
	var all fhir.Error
	for _, err := range errs {
		var fhirErr *fhir.Error
		if !errors.As(err, &fhirErr) {
			return errors.Join(errs...)
		}
		all.Issues = append(all.Issues, fhirErr.Issues...)
	}
	return &all
}

// feedbackRequest is a CDS Hooks 2.0 feedback call.
type feedbackRequest struct {
	Feedback []feedbackEntry `json:"feedback"`
}

type feedbackEntry struct {
	Card                string               `json:"card"`
	Outcome             string               `json:"outcome"`
	AcceptedSuggestions []acceptedSuggestion `json:"acceptedSuggestions,omitempty"`
	OverrideReason      *overrideReason      `json:"overrideReason,omitempty"`
	OutcomeTimestamp    string               `json:"outcomeTimestamp"`
}

type acceptedSuggestion struct {
	ID string `json:"id"`
}

type overrideReason struct {
	Reason      *feedbackCoding `json:"reason,omitempty"`
	UserComment string          `json:"userComment,omitempty"`
}

type feedbackCoding struct {
	Code    string `json:"code"`
	System  string `json:"system,omitempty"`
	Display string `json:"display,omitempty"`
}

// feedbackRecord is one line of the feedback file: the entry as the EHR
// sent it, under the decision its card was about.
type feedbackRecord struct {
	Time       time.Time     `json:"time"`
	Service    string        `json:"service"`
	DecisionID string        `json:"decision_id"`
	Feedback   feedbackEntry `json:"feedback"`
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// cdsFeedback answers POST /cds-services/frontdesk-check-in/feedback:
// every entry is recorded, or none is and the call fails.
func (s *server) cdsFeedback(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readBody(w, r, "application/json")
	if !ok {
		return
	}
	var call feedbackRequest
	if err := json.Unmarshal(body, &call); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_feedback", "the body is not CDS Hooks feedback: "+err.Error())
		return
	}
	if problems := call.problems(); len(problems) > 0 {
		writeJSON(w, http.StatusBadRequest, apiError{Code: "invalid_feedback",
			Message: "the feedback is not recorded: " + strings.Join(problems, "; "), Errors: problems})
		return
	}
	now := time.Now().UTC()
	var lines []byte
	for _, f := range call.Feedback {
		line, err := json.Marshal(feedbackRecord{Time: now, Service: serviceID, DecisionID: f.Card, Feedback: f})
		if err != nil {
			writeError(w, http.StatusInternalServerError, "internal_error", "the feedback could not be written")
			return
		}
		lines = append(append(lines, line...), '\n')
	}
	if s.feedback != nil {
		if _, err := s.feedback.Write(lines); err != nil { // one write: all entries or none
			s.log.ErrorContext(r.Context(), "feedback was not recorded", "error", err.Error())
			writeError(w, http.StatusInternalServerError, "not_recorded", "the feedback could not be recorded")
			return
		}
	}
	for _, f := range call.Feedback {
		attrs := []any{"decision_id", f.Card, "outcome", f.Outcome}
		if f.OverrideReason != nil && f.OverrideReason.Reason != nil {
			attrs = append(attrs, "override_reason", f.OverrideReason.Reason.Code)
		}
		s.log.InfoContext(r.Context(), "feedback", attrs...) // the comment is free text: only in the file
	}
	if len(call.Feedback) > 0 {
		noteDecision(r, call.Feedback[0].Card)
	}
	writeJSON(w, http.StatusOK, map[string]int{"recorded": len(call.Feedback)})
}

func (call feedbackRequest) problems() []string {
	var out []string
	if len(call.Feedback) == 0 {
		out = append(out, "feedback: at least one entry is required")
	}
	for i, f := range call.Feedback {
		at := fmt.Sprintf("feedback[%d]", i)
		if !uuidPattern.MatchString(f.Card) {
			out = append(out, fmt.Sprintf("%s.card: %q is not the uuid of a card this service gives", at, f.Card))
		}
		switch f.Outcome {
		case "accepted":
			if f.OverrideReason != nil {
				out = append(out, at+".overrideReason: only for an overridden card")
			}
		case "overridden":
			if len(f.AcceptedSuggestions) > 0 {
				out = append(out, at+".acceptedSuggestions: only for an accepted card")
			}
		default:
			out = append(out, fmt.Sprintf("%s.outcome: %q is not accepted or overridden", at, f.Outcome))
		}
		if _, err := time.Parse(time.RFC3339, f.OutcomeTimestamp); err != nil {
			out = append(out, fmt.Sprintf("%s.outcomeTimestamp: %q is not an RFC 3339 time", at, f.OutcomeTimestamp))
		}
		for j, a := range f.AcceptedSuggestions {
			if a.ID == "" {
				out = append(out, fmt.Sprintf("%s.acceptedSuggestions[%d].id: required", at, j))
			}
		}
		if f.OverrideReason != nil && f.OverrideReason.Reason != nil && f.OverrideReason.Reason.Code == "" {
			out = append(out, at+".overrideReason.reason.code: required")
		}
	}
	return out
}

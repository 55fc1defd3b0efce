package main

import (
	"errors"
	"net/http"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/fhir"
)

// decisionResponse is a decision's answer, in the shape of OPA's REST API.
type decisionResponse struct {
	DecisionID string           `json:"decision_id"`
	Result     checkin.Decision `json:"result"`
}

// decide answers POST /v1/decisions: the contract's request JSON, parsed
// as strictly as checkin decide parses it.
func (s *server) decide(w http.ResponseWriter, r *http.Request, engine *checkin.Engine) {
	req, ok := s.readRequest(w, r)
	if !ok {
		return
	}
	d, id, invalid, ok := s.decideOrFail(w, r, engine, req)
	switch {
	case !ok:
	case invalid != nil:
		writeInvalid(w, invalid)
	default:
		writeJSON(w, http.StatusOK, decisionResponse{DecisionID: id, Result: d})
	}
}

// readRequest reads the body as the contract's request JSON, answering
// (ok false) a body that is not one.
func (s *server) readRequest(w http.ResponseWriter, r *http.Request) (req checkin.Request, ok bool) {
	body, ok := s.readBody(w, r, "application/json")
	if !ok {
		return req, false
	}
	req, err := checkin.ParseRequest(body)
	var invalid *checkin.ValidationError
	if errors.As(err, &invalid) {
		writeInvalid(w, invalid)
		return req, false
	} else if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return req, false
	}
	return req, true
}

// jurisdictions answers GET /v1/jurisdictions.
func (s *server) jurisdictions(w http.ResponseWriter, r *http.Request, engine *checkin.Engine) {
	writeJSON(w, http.StatusOK, map[string]any{"jurisdictions": engine.Jurisdictions()})
}

// policyStatus is the body of GET /v1/policy.
type policyStatus struct {
	Revision   string              `json:"revision"`
	Overlays   []string            `json:"overlays"`
	Amended    []checkin.Amendment `json:"amended"`
	Language   string              `json:"language,omitempty"`
	Cache      cacheStatus         `json:"cache"`
	LastReload reloadStatus        `json:"last_reload"`
	// Bundle is the bundle service's and the collector's state, with -config.
	Bundle *checkin.PolicyStatus `json:"bundle,omitempty"`
}

type cacheStatus struct {
	Size    int    `json:"size"`
	Entries int    `json:"entries"`
	Hits    uint64 `json:"hits"`
	Misses  uint64 `json:"misses"`
}

// policy answers GET /v1/policy: what is serving and how the last reload went.
func (s *server) policy(w http.ResponseWriter, r *http.Request, engine *checkin.Engine) {
	stats := engine.CacheStats()
	status := policyStatus{
		Revision:   engine.Revision(),
		Overlays:   append([]string{}, s.cfg.overlays...),
		Amended:    engine.Amendments(),
		Language:   s.cfg.lang,
		Cache:      cacheStatus{Size: stats.Size, Entries: stats.Entries, Hits: stats.Hits, Misses: stats.Misses},
		LastReload: s.reloadStatus(),
	}
	if s.cfg.bundles != "" {
		bundle := engine.PolicyStatus()
		status.Bundle = &bundle
	}
	if status.Amended == nil {
		status.Amended = []checkin.Amendment{}
	}
	writeJSON(w, http.StatusOK, status)
}

// decideFHIR answers POST /v1/decisions/fhir: a Bundle of the check-in's
// resources and the desk's facts. Every problem with them, or with the
// request they map to, is a 400 OperationOutcome.
func (s *server) decideFHIR(w http.ResponseWriter, r *http.Request, engine *checkin.Engine) {
	body, ok := s.readBody(w, r, "application/json", "application/fhir+json")
	if !ok {
		return
	}
	res, facts, err := fhir.ParseCheckIn(body)
	if err != nil {
		s.writeOutcome(w, r, err)
		return
	}
	req, err := fhir.Request(res, facts)
	if err != nil {
		s.writeOutcome(w, r, err)
		return
	}
	d, id, invalid, ok := s.decideOrFail(w, r, engine, req)
	switch {
	case !ok:
	case invalid != nil:
		s.writeOutcome(w, r, invalid)
	default:
		writeJSON(w, http.StatusOK, decisionResponse{DecisionID: id, Result: d})
	}
}

// writeOutcome answers the FHIR route's bad input with an OperationOutcome;
// an error that is not about the input is the service's own (500).
func (s *server) writeOutcome(w http.ResponseWriter, r *http.Request, err error) {
	if !isInputError(err) {
		s.log.ErrorContext(r.Context(), "check-in could not be mapped", "error", err.Error())
		writeError(w, http.StatusInternalServerError, "internal_error", "the check-in could not be read")
		return
	}
	writeBody(w, http.StatusBadRequest, "application/fhir+json", fhir.OperationOutcome(err))
}

// isInputError tells a problem with the input from a fault of the service.
func isInputError(err error) bool {
	var fhirErr *fhir.Error
	var invalid *checkin.ValidationError
	return errors.As(err, &fhirErr) || errors.As(err, &invalid)
}

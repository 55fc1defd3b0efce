package main

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/examples/internal/words"
	"github.com/frontdesk-policy/frontdesk/rego"
)

// The case page and the report are plain HTML, CSS and JavaScript embedded
// in the binary: no build step, nothing fetched from elsewhere, so they
// work offline and a Content-Security-Policy can allow only the service.
//
//go:embed page
var pageFiles embed.FS

var pageTemplates = template.Must(template.New("").ParseFS(pageFiles, "page/*.html"))

// securityHeaders are set on every page and asset: scripts, styles and
// everything else only from the service itself, no inline script, no
// framing, no guessing of content types.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; script-src 'self'; style-src 'self'; "+
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
}

// An option is one value of a vocabulary with its words.
type option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

func options[K ~string](values []K, table map[K]string) []option {
	out := make([]option, 0, len(values))
	for _, v := range values {
		out = append(out, option{Value: string(v), Label: words.Label(table, v)})
	}
	return out
}

// vocabularyData is the contract's vocabulary in the page's language, from
// package checkin's lists, so the page offers exactly the contract's values.
type vocabularyData struct {
	Actions       []option          `json:"actions"`
	Covers        []option          `json:"covers"` // the actions and "*", for what an entry covers
	Relationships []option          `json:"relationships"`
	Roles         []option          `json:"roles"`
	DocumentKinds []option          `json:"document_kinds"`
	Statuses      []option          `json:"statuses"`
	Identities    []option          `json:"identities"`
	Sources       []option          `json:"sources"`
	Verdicts      map[string]string `json:"verdicts"`
	Outcomes      map[string]string `json:"outcomes"`
}

func vocabularyIn(v *words.Vocabulary) vocabularyData {
	verdicts := map[string]string{}
	for k, s := range v.Verdicts {
		verdicts[string(k)] = s
	}
	outcomes := map[string]string{}
	for k, s := range v.Outcomes {
		outcomes[string(k)] = s
	}
	return vocabularyData{
		Actions:       options(checkin.Actions(), v.Actions),
		Covers:        options(append([]checkin.Action{checkin.AllActions}, checkin.Actions()...), v.Actions),
		Relationships: options(checkin.Relationships(), v.Relationships),
		Roles:         options(checkin.Roles(), v.Roles),
		DocumentKinds: options(checkin.DocumentKinds(), v.DocumentKinds),
		Statuses:      options(checkin.Statuses(), v.Statuses),
		Identities:    options(checkin.Identities(), v.Identities),
		Sources:       options(words.RestrictionSources(), v.RestrictionSources),
		Verdicts:      verdicts,
		Outcomes:      outcomes,
	}
}

// pageData is what the case page's template reads; the script reads the
// words and the vocabulary, as JSON in the body's data-page.
type pageData struct {
	Lang          string            `json:"-"`
	T             map[string]string `json:"t"`
	Vocabulary    vocabularyData    `json:"vocabulary"`
	Jurisdictions []option          `json:"-"`
	Practices     []string          `json:"-"`
	JSON          string            `json:"-"`
}

// pageLanguage is the language of the page: the policy's (-lang), when
// there are words for it, or English.
func (s *server) pageLanguage() string {
	if _, err := words.For(s.cfg.lang); err == nil && pageWords[s.cfg.lang] != nil {
		return s.cfg.lang
	}
	return "en"
}

// casePage answers GET /: the page to try a case.
func (s *server) casePage(w http.ResponseWriter, r *http.Request, engine *checkin.Engine) {
	lang := s.pageLanguage()
	vocab, _ := words.For(lang)
	data := pageData{
		Lang: lang, T: pageWords[lang], Vocabulary: vocabularyIn(vocab),
		Practices: defaultPractices(),
	}
	for _, j := range engine.Jurisdictions() {
		data.Jurisdictions = append(data.Jurisdictions, option{Value: j.Code, Label: j.Name})
	}
	js, err := json.Marshal(data)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal_error", err.Error())
		return
	}
	data.JSON = string(js)
	s.writePage(w, "index.html", data)
}

// defaultPractices names the default policy's practice profiles, its
// folders under practices/, for the form to suggest (an overlay's own
// profiles can be typed).
func defaultPractices() []string {
	var names []string
	entries, _ := fs.ReadDir(rego.FS(), "practices")
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names
}

// writePage renders a page template in full before answering, so that a
// template error is a 500 rather than half a page.
func (s *server) writePage(w http.ResponseWriter, name string, data any) {
	var b bytes.Buffer
	if err := pageTemplates.ExecuteTemplate(&b, name, data); err != nil {
		s.log.Error("page template", "page", name, "error", err.Error())
		writeError(w, http.StatusInternalServerError, "internal_error", "the page could not be drawn")
		return
	}
	securityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store") // the page carries the revision serving
	_, _ = w.Write(b.Bytes())
}

// assetTypes are the content types of the assets, by extension.
var assetTypes = map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}

// asset answers GET /assets/{name}: the page's CSS and JavaScript.
func (s *server) asset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	kind, ok := assetTypes[path.Ext(name)]
	var data []byte
	var err error
	if ok && !strings.ContainsAny(name, `/\`) {
		data, err = fs.ReadFile(pageFiles, "page/"+name)
	}
	if !ok || errors.Is(err, fs.ErrNotExist) {
		writeError(w, http.StatusNotFound, "not_found", "no asset "+name)
		return
	} else if err != nil {
		writeError(w, http.StatusInternalServerError, "internal_error", err.Error())
		return
	}
	securityHeaders(w.Header())
	w.Header().Set("Content-Type", kind)
	w.Header().Set("Cache-Control", "no-cache") // revalidated: a new binary serves new assets
	_, _ = w.Write(data)
}

// explanationResponse is the body of POST /v1/explanations.
type explanationResponse struct {
	Result checkin.Explanation `json:"result"`
}

// explain answers POST /v1/explanations: the decision for the contract's
// request, rule by rule. An explanation is not a decision made at the
// desk: it is not recorded.
func (s *server) explain(w http.ResponseWriter, r *http.Request, engine *checkin.Engine) {
	req, ok := s.readRequest(w, r)
	if !ok {
		return
	}
	ctx, cancel := contextWithDecideTimeout(r)
	defer cancel()
	x, err := engine.Explain(ctx, req)
	var invalid *checkin.ValidationError
	switch {
	case errors.As(err, &invalid):
		writeInvalid(w, invalid)
	case err != nil:
		s.log.ErrorContext(r.Context(), "explanation failed", "error", err.Error())
		writeError(w, http.StatusInternalServerError, "internal_error", "the request could not be explained")
	default:
		writeJSON(w, http.StatusOK, explanationResponse{Result: x})
	}
}

package main

import (
	"io/fs"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/report"
	"github.com/frontdesk-policy/frontdesk/examples/internal/words"
)

// The page is in the service's language, offers every value of the
// contract's vocabulary in its words, and is sent with headers that let it
// run only the service's own script.
func TestCasePage(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig()
			cfg.lang = lang
			ts := startServer(t, cfg, true)
			status, header, body := ts.do(t, http.MethodGet, "/", "", nil)
			require.Equal(t, http.StatusOK, status)
			page := string(body)
			assert.Equal(t, "text/html; charset=utf-8", header.Get("Content-Type"))
			assert.Contains(t, header.Get("Content-Security-Policy"), "script-src 'self'")
			assert.Contains(t, header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
			assert.Equal(t, "nosniff", header.Get("X-Content-Type-Options"))
			assert.Contains(t, page, `<html lang="`+lang+`">`)
			assert.Contains(t, page, pageWords[lang]["decide"])

			vocab, err := words.For(lang)
			require.NoError(t, err)
			for _, a := range checkin.Actions() {
				assert.Contains(t, page, `value="`+string(a)+`" id="ask-`+string(a)+`"> <label for="ask-`+string(a)+`">`+
					htmlText(vocab.Actions[a])+`</label>`, "the action %s is offered in words", a)
			}
			for _, r := range checkin.Relationships() {
				assert.Contains(t, page, `<option value="`+string(r)+`">`+htmlText(vocab.Relationships[r])+`</option>`)
			}
			for _, k := range checkin.DocumentKinds() {
				assert.Contains(t, page, `<option value="`+string(k)+`">`+htmlText(vocab.DocumentKinds[k])+`</option>`)
			}
			for _, r := range checkin.Roles() {
				assert.Contains(t, page, `<option value="`+string(r)+`">`+htmlText(vocab.Roles[r])+`</option>`)
			}
			for _, practice := range []string{"default", "strict"} {
				assert.Contains(t, page, `<option value="`+practice+`">`, "the default policy's practice %s is suggested", practice)
			}
			for _, j := range ts.engine.Load().Jurisdictions() {
				assert.Contains(t, page, `<option value="`+j.Code+`">`)
			}
		})
	}
}

// htmlText is s as html/template writes it in text.
func htmlText(s string) string { return strings.ReplaceAll(s, "'", "&#39;") }

// Every form control has a label: a <label for> naming its id, or a label
// around it.
func TestCasePageLabelsEveryField(t *testing.T) {
	t.Parallel()
	_, body := shared(t).get(t, "/")
	page := string(body)
	controls := regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`).FindAllString(page, -1)
	require.NotEmpty(t, controls)
	id := regexp.MustCompile(`\bid="([^"]+)"`)
	for _, c := range controls {
		if m := id.FindStringSubmatch(c); m != nil {
			assert.Contains(t, page, `for="`+m[1]+`"`, "no label for %s", c)
			continue
		}
		// A control without an id is inside a <label> in a row's template.
		i := strings.Index(page, c)
		before := page[:i]
		assert.Greater(t, strings.LastIndex(before, "<label"), strings.LastIndex(before, "</label>"), "no label around %s", c)
	}
}

// The page runs only its own script: no inline script or handler, nothing
// loaded from elsewhere, and the script writes no HTML from data.
func TestCasePageRunsOnlyItsOwnScript(t *testing.T) {
	t.Parallel()
	ts := shared(t)
	_, page := ts.get(t, "/")
	_, report := ts.get(t, "/report")
	for name, html := range map[string]string{"page": string(page), "report": string(report)} {
		scripts := regexp.MustCompile(`<script[^>]*>`).FindAllString(html, -1)
		for _, s := range scripts {
			assert.Contains(t, s, `src="/assets/`, "%s: only the service's own script", name)
		}
		assert.NotRegexp(t, `\son[a-z]+=`, html, "%s: no inline event handler", name)
		assert.NotRegexp(t, `(src|href)="(https?:)?//`, html, "%s: nothing loaded from elsewhere", name)
	}
	script, err := fs.ReadFile(pageFiles, "page/page.js")
	require.NoError(t, err)
	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
		assert.NotContains(t, string(script), sink, "the script writes text, never HTML")
	}
	assert.NotContains(t, string(script), "http", "the script talks only to the service")
}

func TestAssets(t *testing.T) {
	t.Parallel()
	ts := shared(t)
	for name, kind := range map[string]string{"page.css": "text/css; charset=utf-8", "page.js": "text/javascript; charset=utf-8"} {
		status, header, body := ts.do(t, http.MethodGet, "/assets/"+name, "", nil)
		require.Equal(t, http.StatusOK, status, name)
		assert.Equal(t, kind, header.Get("Content-Type"))
		assert.NotEmpty(t, body)
	}
	for _, name := range []string{"index.html", "nothing.js", "..%2fpage.go", "page.go"} {
		status, _, _ := ts.do(t, http.MethodGet, "/assets/"+name, "", nil)
		assert.Equal(t, http.StatusNotFound, status, name)
	}
}

// Every language of the page has the same words.
func TestPageWordsComplete(t *testing.T) {
	keys := slices.Sorted(maps.Keys(pageWords["en"]))
	for lang, w := range pageWords {
		assert.Equal(t, keys, slices.Sorted(maps.Keys(w)), lang)
		for k, s := range w {
			assert.NotEmpty(t, s, "%s %s", lang, k)
			assert.Equal(t, strings.Count(pageWords["en"][k], "%"), strings.Count(s, "%"), "%s %s: the same arguments", lang, k)
		}
		_, err := words.For(lang)
		assert.NoError(t, err, "the vocabulary has words in %s", lang)
	}
}

// An explanation decides the request rule by rule, records nothing, and
// refuses what /v1/decisions refuses.
func TestExplanations(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := testConfig()
	cfg.record = dir + "/decisions.jsonl"
	ts := startServer(t, cfg, true)
	valid := readTestdata(t, "decision.json")
	status, body := ts.postJSON(t, "/v1/explanations", valid)
	require.Equal(t, http.StatusOK, status, string(body))
	x := decodeJSON[explanationResponse](t, body).Result
	require.NotEmpty(t, x.Actions)
	for a, ax := range x.Actions {
		assert.NotEmpty(t, ax.Rules, a)
		assert.Equal(t, x.Decision.Actions[a].Rule.Number, ax.DecidedBy, a)
	}
	assert.Empty(t, readRecords(t, cfg.record), "an explanation is not recorded")

	status, body = ts.postJSON(t, "/v1/explanations", setJSON(t, valid, "requested", []string{"sign_anything"}))
	require.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "requested[0]", decodeJSON[invalidRequest](t, body).Problems[0].Field)
}

// The report's table shows each outcome's colour as the chart draws it:
// page.css's swatches are report.OutcomeColors.
func TestSwatchesAreTheChartsColours(t *testing.T) {
	css, err := fs.ReadFile(pageFiles, "page/page.css")
	require.NoError(t, err)
	for _, o := range checkin.Outcomes() {
		assert.Regexp(t, `\.swatch-`+string(o)+` \{ background: `+report.OutcomeColors[o]+`; \}`, string(css), o)
	}
}

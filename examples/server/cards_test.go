package main

import (
	"context"
	"encoding/json"
	"errors"
	stdhtml "html"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// cardEngines are the default policy's engines wording decisions in English
// and in Spanish, loaded once for the card tests.
var cardEngines = sync.OnceValues(func() (map[string]*checkin.Engine, error) {
	out := map[string]*checkin.Engine{}
	for _, lang := range []string{"en", "es"} {
		e, err := checkin.New(context.Background(), checkin.WithLanguage(lang))
		if err != nil {
			return nil, err
		}
		out[lang] = e
	}
	return out, nil
})

func cardEngine(t *testing.T, lang string) *checkin.Engine {
	t.Helper()
	es, err := cardEngines()
	require.NoError(t, err)
	return es[lang]
}

const cardPolicyURL = "http://127.0.0.1:8080/v1/policy"

// oneCard renders a decision and checks there is exactly one card.
func oneCard(t *testing.T, d checkin.Decision, req checkin.Request, id string) Card {
	t.Helper()
	cards := cardsFor(d, req, id, cardPolicyURL)
	require.Len(t, cards, 1)
	return cards[0]
}

// decide decides req on the engine of lang.
func decideCard(t *testing.T, lang string, req checkin.Request) checkin.Decision {
	t.Helper()
	d, err := cardEngine(t, lang).Decide(t.Context(), req)
	require.NoError(t, err)
	return d
}

// aunt is the contract's example: Maria, the aunt, brings Jamie in.
func auntRequest() checkin.Request {
	return checkin.Request{
		At:           time.Date(2026, 11, 23, 8, 0, 0, 0, time.FixedZone("CST", -6*60*60)),
		Jurisdiction: "US-TX",
		Practice:     "default",
		Patient:      checkin.Patient{ID: "pt-1", Name: "Jamie Lopez", BirthDate: "2019-05-10"},
		Companion: checkin.Companion{ID: "per-22", Name: "Maria Lopez", Relationship: checkin.AuntUncle, Age: 34,
			Identity: checkin.PhotoID, BroughtPatient: true},
		Records:   checkin.Records{Guardians: []checkin.Guardian{{Person: "per-7", Name: "Ana Lopez", Role: checkin.RoleParent}}},
		Requested: []checkin.Action{checkin.Accompany, checkin.ConsentSick, checkin.ReceiveRecords, checkin.SchoolNote},
	}
}

func cardNote(code, msg string) checkin.Note {
	return checkin.Note{Code: checkin.Code(code), Message: msg}
}

// verdicts builds a decision of the given verdicts, each with a reason and,
// for a deny, the given remedies.
func cardDecision(outcome checkin.Outcome, vs map[checkin.Action]checkin.Verdict, remedies ...checkin.Note) checkin.Decision {
	d := checkin.Decision{Outcome: outcome, Actions: map[checkin.Action]checkin.ActionDecision{},
		Policy: checkin.PolicyUsed{Revision: "0123456789abcdef", Jurisdiction: "US-KS", Practice: "default"}}
	for a, v := range vs {
		ad := checkin.ActionDecision{Verdict: v, Basis: "ADULT_COMPANION", Reasons: []checkin.Note{cardNote("ADULT_COMPANION", "An adult.")}}
		switch v {
		case checkin.AllowWithConditions:
			ad.Conditions = []checkin.Note{cardNote("VERIFY_PHOTO_ID", "Check a photo ID.")}
		case checkin.Deny:
			ad.Basis = "NO_AUTHORITY"
			ad.Remedies = remedies
		}
		d.Actions[a] = ad
	}
	return d
}

func TestCardIndicator(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		outcome checkin.Outcome
		actions map[checkin.Action]checkin.Verdict
		want    string
	}{
		{"proceed", checkin.Proceed, map[checkin.Action]checkin.Verdict{checkin.Accompany: checkin.Allow}, indicatorInfo},
		{"conditions are steps before going ahead", checkin.ProceedWithConditions,
			map[checkin.Action]checkin.Verdict{checkin.Accompany: checkin.Allow, checkin.ConsentSick: checkin.AllowWithConditions}, indicatorWarning},
		{"partial", checkin.Partial,
			map[checkin.Action]checkin.Verdict{checkin.Accompany: checkin.Allow, checkin.ConsentSick: checkin.Deny}, indicatorWarning},
		{"escalate with something allowed", checkin.OutcomeEscalate,
			map[checkin.Action]checkin.Verdict{checkin.Accompany: checkin.AllowWithConditions, checkin.ConsentSick: checkin.Escalate}, indicatorWarning},
		{"escalate with nothing allowed", checkin.OutcomeEscalate,
			map[checkin.Action]checkin.Verdict{checkin.ConsentSick: checkin.Escalate, checkin.PickUp: checkin.Deny}, indicatorCritical},
		{"refuse", checkin.Refuse, map[checkin.Action]checkin.Verdict{checkin.ConsentSick: checkin.Deny}, indicatorCritical},
		{"an outcome this service does not know", "hold", map[checkin.Action]checkin.Verdict{checkin.ConsentSick: checkin.Allow}, indicatorCritical},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			card := oneCard(t, cardDecision(c.outcome, c.actions, cardNote("CALL_GUARDIAN", "Call Ana.")), auntRequest(), checkin.NewDecisionID())
			assert.Equal(t, c.want, card.Indicator)
			assert.Equal(t, string(c.outcome), card.Source.Topic.Code)
			assert.Equal(t, outcomeCodeSystem, card.Source.Topic.System)
		})
	}
}

// The indicators of real decisions, from the policy rather than built by hand.
func TestCardIndicatorOfDecisions(t *testing.T) {
	t.Parallel()
	proceed := auntRequest()
	proceed.Requested = []checkin.Action{checkin.SchoolNote}
	conditions := auntRequest()
	conditions.Companion.Identity = ""
	conditions.Requested = []checkin.Action{checkin.Accompany}
	partial := auntRequest()
	refuse := auntRequest()
	refuse.Requested = []checkin.Action{checkin.ConsentSick, checkin.ReceiveRecords}
	for _, c := range []struct {
		name      string
		req       checkin.Request
		outcome   checkin.Outcome
		indicator string
	}{
		{"proceed", proceed, checkin.Proceed, indicatorInfo},
		{"proceed_with_conditions", conditions, checkin.ProceedWithConditions, indicatorWarning},
		{"partial", partial, checkin.Partial, indicatorWarning},
		{"refuse", refuse, checkin.Refuse, indicatorCritical},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := decideCard(t, "en", c.req)
			require.Equal(t, c.outcome, d.Outcome)
			assert.Equal(t, c.indicator, oneCard(t, d, c.req, checkin.NewDecisionID()).Indicator)
		})
	}
}

func TestCardContractExample(t *testing.T) {
	t.Parallel()
	req := auntRequest()
	id := checkin.NewDecisionID()
	d := decideCard(t, "en", req)
	card := oneCard(t, d, req, id)

	assert.Equal(t, id, card.UUID, "the card's uuid is the decision id")
	assert.Equal(t, "Maria Lopez (aunt or uncle): 1 allowed, 1 needs steps first (accompany), 2 refused (consent_sick, receive_records)", card.Summary)
	assert.Equal(t, "frontdesk policy "+d.Policy.Revision[:8], card.Source.Label)
	assert.Equal(t, cardPolicyURL, card.Source.URL)
	assert.Equal(t, "partial", card.Source.Topic.Display)

	// Each requested action in the contract's order, with its verdict and basis.
	positions := map[checkin.Action]int{}
	for _, a := range req.Requested {
		i := strings.Index(card.Detail, "(`"+string(a)+"`)")
		require.GreaterOrEqual(t, i, 0, "%s in the detail:\n%s", a, card.Detail)
		positions[a] = i
		assert.Contains(t, card.Detail, "Basis: `"+string(d.Actions[a].Basis)+"`")
	}
	assert.Less(t, positions[checkin.Accompany], positions[checkin.ConsentSick])
	assert.Less(t, positions[checkin.ConsentSick], positions[checkin.ReceiveRecords])
	assert.Less(t, positions[checkin.ReceiveRecords], positions[checkin.SchoolNote])
	assert.Contains(t, card.Detail, "**Consent to Jamie Lopez's sick visit** (`consent_sick`): refused.")
	for _, n := range d.Actions[checkin.ConsentSick].Remedies {
		assert.Contains(t, card.Detail, "- Would make it a yes: "+escapeMarkdown(n.Message))
	}

	ext := card.Extension[cardExtensionKey].(cardExtension)
	assert.Equal(t, id, ext.DecisionID)
	assert.Equal(t, d.Policy.Revision, ext.Revision)
	assert.Equal(t, "en", ext.Language)
	for a, ad := range d.Actions {
		assert.Equal(t, ad.Verdict, ext.Actions[a].Verdict)
		assert.Equal(t, ad.Basis, ext.Actions[a].Basis)
	}
	require.NotEmpty(t, card.Suggestions)
	for _, s := range card.Suggestions {
		assert.NotEmpty(t, ext.Suggestions[s.UUID], "suggestion %q traced to its remedy", s.Label)
	}
}

// A decision the demo shows in Spanish reads in Spanish on the card, the
// card's own words included.
func TestCardSpanish(t *testing.T) {
	t.Parallel()
	req := auntRequest()
	d := decideCard(t, "es", req)
	card := oneCard(t, d, req, checkin.NewDecisionID())
	assert.Equal(t, "Maria Lopez (tío o tía): 1 permitida, 1 con pasos previos (acompañar), 2 denegadas (consulta por enfermedad, expediente médico)", card.Summary)
	assert.Contains(t, card.Detail, "**Resultado:** parcial")
	assert.Contains(t, card.Detail, "): denegado. Base: `NO_AUTHORITY`")
	assert.Contains(t, card.Detail, "- Para que sea un sí: ")
	assert.Equal(t, "es", card.Extension[cardExtensionKey].(cardExtension).Language)
	assert.Equal(t, "Lo aprobó la administración", card.OverrideReasons[2].Display)
}

// cardCorpusRequests are every scenario request of checkin's corpus, parsed
// as the contract's JSON, and the problems of each the contract rejects.
func cardCorpusRequests(t *testing.T) ([]checkin.Request, [][]checkin.Problem) {
	t.Helper()
	scenarios, err := checkintest.LoadScenarios(os.DirFS("../../checkin/testdata"), "scenarios")
	require.NoError(t, err)
	require.NotEmpty(t, scenarios)
	var reqs []checkin.Request
	var rejected [][]checkin.Problem
	for _, s := range scenarios {
		req, err := checkin.ParseRequest(s.Request)
		var ve *checkin.ValidationError
		switch {
		case errors.As(err, &ve):
			rejected = append(rejected, ve.Problems)
		case err != nil:
			t.Fatalf("%s: %v", s.Name, err)
		default:
			reqs = append(reqs, req)
		}
	}
	return reqs, rejected
}

// Every decision of the scenario corpus and a sample of the property grid,
// in English and in Spanish: one card, a summary under 140 characters that
// names the companion whole or not at all, the decision's language found
// from its words, the card's shape CDS Hooks', markdown with no construct
// but the card's own, and each refusal with a way forward. The requests the
// contract rejects make invalid cards, held to the same limit.
func TestCardSummaryLengthOnCorpusAndGrid(t *testing.T) {
	t.Parallel()
	reqs, parseRejected := cardCorpusRequests(t)
	var jurisdictions []string
	for _, j := range cardEngine(t, "en").Jurisdictions() {
		jurisdictions = append(jurisdictions, j.Code)
	}
	for c := range checkintest.Grid(jurisdictions, 600) {
		reqs = append(reqs, c.Request())
	}
	require.Greater(t, len(reqs), 500)
	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			e := cardEngine(t, lang)
			rejected := slices.Clone(parseRejected)
			decided := 0
			for _, req := range reqs {
				id := checkin.NewDecisionID()
				d, err := e.Decide(t.Context(), req)
				if ve := (*checkin.ValidationError)(nil); errors.As(err, &ve) {
					rejected = append(rejected, ve.Problems)
					continue
				}
				require.NoError(t, err)
				decided++
				card := oneCard(t, d, req, id)
				checkSummary(t, card.Summary, req.Companion.Name)
				assert.Equal(t, lang, decisionLanguage(d), "the language of %s", card.Summary)
				checkCardShape(t, card)
				checkRendered(t, card.Detail)
				checkWayForward(t, d, card)
				checkVerdictsShown(t, d, card, lang)
			}
			for _, problems := range rejected {
				card := invalidCard(problems, checkin.NewDecisionID())
				checkSummary(t, card.Summary, "")
				assert.Equal(t, indicatorCritical, card.Indicator)
				checkRendered(t, card.Detail)
			}
			assert.Greater(t, decided, 1000)
			assert.NotEmpty(t, rejected)
			t.Logf("%d decisions, %d requests rejected", decided, len(rejected))
		})
	}
}

// checkSummary holds a summary to CDS Hooks' limit and to naming the
// companion whole or not at all.
func checkSummary(t *testing.T, summary, name string) {
	t.Helper()
	assert.NotEmpty(t, summary)
	assert.Less(t, utf8.RuneCountInString(summary), 140, "%q", summary)
	assert.NotContains(t, summary, "\n")
	if first, _, _ := strings.Cut(name, " "); name != "" && strings.HasPrefix(summary, first) {
		assert.True(t, strings.HasPrefix(summary, name+" ("), "the name %q whole in %q", name, summary)
	}
}

// checkVerdictsShown: the card says each action's verdict as the decision
// does, in its words and its data, and a card about a refusal is never
// shown as mere information.
func checkVerdictsShown(t *testing.T, d checkin.Decision, card Card, lang string) {
	t.Helper()
	ext := card.Extension[cardExtensionKey].(cardExtension)
	require.Len(t, ext.Actions, len(d.Actions))
	for a, ad := range d.Actions {
		assert.Equal(t, ad.Verdict, ext.Actions[a].Verdict)
		assert.Equal(t, ad.Basis, ext.Actions[a].Basis)
		assert.Contains(t, card.Detail, "(`"+string(a)+"`): "+wordFor(wordsFor(lang).verdicts, ad.Verdict)+". ")
		if !ad.Verdict.Allowed() {
			assert.NotEqual(t, indicatorInfo, card.Indicator, "%s is %s", a, ad.Verdict)
		}
		if ad.Verdict == checkin.AllowWithConditions {
			assert.NotEqual(t, indicatorInfo, card.Indicator, "%s has conditions", a)
		}
	}
}

// checkWayForward: every refused or escalated action's remedies are among
// the suggestions, and a refusal without remedies still has one.
func checkWayForward(t *testing.T, d checkin.Decision, card Card) {
	t.Helper()
	labels := map[string]bool{}
	for _, s := range card.Suggestions {
		labels[s.Label] = true
	}
	for a, ad := range d.Actions {
		switch ad.Verdict {
		case checkin.Deny, checkin.Escalate:
			require.NotEmpty(t, card.Suggestions, "%s refused, and no suggestion", a)
		}
		for _, r := range ad.Remedies {
			// Deduplicated by code: the suggestion of the code carries the first message.
			found := false
			for _, s := range card.Suggestions {
				found = found || card.Extension[cardExtensionKey].(cardExtension).Suggestions[s.UUID] == r.Code
			}
			assert.True(t, found, "remedy %s of %s among the suggestions", r.Code, a)
		}
	}
}

// checkCardShape holds the marshalled card to CDS Hooks 2.0's Card: the
// required fields, the allowed values, selectionBehavior with suggestions,
// codings with system and code, override reasons with display, and no field
// the specification does not define.
func checkCardShape(t *testing.T, card Card) {
	t.Helper()
	data, err := json.Marshal(card)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	allowed := []string{"uuid", "summary", "detail", "indicator", "source", "suggestions", "selectionBehavior", "overrideReasons", "links", "extension"}
	for k := range m {
		assert.Contains(t, allowed, k)
	}
	for _, k := range []string{"summary", "indicator", "source"} {
		require.Contains(t, m, k)
	}
	assert.Contains(t, []string{"info", "warning", "critical"}, m["indicator"])
	assert.Regexp(t, cardUUIDPattern, m["uuid"])
	source := m["source"].(map[string]any)
	assert.NotEmpty(t, source["label"])
	checkCardCoding(t, source["topic"], false)
	if suggestions, ok := m["suggestions"].([]any); ok {
		require.NotEmpty(t, suggestions, "suggestions are left out rather than empty")
		assert.Contains(t, []string{"at-most-one", "any"}, m["selectionBehavior"], "selectionBehavior is required with suggestions")
		for _, s := range suggestions {
			s := s.(map[string]any)
			assert.NotEmpty(t, s["label"])
			assert.Regexp(t, cardUUIDPattern, s["uuid"])
			for k := range s {
				assert.Contains(t, []string{"label", "uuid", "isRecommended", "actions"}, k)
			}
		}
	} else {
		assert.NotContains(t, m, "selectionBehavior")
	}
	if reasons, ok := m["overrideReasons"].([]any); ok {
		for _, r := range reasons {
			checkCardCoding(t, r, true)
		}
	}
	ext := m["extension"].(map[string]any)
	assert.Contains(t, ext, cardExtensionKey)
	for k := range ext {
		assert.Regexp(t, `^[a-z]+(\.[a-z0-9-]+)+$`, k, "extension names are reverse-domain")
	}
}

var cardUUIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func checkCardCoding(t *testing.T, v any, needDisplay bool) {
	t.Helper()
	c, ok := v.(map[string]any)
	require.True(t, ok, "a Coding is an object: %v", v)
	assert.NotEmpty(t, c["system"])
	assert.NotEmpty(t, c["code"])
	if needDisplay {
		assert.NotEmpty(t, c["display"], "override reasons need a display")
	}
	for k := range c {
		assert.Contains(t, []string{"system", "code", "display"}, k)
	}
}

// A summary too long for its names drops them, never cutting one: the
// actions' names first, then the companion's, keeping the counts.
func TestCardSummaryShortensGracefully(t *testing.T) {
	t.Parallel()
	longName := strings.TrimSpace(strings.Repeat("Maximiliana ", 16)) // 191 characters
	all := auntRequest()
	all.Requested = checkin.Actions()
	for _, c := range []struct {
		name       string
		companion  string
		lang       string
		wantPrefix string
	}{
		{"every action named", "Maria Lopez", "en", "Maria Lopez (aunt or uncle): "},
		{"a long name is dropped whole", longName, "en", "Aunt or uncle: "},
		{"a long name, in Spanish", longName, "es", "Tío o tía: "},
		{"no name", "", "en", "Aunt or uncle: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			req := all
			req.Companion.Name = c.companion
			d := decideCard(t, c.lang, req)
			s := oneCard(t, d, req, checkin.NewDecisionID()).Summary
			checkSummary(t, s, c.companion)
			assert.True(t, strings.HasPrefix(s, c.wantPrefix), "%q", s)
			assert.NotContains(t, s, "Maximiliana")
		})
	}

	// Names long enough that the actions' names go but the companion's stays.
	d := cardDecision(checkin.Partial, map[checkin.Action]checkin.Verdict{
		checkin.ConsentBehavioral: checkin.Deny, checkin.ConsentConfidential: checkin.Deny, checkin.ConsentProcedure: checkin.Deny,
		checkin.ConsentWellness: checkin.AllowWithConditions, checkin.ReceiveRecords: checkin.Deny, checkin.Accompany: checkin.Allow,
	})
	req := auntRequest()
	req.Companion.Name = "Maria Guadalupe Lopez de la Fuente"
	s := cardSummary(d, req, "en")
	assert.Equal(t, "Maria Guadalupe Lopez de la Fuente (aunt or uncle): 1 allowed, 1 needs steps first, 4 refused", s)
}

// A name is the request's, so it may be anything: in the detail it is text,
// never a link, emphasis, code, HTML or a block.
func TestCardMarkdownEscapesNames(t *testing.T) {
	t.Parallel()
	hostile := []string{
		"*Bob* [x](http://evil)",
		"_Eve_ ![img](http://evil/x.png) <a href=\"http://evil\">y</a>",
		"Mallory www.evil.example `code` ~~gone~~",
		"mal@evil.example &amp; | cell |",
		"# Heading\n\n[x]: http://evil\n> quote",
		"1. first",
		"\\*escaped\\*",
	}
	for _, name := range hostile {
		for _, lang := range []string{"en", "es"} {
			t.Run(lang+" "+name, func(t *testing.T) {
				t.Parallel()
				req := auntRequest()
				req.Companion.Name = name
				req.Patient.Name = name
				req.Records.Guardians[0].Name = name
				d := decideCard(t, lang, req)
				card := oneCard(t, d, req, checkin.NewDecisionID())
				checkMarkdownLiteral(t, card.Detail)
				html := checkRendered(t, card.Detail)
				// The name is there, whole, as text.
				text := stdhtml.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(html, ""))
				assert.Contains(t, text, strings.TrimSpace(oneLine(name)))
				for _, s := range card.Suggestions {
					assert.NotContains(t, s.Label, "\n")
				}
				assert.NotContains(t, card.Summary, "\n")
			})
		}
	}
}

// checkMarkdownLiteral holds markdown to the card's own constructs, line by
// line, without a renderer: each line a bullet or a bold label, and outside
// the card's code spans and bold every markdown character escaped.
func checkMarkdownLiteral(t *testing.T, md string) {
	t.Helper()
	for line := range strings.SplitSeq(md, "\n") {
		if line == "" {
			continue
		}
		// A line is a bullet or a bold label, or the card's own text; nothing
		// else starts a block.
		assert.Regexp(t, `^(- |\*\*)`, line, "a line the card did not make: %q", line)
		rest := strings.TrimPrefix(line, "- ")
		// Outside the card's own code spans and bold, every markdown
		// character is escaped.
		rest = regexp.MustCompile("`[A-Za-z0-9_.\\[\\]-]+`").ReplaceAllString(rest, "")
		rest = strings.ReplaceAll(rest, "**", "")
		rest = regexp.MustCompile(`\\[[:punct:]]`).ReplaceAllString(rest, "")
		assert.NotRegexp(t, "[*_`\\[\\]<>!|~&@\\\\]", rest, "an unescaped markdown character in %q", line)
		assert.NotContains(t, rest, "://", "an autolink in %q", line)
		assert.NotRegexp(t, `(?i)www\.`, rest, "an autolink in %q", line)
	}
}

// cardGFM renders markdown as GitHub does: tables, strikethrough, autolinks.
var cardGFM = goldmark.New(goldmark.WithExtensions(extension.GFM))

// checkRendered renders a card's detail as GitHub Flavored Markdown and
// finds in it only what the card makes: bold labels, code spans of codes,
// bullet lists and paragraphs. It returns the HTML.
func checkRendered(t *testing.T, md string) string {
	t.Helper()
	var b strings.Builder
	require.NoError(t, cardGFM.Convert([]byte(md), &b))
	html := b.String()
	for _, tag := range regexp.MustCompile(`<([a-z0-9]+)[ >]`).FindAllStringSubmatch(html, -1) {
		assert.Contains(t, []string{"p", "strong", "code", "ul", "li"}, tag[1], "<%s> in\n%s", tag[1], html)
	}
	assert.NotContains(t, html, "raw HTML omitted")
	for _, code := range regexp.MustCompile(`<code>(.*?)</code>`).FindAllStringSubmatch(html, -1) {
		assert.Regexp(t, `^[A-Za-z0-9_.\[\]-]+$`, code[1], "a code span the card did not make")
	}
	// Bold only on the card's labels: the outcome, each action, the visit.
	for _, strong := range regexp.MustCompile(`<strong>(.*?)</strong>`).FindAllStringSubmatch(html, -1) {
		assert.NotContains(t, strong[1], "<", "markup inside a label")
	}
	return html
}

func TestCardSuggestions(t *testing.T) {
	t.Parallel()
	call := cardNote("CALL_GUARDIAN", "Call Ana Lopez.")
	sign := cardNote("SIGN_PROXY_FORM", "Have Ana Lopez sign the proxy form.")
	d := cardDecision(checkin.Partial, map[checkin.Action]checkin.Verdict{
		checkin.ConsentSick: checkin.Deny, checkin.ConsentVaccine: checkin.Deny, checkin.Accompany: checkin.Allow,
	}, call, sign)
	// The vaccine's first remedy is worded otherwise, but it is the same code.
	vaccine := d.Actions[checkin.ConsentVaccine]
	vaccine.Remedies = []checkin.Note{cardNote("CALL_GUARDIAN", "Call Ana Lopez about the vaccines."), cardNote("RENEW_DOCUMENT", "Renew it.")}
	d.Actions[checkin.ConsentVaccine] = vaccine

	id := checkin.NewDecisionID()
	card := oneCard(t, d, auntRequest(), id)
	require.Len(t, card.Suggestions, 3, "one suggestion per remedy code")
	assert.Equal(t, []string{"Call Ana Lopez.", "Have Ana Lopez sign the proxy form.", "Renew it."},
		[]string{card.Suggestions[0].Label, card.Suggestions[1].Label, card.Suggestions[2].Label})
	assert.True(t, card.Suggestions[0].IsRecommended, "the most practical remedy is recommended")
	assert.False(t, card.Suggestions[1].IsRecommended)
	assert.False(t, card.Suggestions[2].IsRecommended)
	assert.Equal(t, selectAny, card.SelectionBehavior)
	for _, s := range card.Suggestions {
		assert.Empty(t, s.Actions, "remedies are things staff do, not FHIR writes")
	}
	checkCardShape(t, card)

	// Stable: the same decision id gives the same uuids, another id others.
	again := oneCard(t, d, auntRequest(), id)
	other := oneCard(t, d, auntRequest(), checkin.NewDecisionID())
	seen := map[string]bool{}
	for i, s := range card.Suggestions {
		assert.Equal(t, s.UUID, again.Suggestions[i].UUID)
		assert.NotEqual(t, s.UUID, other.Suggestions[i].UUID)
		assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, s.UUID, "a version 5 UUID")
		assert.False(t, seen[s.UUID])
		seen[s.UUID] = true
	}
	assert.Equal(t, suggestionUUID(id, "CALL_GUARDIAN"), card.Suggestions[0].UUID)
}

// A refusal without a remedy is a bug in the policy, but the clerk still
// gets a way forward: ask a manager. So does an escalation.
func TestCardRefusalWithoutRemedyAsksAManager(t *testing.T) {
	t.Parallel()
	for _, v := range []checkin.Verdict{checkin.Deny, checkin.Escalate} {
		t.Run(string(v), func(t *testing.T) {
			t.Parallel()
			outcome := checkin.Refuse
			if v == checkin.Escalate {
				outcome = checkin.OutcomeEscalate
			}
			d := cardDecision(outcome, map[checkin.Action]checkin.Verdict{checkin.ConsentSick: v})
			card := oneCard(t, d, auntRequest(), checkin.NewDecisionID())
			require.Len(t, card.Suggestions, 1)
			assert.Equal(t, "Ask a manager or clinician to decide.", card.Suggestions[0].Label)
			assert.True(t, card.Suggestions[0].IsRecommended)
			assert.Contains(t, card.Detail, "- Would make it a yes: Ask a manager or clinician to decide.")
			assert.Equal(t, askManager, card.Extension[cardExtensionKey].(cardExtension).Suggestions[card.Suggestions[0].UUID])
		})
	}
}

func TestCardWithoutRefusalHasNoSuggestions(t *testing.T) {
	t.Parallel()
	d := cardDecision(checkin.Proceed, map[checkin.Action]checkin.Verdict{checkin.Accompany: checkin.Allow})
	card := oneCard(t, d, auntRequest(), checkin.NewDecisionID())
	assert.Empty(t, card.Suggestions)
	assert.Empty(t, card.SelectionBehavior)
	assert.Empty(t, card.OverrideReasons, "a card that stops nothing has nothing to override")
	checkCardShape(t, card)

	d = cardDecision(checkin.ProceedWithConditions, map[checkin.Action]checkin.Verdict{checkin.Accompany: checkin.AllowWithConditions})
	card = oneCard(t, d, auntRequest(), checkin.NewDecisionID())
	assert.Contains(t, card.Detail, "- Before going ahead: Check a photo ID.")
	require.Len(t, card.OverrideReasons, len(overrideCodes))
	for _, r := range card.OverrideReasons {
		assert.Equal(t, overrideReasonSystem, r.System)
		assert.NotEmpty(t, r.Display)
	}
	checkCardShape(t, card)
}

func TestCardVisitNotes(t *testing.T) {
	t.Parallel()
	d := cardDecision(checkin.Proceed, map[checkin.Action]checkin.Verdict{checkin.Accompany: checkin.Allow})
	d.Obligations = []checkin.Note{cardNote("COPY_DOCUMENT", "Keep a copy of doc-3.")}
	d.Notices = []checkin.Note{cardNote("DOCUMENT_EXPIRES_SOON", "doc-3 runs out on 2026-12-01.")}
	card := oneCard(t, d, auntRequest(), checkin.NewDecisionID())
	assert.True(t, strings.HasSuffix(card.Detail, "**For the visit**\n- Must do: Keep a copy of doc-3.\n- Note: doc-3 runs out on 2026-12-01."), card.Detail)
}

func TestInvalidCard(t *testing.T) {
	t.Parallel()
	_, err := cardEngine(t, "en").Decide(t.Context(), checkin.Request{Jurisdiction: "us-tn"})
	var ve *checkin.ValidationError
	require.ErrorAs(t, err, &ve)
	id := checkin.NewDecisionID()
	card := invalidCard(ve.Problems, id)
	assert.Equal(t, indicatorCritical, card.Indicator)
	assert.Equal(t, id, card.UUID)
	assert.True(t, strings.HasPrefix(card.Summary, "Check-in could not be decided: "), card.Summary)
	checkSummary(t, card.Summary, "")
	for _, p := range ve.Problems {
		assert.Contains(t, card.Detail, codeSpan(p.Field)+": "+escapeMarkdown(p.Problem))
	}
	checkMarkdownLiteral(t, card.Detail)

	// A problem quoting a hostile value stays text; a flood of them is cut short.
	many := make([]checkin.Problem, 120)
	for i := range many {
		many[i] = checkin.Problem{Field: "companion.name", Problem: `"*Bob* [x](http://evil)" is too long`}
	}
	card = invalidCard(many, id)
	assert.Equal(t, "Check-in could not be decided: 120 problems with the request", card.Summary)
	checkMarkdownLiteral(t, card.Detail)
	checkRendered(t, card.Detail)
	assert.Contains(t, card.Detail, "- and 70 more")
	data, err := json.Marshal(card)
	require.NoError(t, err)
	assert.JSONEq(t, `{"system": "`+outcomeCodeSystem+`", "code": "invalid", "display": "could not be decided"}`,
		string(cardJSON(t, card.Source.Topic)))
	assert.NotContains(t, string(data), "suggestions")
}

func cardJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return data
}

func TestCardEscapeMarkdown(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"Maria Lopez (aunt) may bring Jamie in.", "Maria Lopez (aunt) may bring Jamie in."},
		{"*Bob* [x](http://evil)", `\*Bob\* \[x\](http\://evil)`},
		{"see www.evil.example", `see www\.evil.example`},
		{"a@b.example", `a\@b.example`},
		{"# x", `\# x`},
		{"- x", `\- x`},
		{"12. x", `12\. x`},
		{"3) x", `3\) x`},
		{"a\nb\r\tc", "a b  c"},
		{"<b>&amp;</b>", `\<b\>\&amp;\</b\>`},
	} {
		assert.Equal(t, c.want, escapeMarkdown(c.in), "%q", c.in)
	}
}

// A decision in words no language's templates match (an overlay's own) is
// taken as English; Spanish words are found Spanish.
func TestCardDecisionLanguage(t *testing.T) {
	t.Parallel()
	d := cardDecision(checkin.Proceed, map[checkin.Action]checkin.Verdict{checkin.Accompany: checkin.Allow})
	assert.Equal(t, "en", decisionLanguage(d))
	d.Actions[checkin.Accompany] = checkin.ActionDecision{Verdict: checkin.Allow, Basis: "ADULT_COMPANION",
		Reasons: []checkin.Note{cardNote("ADULT_COMPANION", "Sam es mayor de edad y puede traer a Jamie a la consulta.")}}
	assert.Equal(t, "es", decisionLanguage(d))
	assert.Equal(t, "en", decisionLanguage(checkin.Decision{}))
}

package main

// CDS Hooks 2.0 cards for the frontdesk-check-in service: one card per
// decision, worded for the clerk in the decision's own language.

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/examples/internal/words"
	"github.com/frontdesk-policy/frontdesk/rego"
)

// A Card is a CDS Hooks 2.0 card. summary, indicator and source are
// required; suggestions need selectionBehavior.
type Card struct {
	UUID              string         `json:"uuid,omitempty"`
	Summary           string         `json:"summary"`
	Detail            string         `json:"detail,omitempty"`
	Indicator         string         `json:"indicator"`
	Source            Source         `json:"source"`
	Suggestions       []Suggestion   `json:"suggestions,omitempty"`
	SelectionBehavior string         `json:"selectionBehavior,omitempty"`
	OverrideReasons   []Coding       `json:"overrideReasons,omitempty"`
	Links             []Link         `json:"links,omitempty"`
	Extension         map[string]any `json:"extension,omitempty"`
}

// A Source is where a card's guidance comes from; label is required.
type Source struct {
	Label string  `json:"label"`
	URL   string  `json:"url,omitempty"`
	Icon  string  `json:"icon,omitempty"`
	Topic *Coding `json:"topic,omitempty"`
}

// A Suggestion is a change a user may accept; label is required. Actions are
// optional in CDS Hooks 2.0, and a remedy (call the guardian, bring the court
// order) is something staff do, not a FHIR resource to write, so frontdesk's
// suggestions carry none.
type Suggestion struct {
	Label         string   `json:"label"`
	UUID          string   `json:"uuid,omitempty"`
	IsRecommended bool     `json:"isRecommended,omitempty"`
	Actions       []Action `json:"actions,omitempty"`
}

// An Action is a suggested FHIR change: type create, update or delete, with
// the resource to create or update, or the resourceId to delete.
type Action struct {
	Type        string          `json:"type"`
	Description string          `json:"description"`
	Resource    json.RawMessage `json:"resource,omitempty"`
	ResourceID  string          `json:"resourceId,omitempty"`
}

// A Coding is CDS Hooks' trimmed FHIR Coding; display is required for
// override reasons.
type Coding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

// A Link is an app or page a card points to; type is "absolute" or "smart".
type Link struct {
	Label          string `json:"label"`
	URL            string `json:"url"`
	Type           string `json:"type"`
	AppContext     string `json:"appContext,omitempty"`
	Autolaunchable bool   `json:"autolaunchable,omitempty"`
}

// The CDS Hooks values the cards use.
const (
	indicatorInfo     = "info"
	indicatorWarning  = "warning"
	indicatorCritical = "critical"
	selectAny         = "any" // staff may follow any number of the remedies
)

// cardExtensionKey names the card's data in its extension, reverse-domain
// style as CDS Hooks asks of extension names, ending in the service's id.
const cardExtensionKey = "com.github.frontdesk-policy.frontdesk-check-in"

// The project's code systems for a card's topic and override reasons.
const (
	codeSystems          = "https://github.com/frontdesk-policy/frontdesk/cds-hooks/CodeSystem/"
	outcomeCodeSystem    = codeSystems + "outcome"
	overrideReasonSystem = codeSystems + "override-reason"
)

// askManager is the remedy a card offers where the policy gave none: for an
// escalated action, or a refusal without a way forward (which the contract
// calls a bug, but a clerk still needs a next step).
const askManager checkin.Code = "ASK_MANAGER"

// maxSummary is CDS Hooks' limit: a summary has fewer than 140 characters.
const maxSummary = 140

// cardExtension is the decision as data, for software reading the card:
// codes only, no names.
type cardExtension struct {
	DecisionID   string                         `json:"decision_id"`
	Revision     string                         `json:"revision"`
	Jurisdiction string                         `json:"jurisdiction"`
	Practice     string                         `json:"practice"`
	Language     string                         `json:"language"`
	Outcome      checkin.Outcome                `json:"outcome"`
	Actions      map[checkin.Action]actionCodes `json:"actions"`
	// Suggestions maps each suggestion's uuid to its remedy code, so that
	// feedback's acceptedSuggestions say which remedy staff took.
	Suggestions map[string]checkin.Code `json:"suggestions,omitempty"`
}

// actionCodes is one action's verdict and codes.
type actionCodes struct {
	Verdict    checkin.Verdict `json:"verdict"`
	Basis      checkin.Code    `json:"basis"`
	Conditions []checkin.Code  `json:"conditions,omitempty"`
	Remedies   []checkin.Code  `json:"remedies,omitempty"`
}

// cardsFor renders the one card of a decision, in the language its words are
// in: uuid is the decision id (so feedback on the card names the recorded
// decision), source.url the service's policy URL.
func cardsFor(d checkin.Decision, req checkin.Request, decisionID, policyURL string) []Card {
	lang := decisionLanguage(d)
	w := wordsFor(lang)
	c := Card{
		UUID:      decisionID,
		Summary:   cardSummary(d, req, lang),
		Detail:    cardDetail(d, req, lang),
		Indicator: cardIndicator(d),
		Source: Source{
			Label: fmt.Sprintf(w.source, shortRevision(d.Policy.Revision)),
			URL:   policyURL,
			Topic: &Coding{System: outcomeCodeSystem, Code: string(d.Outcome), Display: w.outcomes[d.Outcome]},
		},
	}
	ext := cardExtension{
		DecisionID: decisionID, Revision: d.Policy.Revision, Jurisdiction: d.Policy.Jurisdiction,
		Practice: d.Policy.Practice, Language: lang, Outcome: d.Outcome, Actions: map[checkin.Action]actionCodes{},
	}
	for a, ad := range d.Actions {
		ext.Actions[a] = actionCodes{Verdict: ad.Verdict, Basis: ad.Basis, Conditions: noteCodes(ad.Conditions), Remedies: noteCodes(ad.Remedies)}
	}
	for i, r := range cardRemedies(d, lang) {
		s := Suggestion{Label: oneLine(r.Message), UUID: suggestionUUID(decisionID, r.Code), IsRecommended: i == 0}
		c.Suggestions = append(c.Suggestions, s)
		if ext.Suggestions == nil {
			ext.Suggestions = map[string]checkin.Code{}
		}
		ext.Suggestions[s.UUID] = r.Code
	}
	if len(c.Suggestions) > 0 {
		c.SelectionBehavior = selectAny
	}
	if d.Outcome != checkin.Proceed {
		c.OverrideReasons = overrideReasons(w)
	}
	c.Extension = map[string]any{cardExtensionKey: ext}
	return []Card{c}
}

// invalidCard is the critical card of a check-in that could not be decided,
// the problems in its detail, for the clerk to see that there is no decision.
// Problems are in English, as checkin's validation words them.
func invalidCard(problems []checkin.Problem, decisionID string) Card {
	w := wordsFor("en")
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** %s\n\n", w.nothingDecided, w.invalidDetail)
	const shown = 50
	for i, p := range problems {
		if i == shown {
			fmt.Fprintf(&b, "- %s\n", escapeMarkdown(fmt.Sprintf(w.moreProblems, len(problems)-shown)))
			break
		}
		fmt.Fprintf(&b, "- %s: %s\n", codeSpan(p.Field), escapeMarkdown(p.Problem))
	}
	return Card{
		UUID:      decisionID,
		Summary:   fmt.Sprintf(w.invalidSummary, len(problems), pluralWord(len(problems), "problem", "problems")),
		Detail:    strings.TrimRight(b.String(), "\n"),
		Indicator: indicatorCritical,
		Source: Source{
			Label: w.invalidSource,
			Topic: &Coding{System: outcomeCodeSystem, Code: string(checkin.Invalid), Display: w.outcomes[checkin.Invalid]},
		},
	}
}

// cardIndicator is a card's urgency. A decision with conditions is a warning, not
// info: the conditions must be met before going ahead, and CDS Hooks lets a
// client hide an info card's detail, where they are. An escalation is
// critical when nothing may go ahead until a manager decides, a warning when
// some actions may.
func cardIndicator(d checkin.Decision) string {
	switch d.Outcome {
	case checkin.Proceed:
		return indicatorInfo
	case checkin.ProceedWithConditions, checkin.Partial:
		return indicatorWarning
	case checkin.OutcomeEscalate:
		for _, ad := range d.Actions {
			if ad.Verdict.Allowed() {
				return indicatorWarning
			}
		}
		return indicatorCritical
	default: // refuse, and any outcome this service does not know
		return indicatorCritical
	}
}

// cardSummary says, in under 140 characters, who asked and what came of it:
// "Maria Lopez (aunt or uncle): 2 allowed, 1 refused (consent_sick)". When
// that is too long it drops, in turn, the actions' names, the companion's
// name and the relationship, keeping the counts; nothing is cut mid-word.
func cardSummary(d checkin.Decision, req checkin.Request, lang string) string {
	w := wordsFor(lang)
	pw := policyWords(lang)
	rel := wordFor(pw.relationships, req.Companion.Relationship)
	name := strings.TrimSpace(oneLine(req.Companion.Name))
	var who []string
	if name != "" {
		who = append(who, fmt.Sprintf("%s (%s)", name, rel))
	}
	who = append(who, upperFirst(rel))
	labelled, counted := cardTally(d, w)
	if counted == "" { // a decision of no action: say its outcome
		labelled, counted = w.outcomes[d.Outcome], w.outcomes[d.Outcome]
	}
	for _, s := range who {
		for _, what := range []string{labelled, counted} {
			if line := s + ": " + what; utf8.RuneCountInString(line) < maxSummary {
				return line
			}
		}
	}
	return upperFirst(counted)
}

// cardTally counts the actions by verdict, allowed first, in two forms: naming
// the actions that are not simply allowed, and counts alone.
func cardTally(d checkin.Decision, w *cardWords) (labelled, counted string) {
	var long, short []string
	for _, v := range []checkin.Verdict{checkin.Allow, checkin.AllowWithConditions, checkin.Escalate, checkin.Deny} {
		var as []string
		for _, a := range actionsInOrder(d) {
			if d.Actions[a].Verdict == v {
				as = append(as, wordFor(w.actions, a))
			}
		}
		if len(as) == 0 {
			continue
		}
		forms := w.counts[v]
		n := fmt.Sprintf(forms[min(len(as), 2)-1], len(as))
		short = append(short, n)
		if v != checkin.Allow {
			n += " (" + strings.Join(as, ", ") + ")"
		}
		long = append(long, n)
	}
	return strings.Join(long, ", "), strings.Join(short, ", ")
}

// cardDetail is the decision in markdown: per action, in the contract's order,
// the verdict, basis, reasons, conditions and remedies; then the visit's
// obligations and notices. Every word that comes from the request or the
// policy is escaped, so a name cannot make a link or emphasis.
func cardDetail(d checkin.Decision, req checkin.Request, lang string) string {
	w := wordsFor(lang)
	pw := policyWords(lang)
	patient := req.Patient.Name
	if patient == "" {
		patient = pw.patient
	}
	var b strings.Builder
	where := d.Policy.Jurisdiction
	if d.Policy.Practice != "" {
		where += ", " + fmt.Sprintf(w.practice, d.Policy.Practice)
	}
	fmt.Fprintf(&b, "**%s:** %s (%s)\n", w.outcome, escapeMarkdown(w.outcomes[d.Outcome]), escapeMarkdown(where))
	for _, a := range actionsInOrder(d) {
		ad := d.Actions[a]
		what := upperFirst(strings.ReplaceAll(wordFor(pw.actions, a), "{patient}", patient))
		fmt.Fprintf(&b, "\n**%s** (%s): %s. %s: %s\n", escapeMarkdown(what), codeSpan(string(a)),
			escapeMarkdown(wordFor(w.verdicts, ad.Verdict)), w.basis, codeSpan(string(ad.Basis)))
		for _, n := range ad.Reasons {
			fmt.Fprintf(&b, "- %s\n", escapeMarkdown(n.Message))
		}
		for _, n := range ad.Conditions {
			fmt.Fprintf(&b, "- %s: %s\n", w.doFirst, escapeMarkdown(n.Message))
		}
		for _, n := range actionRemedies(ad, w) {
			fmt.Fprintf(&b, "- %s: %s\n", w.toMakeItYes, escapeMarkdown(n.Message))
		}
	}
	if len(d.Obligations)+len(d.Notices) > 0 {
		fmt.Fprintf(&b, "\n**%s**\n", w.visit)
		for _, n := range d.Obligations {
			fmt.Fprintf(&b, "- %s: %s\n", w.mustDo, escapeMarkdown(n.Message))
		}
		for _, n := range d.Notices {
			fmt.Fprintf(&b, "- %s: %s\n", w.note, escapeMarkdown(n.Message))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// actionRemedies are an action's remedies, or "ask a manager" for an escalated
// action or a refusal that names none: no card leaves a clerk without a next
// step.
func actionRemedies(ad checkin.ActionDecision, w *cardWords) []checkin.Note {
	switch {
	case ad.Verdict == checkin.Deny && len(ad.Remedies) > 0:
		return ad.Remedies
	case ad.Verdict == checkin.Deny, ad.Verdict == checkin.Escalate:
		return []checkin.Note{{Code: askManager, Message: w.askManager}}
	default:
		return nil
	}
}

// cardRemedies are the card's suggestions: the remedies of refused and escalated
// actions in the contract's order, each code once (its first message), the
// most practical first.
func cardRemedies(d checkin.Decision, lang string) []checkin.Note {
	w := wordsFor(lang)
	var out []checkin.Note
	for _, a := range actionsInOrder(d) {
		for _, n := range actionRemedies(d.Actions[a], w) {
			if !slices.ContainsFunc(out, func(o checkin.Note) bool { return o.Code == n.Code }) {
				out = append(out, n)
			}
		}
	}
	return out
}

// actionsInOrder are the decision's actions in the contract's order.
func actionsInOrder(d checkin.Decision) []checkin.Action {
	var as []checkin.Action
	for _, a := range checkin.Actions() {
		if _, ok := d.Actions[a]; ok {
			as = append(as, a)
		}
	}
	// An action outside the vocabulary (a newer policy's) is still shown.
	var rest []checkin.Action
	for a := range d.Actions {
		if !a.Valid() {
			rest = append(rest, a)
		}
	}
	slices.Sort(rest)
	return append(as, rest...)
}

// suggestionNamespace is the UUID namespace of suggestions: the version 5
// UUID of the project's URL in RFC 9562's URL namespace.
var suggestionNamespace = uuid5([16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8},
	"https://github.com/frontdesk-policy/frontdesk/cds-hooks/suggestion")

// suggestionUUID is a remedy's suggestion uuid on a decision's card: a
// version 5 UUID of the decision id and the remedy code, the same each time
// the decision is rendered, so feedback naming it can be traced.
func suggestionUUID(decisionID string, code checkin.Code) string {
	u := uuid5(suggestionNamespace, decisionID+"/"+string(code))
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// uuid5 is RFC 9562's name-based UUID, version 5 (SHA-1).
func uuid5(namespace [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(namespace[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return u
}

// overrideReasons are what a clerk picks when going ahead otherwise than the
// card says.
func overrideReasons(w *cardWords) []Coding {
	out := make([]Coding, len(overrideCodes))
	for i, code := range overrideCodes {
		out[i] = Coding{System: overrideReasonSystem, Code: code, Display: w.overrides[code]}
	}
	return out
}

// overrideCodes are the override reasons' codes, in the order shown.
var overrideCodes = []string{
	"guardian-reached-by-phone", "document-seen-at-desk", "manager-approved",
	"clinician-judged-emergency", "records-out-of-date",
}

// noteCodes are the notes' codes, for the card's data.
func noteCodes(notes []checkin.Note) []checkin.Code {
	var out []checkin.Code
	for _, n := range notes {
		out = append(out, n.Code)
	}
	return out
}

// shortRevision is the start of a policy revision, as a label shows it.
func shortRevision(rev string) string {
	if len(rev) > 8 {
		return rev[:8]
	}
	return rev
}

// escapeMarkdown makes s literal text in GitHub Flavored Markdown: it
// backslash-escapes what could start emphasis, code, a link, an image, raw
// HTML, an entity, a table cell or strikethrough; breaks the autolinks GFM
// makes of "www.", "scheme://" and e-mail addresses; escapes what would make
// the text's start a heading, quote or list; and turns line breaks and other
// control characters into spaces, so no line of it starts a block.
func escapeMarkdown(s string) string {
	s = strings.TrimSpace(oneLine(s))
	var b strings.Builder
	for i, r := range s {
		switch {
		case strings.ContainsRune("\\`*_[]<>!|~&@", r):
			b.WriteByte('\\')
		case r == ':' && strings.HasPrefix(s[i+1:], "//"):
			b.WriteByte('\\')
		case r == '.' && i >= 3 && strings.EqualFold(s[i-3:i], "www"):
			b.WriteByte('\\')
		case i == 0 && strings.ContainsRune("#>-+=", r):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return escapeOrderedListStart(b.String())
}

// orderedListStart is a text start GFM reads as an ordered list item.
var orderedListStart = regexp.MustCompile(`^([0-9]{1,9})([.)])`)

// escapeOrderedListStart escapes the mark of an ordered list at the start of s.
func escapeOrderedListStart(s string) string {
	return orderedListStart.ReplaceAllString(s, `$1\$2`)
}

// codeSpan shows a code in backticks, or escaped when it holds anything but
// the characters codes are made of.
func codeSpan(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("_-.[]", r)))
	}) < 0 {
		return "`" + s + "`"
	}
	return escapeMarkdown(s)
}

// oneLine is s on one line: control characters (line breaks, tabs) become spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// upperFirst upper-cases the first letter of s.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// pluralWord is one or many, by n.
func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// wordFor is a value's words in the table, or the value itself.
func wordFor[K ~string](table map[K]string, k K) string {
	if s, ok := table[k]; ok && s != "" {
		return s
	}
	return string(k)
}

// cardWords are the card's own words in one language; the policy words the
// decision itself. Action and verdict words are the front-desk demo's.
type cardWords struct {
	source                   string // takes the short revision
	outcome, practice, basis string
	doFirst, toMakeItYes     string
	visit, mustDo, note      string
	askManager               string
	// The invalid card's words, in English only, as its problems are.
	invalidSummary, nothingDecided string
	invalidDetail                  string
	invalidSource, moreProblems    string
	counts                         map[checkin.Verdict][2]string // one, many; each takes the count
	verdicts                       map[checkin.Verdict]string
	outcomes                       map[checkin.Outcome]string
	actions                        map[checkin.Action]string
	overrides                      map[string]string
}

// cardLanguages are the languages the card's own words are in; a decision
// in another language gets English labels around its words.
var cardLanguages = map[string]*cardWords{
	"en": {
		source: "frontdesk policy %s", outcome: "Outcome", practice: "practice %q", basis: "Basis",
		doFirst: "Before going ahead", toMakeItYes: "Would make it a yes",
		visit: "For the visit", mustDo: "Must do", note: "Note",
		askManager:     "Ask a manager or clinician to decide.",
		invalidSummary: "Check-in could not be decided: %d %s with the request",
		nothingDecided: "Nothing was decided.", invalidDetail: "Correct the check-in and send it again:",
		invalidSource: "frontdesk check-in", moreProblems: "and %d more",
		counts: map[checkin.Verdict][2]string{
			checkin.Allow:               {"%d allowed", "%d allowed"},
			checkin.AllowWithConditions: {"%d needs steps first", "%d need steps first"},
			checkin.Escalate:            {"%d for a manager", "%d for a manager"},
			checkin.Deny:                {"%d refused", "%d refused"},
		},
		verdicts: map[checkin.Verdict]string{
			checkin.Allow:               "allowed",
			checkin.AllowWithConditions: "allowed once the steps below are done",
			checkin.Deny:                "refused",
			checkin.Escalate:            "a manager or clinician must decide",
		},
		outcomes: map[checkin.Outcome]string{
			checkin.Proceed:               "go ahead",
			checkin.ProceedWithConditions: "go ahead, with conditions",
			checkin.Partial:               "partial",
			checkin.OutcomeEscalate:       "ask a manager",
			checkin.Refuse:                "refused",
			checkin.Invalid:               "could not be decided",
		},
		overrides: map[string]string{
			"guardian-reached-by-phone":  "Guardian reached by phone",
			"document-seen-at-desk":      "Document seen at the desk",
			"manager-approved":           "Manager approved",
			"clinician-judged-emergency": "Clinician judged it an emergency",
			"records-out-of-date":        "Records on file are out of date",
		},
	},
	"es": {
		source: "política de frontdesk %s", outcome: "Resultado", practice: "perfil del consultorio %q", basis: "Base",
		doFirst: "Antes de seguir", toMakeItYes: "Para que sea un sí",
		visit: "Para la visita", mustDo: "Obligación", note: "Aviso",
		askManager: "Pida a la administración o a un profesional clínico que decida.",
		counts: map[checkin.Verdict][2]string{
			checkin.Allow:               {"%d permitida", "%d permitidas"},
			checkin.AllowWithConditions: {"%d con pasos previos", "%d con pasos previos"},
			checkin.Escalate:            {"%d a consultar", "%d a consultar"},
			checkin.Deny:                {"%d denegada", "%d denegadas"},
		},
		verdicts: spanish.Verdicts, outcomes: spanish.Outcomes, actions: spanish.Actions,
		overrides: map[string]string{
			"guardian-reached-by-phone":  "Se habló por teléfono con el padre, la madre o el tutor",
			"document-seen-at-desk":      "Se vio el documento en la recepción",
			"manager-approved":           "Lo aprobó la administración",
			"clinician-judged-emergency": "Un profesional clínico lo consideró una emergencia",
			"records-out-of-date":        "El expediente no está al día",
		},
	},
}

// spanish is the clerk's words in Spanish the cards share with the other programs.
var spanish, _ = words.For("es")

// wordsFor is the card's words in lang, or English.
func wordsFor(lang string) *cardWords {
	if w, ok := cardLanguages[lang]; ok {
		return w
	}
	return cardLanguages["en"]
}

// The policy's own words and message templates, from the default policy's
// messages/<lang>/data.json, read once.

// messageWords are one language's words from the policy.
type messageWords struct {
	actions       map[checkin.Action]string       // "consent to {patient}'s sick visit"
	relationships map[checkin.Relationship]string // "aunt or uncle"
	patient       string                          // "the patient", where the request names nobody
	// templates match the language's messages, by the code of the note.
	templates map[checkin.Code][]*regexp.Regexp
}

// messagesFile is the part of messages/<lang>/data.json the cards read.
type messagesFile struct {
	Reasons     map[checkin.Code]map[string]string `json:"reasons"`
	Conditions  map[checkin.Code]map[string]string `json:"conditions"`
	Remedies    map[checkin.Code]map[string]string `json:"remedies"`
	Obligations map[checkin.Code]map[string]string `json:"obligations"`
	Notices     map[checkin.Code]map[string]string `json:"notices"`
	Phrases     map[string]string                  `json:"phrases"`
	Words       struct {
		Actions       map[checkin.Action]string       `json:"actions"`
		Relationships map[checkin.Relationship]string `json:"relationships"`
	} `json:"words"`
}

var loadPolicyWords = sync.OnceValue(func() map[string]*messageWords {
	out := map[string]*messageWords{}
	dirs, err := fs.ReadDir(rego.FS(), "messages")
	if err != nil {
		return out // the embedded policy always has them; without, codes are shown
	}
	for _, dir := range dirs {
		data, err := fs.ReadFile(rego.FS(), "messages/"+dir.Name()+"/data.json")
		if err != nil {
			continue
		}
		var f messagesFile
		if json.Unmarshal(data, &f) != nil {
			continue
		}
		mw := &messageWords{actions: f.Words.Actions, relationships: f.Words.Relationships,
			patient: f.Phrases["patient"], templates: map[checkin.Code][]*regexp.Regexp{}}
		for _, kind := range []map[checkin.Code]map[string]string{f.Reasons, f.Conditions, f.Remedies, f.Obligations, f.Notices} {
			for code, named := range kind {
				for _, t := range named {
					mw.templates[code] = append(mw.templates[code], templatePattern(t))
				}
			}
		}
		out[dir.Name()] = mw
	}
	return out
})

// templateSlot is a message template's slot, such as {companion}.
var templateSlot = regexp.MustCompile(`\{[a-z_]+\}`)

// templatePattern matches the messages a template words: its text exactly
// (bar letter case), anything in its slots.
func templatePattern(t string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?is)^`)
	last := 0
	for _, m := range templateSlot.FindAllStringIndex(t, -1) {
		b.WriteString(regexp.QuoteMeta(t[last:m[0]]))
		b.WriteString(`.*`)
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(t[last:]))
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

// policyWords is the policy's words in lang, or English.
func policyWords(lang string) *messageWords {
	all := loadPolicyWords()
	if mw, ok := all[lang]; ok {
		return mw
	}
	if mw, ok := all["en"]; ok {
		return mw
	}
	return &messageWords{patient: "the patient"}
}

// decisionLanguage is the language a decision's words are in: the one
// whose message templates match most of its notes. A decision says nothing
// of its language (the engine's WithLanguage or the practice chooses it), so
// its words tell; English when none match, as for words an overlay rewrote.
func decisionLanguage(d checkin.Decision) string {
	var notes []checkin.Note
	for _, ad := range d.Actions {
		notes = append(notes, ad.Reasons...)
		notes = append(notes, ad.Conditions...)
		notes = append(notes, ad.Remedies...)
	}
	notes = append(notes, d.Obligations...)
	notes = append(notes, d.Notices...)
	all := loadPolicyWords()
	best, bestScore := "en", 0
	langs := make([]string, 0, len(all))
	for lang := range all {
		langs = append(langs, lang)
	}
	slices.Sort(langs)
	for _, lang := range langs {
		score := 0
		for _, n := range notes {
			if slices.ContainsFunc(all[lang].templates[n.Code], func(p *regexp.Regexp) bool { return p.MatchString(n.Message) }) {
				score++
			}
		}
		if score > bestScore || score == bestScore && score > 0 && lang == "en" {
			best, bestScore = lang, score
		}
	}
	return best
}

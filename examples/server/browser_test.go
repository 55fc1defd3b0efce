package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/examples/internal/words"
)

// The browser test drives the case page and the report in headless
// Chromium, as a clerk and a compliance officer use them. It needs a
// Chromium on PATH (Debian's chromium package; .ci/run installs it), never
// downloads one, and skips without one unless CI is set.

// updateDocs writes the README's screenshots of the page and the report.
var updateDocs = flag.Bool("update-docs", false, "write the README's screenshots in docs/ from the browser test")

// browserNames are the names a Chromium goes by on PATH, Debian's first.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"}

// findBrowser returns the path of a Chromium on PATH, skipping the test
// when there is none, unless CI is set, when the test fails instead.
func findBrowser(t *testing.T) string {
	t.Helper()
	for _, name := range browserNames {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set and no browser is on PATH (looked for %s): install Debian's chromium, as .ci/run does",
			strings.Join(browserNames, ", "))
	}
	t.Skipf("no browser on PATH (looked for %s): install Debian's chromium to run the page's browser test; with CI set it fails instead",
		strings.Join(browserNames, ", "))
	return ""
}

// A tab is one browser tab on the test server, with the test's deadline.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// newTab starts a headless Chromium for the test and opens a tab on base.
// When the test fails, the tab's last screen is written to a folder the
// log names.
func newTab(t *testing.T, base string) *tab {
	t.Helper()
	path := findBrowser(t)
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox cannot start
		chromedp.WindowSize(1280, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	tb := &tab{t: t, ctx: ctx, base: base}
	t.Cleanup(func() {
		if t.Failed() {
			tb.screenshotOnFailure()
		}
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	return tb
}

// screenshotOnFailure writes the tab's whole page as a PNG under
// $FRONTDESK_SCREENSHOTS, or a temporary folder, and logs where.
func (tb *tab) screenshotOnFailure() {
	dir := os.Getenv("FRONTDESK_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "frontdesk-browser-screenshots")
	}
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		tb.t.Logf("no screenshot: %v", err)
		return
	}
	name := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(tb.t.Name())+".png")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		err = os.WriteFile(name, png, 0o644)
	}
	if err != nil {
		tb.t.Logf("no screenshot: %v", err)
		return
	}
	tb.t.Logf("screenshot of the failed page: %s", name)
}

// screenshot writes the element sel as a PNG to file, for the README.
func (tb *tab) screenshot(sel, file string) {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	require.NoError(tb.t, err)
	require.NoError(tb.t, os.MkdirAll(filepath.Dir(file), 0o755))
	require.NoError(tb.t, os.WriteFile(file, png, 0o644))
}

// do runs steps in the tab, failing the test on an error.
func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	require.NoError(tb.t, chromedp.Do(tb.ctx, steps...))
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](tb *tab, expression string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expression, chromedp.EvalAwaitPromise))
	require.NoError(tb.t, err, expression)
	return v
}

// open navigates to path and waits for sel.
func (tb *tab) open(path, sel string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(tb.base+path), chromedp.WaitVisible(chromedp.CSS(sel)))
}

// set sets a form field's value, as typing would, and tells the page it changed.
func (tb *tab) set(sel, value string) {
	tb.t.Helper()
	eval[bool](tb, fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		if (!el) throw new Error("no element " + %q);
		el.value = %q;
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`, sel, sel, value))
}

// check ticks (or unticks) a checkbox.
func (tb *tab) check(sel string, on bool) {
	tb.t.Helper()
	eval[bool](tb, fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		if (!el) throw new Error("no element " + %q);
		if (el.checked !== %t) el.click();
		return true;
	})()`, sel, sel, on))
}

// click clicks sel.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.do(chromedp.Click(chromedp.CSS(sel)))
}

// text is sel's text as shown.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`document.querySelector(%q)?.innerText ?? ""`, sel))
}

// shownVerdicts reads the answer as the page shows it: each action's
// verdict, and the words shown with it.
func (tb *tab) shownVerdicts() map[string]shownVerdict {
	tb.t.Helper()
	return eval[map[string]shownVerdict](tb, `Object.fromEntries([...document.querySelectorAll("#answer tr[data-action]")].map(row => {
		const v = row.querySelector("[data-verdict]");
		return [row.dataset.action, {verdict: v ? v.dataset.verdict : "", words: v ? v.innerText : "", row: row.innerText}];
	}))`)
}

type shownVerdict struct {
	Verdict string `json:"verdict"`
	Words   string `json:"words"` // the verdict's own words: never colour alone
	Row     string `json:"row"`
}

// addRow clicks the button that adds a row of a repeated part of the form
// (a guardian, a restriction) and fills the new row's fields by name: a
// string sets a field, a list sets the actions a row covers (checkboxes or a
// multiple select), a bool ticks a checkbox.
func (tb *tab) addRow(button, row string, fields map[string]any) {
	tb.t.Helper()
	tb.click(button)
	for name, value := range fields {
		eval[bool](tb, fmt.Sprintf(`((row, name, value) => {
			const rows = document.querySelectorAll(row);
			if (rows.length === 0) throw new Error("no row " + row);
			const last = rows[rows.length - 1];
			const els = [...last.querySelectorAll("[name='" + name + "']")];
			if (els.length === 0) throw new Error("no field " + name + " in " + row);
			for (const el of els) {
				if (el.tagName === "SELECT" && el.multiple) {
					for (const o of el.options) o.selected = value.includes(o.value);
				} else if (el.type === "checkbox" && Array.isArray(value)) {
					if (el.checked !== value.includes(el.value)) el.click();
				} else if (el.type === "checkbox") {
					if (el.checked !== value) el.click();
				} else {
					el.value = value;
				}
				el.dispatchEvent(new Event("input", {bubbles: true}));
				el.dispatchEvent(new Event("change", {bubbles: true}));
			}
			return true;
		})(%s, %s, %s)`, jsString(row), jsString(name), jsValue(tb.t, value)))
	}
}

// ask ticks exactly the actions asked for.
func (tb *tab) ask(actions ...checkin.Action) {
	tb.t.Helper()
	for _, a := range checkin.Actions() {
		tb.check(fmt.Sprintf("input[name=requested][value=%s]", a), slices.Contains(actions, a))
	}
}

// decide clicks the decide button and waits for the answer's outcome.
func (tb *tab) decide() {
	tb.t.Helper()
	eval[bool](tb, `(() => { document.querySelector("#outcome")?.removeAttribute("data-outcome"); return true; })()`)
	tb.click("#decide")
	tb.do(chromedp.WaitVisible(chromedp.CSS("#outcome[data-outcome]")))
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func jsValue(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// pageRequest is the request the page decided, read back from its link
// to the case: the request JSON, base64url, in the URL's fragment.
func (tb *tab) pageRequest() (checkin.Request, string) {
	tb.t.Helper()
	link := eval[string](tb, `document.querySelector("#case-link")?.href ?? ""`)
	_, fragment, ok := strings.Cut(link, "#case=")
	require.True(tb.t, ok, "the case link %q holds no case", link)
	data, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(fragment, "="))
	require.NoError(tb.t, err, "the case link's fragment is base64url")
	req, err := checkin.ParseRequest(data)
	require.NoError(tb.t, err, "the case link holds a request in the contract's JSON: %s", data)
	return req, link
}

// sameAsDecided checks that the page shows, action by action, what the
// service decides for the request the page sent: the verdict in words (not
// colour alone), the basis, every reason, condition and remedy, and the
// outcome. What the clerk reads is the decision, not the page's own idea of it.
func sameAsDecided(tb *tab, ts *testServer, lang string, req checkin.Request) checkin.Decision {
	t := tb.t
	t.Helper()
	body, err := json.Marshal(req)
	require.NoError(t, err)
	status, data := ts.postJSON(t, "/v1/decisions", body)
	require.Equal(t, 200, status, "%s", data)
	d := decodeJSON[decisionResponse](t, data).Result
	vocab, err := words.For(lang)
	require.NoError(t, err)
	shown := tb.shownVerdicts()
	require.Len(t, shown, len(d.Actions), "the page shows every action decided, and only those: %v", shown)
	for a, ad := range d.Actions {
		s, ok := shown[string(a)]
		if !assert.True(t, ok, "the page does not show %s", a) {
			continue
		}
		assert.Equal(t, string(ad.Verdict), s.Verdict, "%s: the verdict shown", a)
		assert.Contains(t, strings.ToLower(s.Words), strings.ToLower(words.Label(vocab.Verdicts, ad.Verdict)),
			"%s: the verdict is shown in words, not colour alone", a)
		assert.Contains(t, s.Row, string(ad.Basis), "%s: the basis is shown", a)
		for _, n := range slices.Concat(ad.Reasons, ad.Conditions, ad.Remedies) {
			assert.Contains(t, s.Row, n.Message, "%s: every reason, condition and remedy is shown", a)
		}
	}
	assert.Equal(t, string(d.Outcome), eval[string](tb, `document.querySelector("#outcome").dataset.outcome`))
	answer := tb.text("#answer")
	for _, n := range slices.Concat(d.Obligations, d.Notices) {
		assert.Contains(t, answer, n.Message, "the visit's obligations and notices are shown")
	}
	return d
}

// The two cases of the walk-through: Sam, Jamie's mother's partner,
// brings her in sick with her mother's phone consent; David, Ava's father,
// is barred by a protective order.
func fillPartnerCase(tb *tab) {
	tb.t.Helper()
	tb.set("#jurisdiction", "US-KS")
	tb.set("#patient-id", "pt-101")
	tb.set("#patient-name", "Jamie Lopez")
	tb.set("#patient-birth-date", "2019-05-10")
	tb.set("#companion-id", "per-sam")
	tb.set("#companion-name", "Sam Rivera")
	tb.set("#companion-relationship", string(checkin.ParentPartner))
	tb.set("#companion-age", "35")
	tb.set("#companion-identity", string(checkin.PhotoID))
	tb.check("#companion-lives-with", true)
	tb.check("#companion-brought", true)
	tb.addRow("#add-guardian", ".guardian", map[string]any{"person": "per-ana", "name": "Ana Lopez", "role": "parent"})
	tb.addRow("#add-phone-consent", ".phone-consent", map[string]any{
		"from": "per-ana", "covers": []string{"consent_sick"}, "witness": "Grace Kim"})
	tb.ask(checkin.Accompany, checkin.ConsentSick, checkin.SchoolNote)
}

func fillProtectiveOrderCase(tb *tab) {
	tb.t.Helper()
	tb.set("#jurisdiction", "US-KS")
	tb.set("#patient-id", "pt-518")
	tb.set("#patient-name", "Ava Brooks")
	tb.set("#patient-birth-date", "2020-09-03")
	tb.set("#companion-id", "per-david")
	tb.set("#companion-name", "David Brooks")
	tb.set("#companion-relationship", string(checkin.Parent))
	tb.set("#companion-age", "38")
	tb.set("#companion-identity", string(checkin.PhotoID))
	tb.addRow("#add-guardian", ".guardian", map[string]any{"person": "per-nicole", "name": "Nicole Brooks", "role": "parent"})
	tb.addRow("#add-guardian", ".guardian", map[string]any{"person": "per-david", "name": "David Brooks", "role": "parent"})
	tb.addRow("#add-restriction", ".restriction", map[string]any{
		"person": "per-david", "covers": []string{"*"}, "source": "protective_order", "valid_until": "2027-06-01"})
	tb.ask(checkin.Accompany, checkin.DiscussCare, checkin.PickUp)
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the browser test starts Chromium")
	}
	findBrowser(t)
	ts, overlay := storiesServer(t, "en")
	tb := newTab(t, ts.base)
	tb.open("/", "#case-form")

	// The partner with a sick child: allowed on the mother's phone consent.
	fillPartnerCase(tb)
	tb.decide()
	req, link := tb.pageRequest()
	assert.Equal(t, checkin.ParentPartner, req.Companion.Relationship)
	assert.Equal(t, []checkin.VerbalConsent{{From: "per-ana", Covers: []checkin.Action{checkin.ConsentSick}, Witness: "Grace Kim"}},
		req.Desk.VerbalConsent)
	partner := sameAsDecided(tb, ts, "en", req)
	assert.Equal(t, checkin.AllowWithConditions, partner.Actions[checkin.ConsentSick].Verdict)
	assert.Equal(t, checkin.CodeVerbalConsent, partner.Actions[checkin.ConsentSick].Basis)
	if *updateDocs {
		tb.screenshot("#answer", "docs/case-page.png")
	}

	// The explanation, rule by rule, on request.
	tb.click("#explain")
	tb.do(chromedp.WaitVisible(chromedp.CSS("#explanation")))
	explanation := tb.text("#explanation")
	assert.Contains(t, explanation, "consent_sick")
	assert.Contains(t, explanation, "— decided: "+partner.Actions[checkin.ConsentSick].Rule.Title,
		"the explanation shows the rule that decided")

	// Save it as a story: it lands in the overlay's scenarios, without names.
	tb.set("#story-name", "partner-brings-sick-child")
	tb.set("#story-text", "The mother's partner brings Jamie in sick; the mother agrees by phone.")
	tb.click("#story-save")
	tb.do(chromedp.WaitVisible(chromedp.CSS("#story-result")))
	assert.Contains(t, tb.text("#story-result"), "scenarios/stories.json")
	saved, err := os.ReadFile(filepath.Join(overlay, "scenarios", "stories.json"))
	require.NoError(t, err)
	assert.Contains(t, string(saved), "partner-brings-sick-child")
	for _, private := range []string{"Jamie Lopez", "Sam Rivera", "Ana Lopez", "2019-05-10"} {
		assert.NotContains(t, string(saved), private, "a saved story holds no name or birth date")
	}
	assert.True(t, strings.HasPrefix(eval[string](tb, `document.querySelector("#story-download")?.href ?? ""`), "blob:"),
		"the story is offered as a download")

	// The link reproduces the case in a new tab: same request, same answer.
	tb.do(chromedp.Navigate("about:blank"))
	tb.do(chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#outcome[data-outcome]")))
	again, _ := tb.pageRequest()
	assert.Equal(t, req, again, "the link reproduces the case")
	sameAsDecided(tb, ts, "en", again)

	// The father under a protective order: refused, every action, with why.
	tb.open("/", "#case-form")
	fillProtectiveOrderCase(tb)
	tb.decide()
	req, _ = tb.pageRequest()
	father := sameAsDecided(tb, ts, "en", req)
	assert.Equal(t, checkin.Refuse, father.Outcome)
	for a, ad := range father.Actions {
		assert.Equal(t, checkin.Deny, ad.Verdict, a)
		assert.Equal(t, checkin.CodeRestrictedByOrder, ad.Basis, a)
	}

	// The report, after these decisions: counted, charted, and no names.
	tb.open("/report", "svg")
	report := eval[string](tb, `document.documentElement.outerHTML`)
	assert.Contains(t, report, string(checkin.CodeRestrictedByOrder))
	for _, private := range []string{"Jamie Lopez", "Sam Rivera", "Ava Brooks", "David Brooks", "2019-05-10", "2020-09-03"} {
		assert.NotContains(t, report, private, "the report shows no name or birth date")
	}
	if *updateDocs {
		tb.screenshot("main", "docs/report.png")
	}
	assert.NotEmpty(t, readRecords(t, ts.cfg.record))
}

// A name that is markup is shown as text: the page runs no script from a
// decision, and a pasted request decides as the form does.
func TestBrowserHostileNames(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the browser test starts Chromium")
	}
	findBrowser(t)
	ts, _ := storiesServer(t, "en")
	tb := newTab(t, ts.base)
	tb.open("/", "#case-form")
	hostile := `<img src=x onerror="window.pwned=1">Sam`
	req := readTestdata(t, "decision.json")
	req = setJSON(t, req, "companion.name", hostile)
	tb.do(chromedp.Click(chromedp.CSS(".paste summary")))
	tb.set("#paste-json", string(req))
	tb.click("#decide-json")
	tb.do(chromedp.WaitVisible(chromedp.CSS("#outcome[data-outcome]")))
	assert.False(t, eval[bool](tb, `window.pwned === 1`), "no script ran from a name")
	assert.Zero(t, eval[int](tb, `document.querySelectorAll("#answer img").length`), "no element came from a name")
	assert.Contains(t, tb.text("#answer"), hostile, "the name is shown as written")
	assert.Equal(t, hostile, eval[string](tb, `document.querySelector("#companion-name").value`), "the pasted request fills the form")
	got, _ := tb.pageRequest()
	var want checkin.Request
	require.NoError(t, json.Unmarshal(req, &want))
	assert.Equal(t, mustJSON(t, want), mustJSON(t, got))
	sameAsDecided(tb, ts, "en", got)

	// A request the contract refuses shows every problem, and no answer.
	tb.set("#paste-json", string(setJSON(t, req, "requested", []string{"sign_anything"})))
	tb.click("#decide-json")
	tb.do(chromedp.WaitVisible(chromedp.CSS("#error")))
	assert.Contains(t, tb.text("#error"), "requested[0]")
	assert.False(t, eval[bool](tb, `!document.querySelector("#answer").hidden`), "no answer is shown for a refused request")
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// In Spanish the page, the answer and the report speak Spanish; at 200%
// zoom (a 640 pixel wide window) nothing needs scrolling sideways, and the
// form can be decided from the keyboard.
func TestBrowserSpanishZoomedKeyboard(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the browser test starts Chromium")
	}
	findBrowser(t)
	ts, _ := storiesServer(t, "es")
	tb := newTab(t, ts.base)
	tb.do(chromedp.EmulateViewport(640, 900))
	tb.open("/", "#case-form")
	assert.Equal(t, "es", eval[string](tb, `document.documentElement.lang`))
	fillProtectiveOrderCase(tb)
	// Enter in a field submits the form, as a keyboard user expects.
	tb.do(chromedp.Focus(chromedp.CSS("#companion-age")), chromedp.SendKeys(chromedp.CSS("#companion-age"), kb.Enter))
	tb.do(chromedp.WaitVisible(chromedp.CSS("#outcome[data-outcome]")))
	req, _ := tb.pageRequest()
	father := sameAsDecided(tb, ts, "es", req)
	assert.Equal(t, checkin.Refuse, father.Outcome)
	assert.Contains(t, tb.text("#outcome"), "rechazado")
	assert.LessOrEqual(t, eval[int](tb, `document.documentElement.scrollWidth`), eval[int](tb, `document.documentElement.clientWidth`),
		"nothing is wider than the window at 200% zoom")

	// Once the form changes, the answer says it answers the case as it was.
	stale := func() bool { return eval[bool](tb, `!document.querySelector("#stale").hidden`) }
	assert.False(t, stale())
	tb.set("#companion-age", "39")
	assert.True(t, stale(), "a changed form marks the answer as stale")
	tb.decide()
	assert.False(t, stale(), "deciding again answers the form as it is")

	tb.open("/report", "svg")
	assert.Contains(t, tb.text("main"), "Negativas, por base")
	assert.LessOrEqual(t, eval[int](tb, `document.documentElement.scrollWidth`), eval[int](tb, `document.documentElement.clientWidth`))
}

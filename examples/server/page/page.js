// The case page: the form becomes a request in the contract's JSON, the
// service decides it, and the answer is shown as the clerk reads it. Every
// text from the service or the form is set with textContent, never as
// HTML: a name is whatever someone typed.
"use strict";

(() => {
  const page = JSON.parse(document.body.dataset.page);
  const T = page.t;
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

  // fmt replaces each %s or %d in a template of the page's words, in order.
  const fmt = (template, ...args) => template.replace(/%[sd]/g, () => String(args.shift()));

  // el makes an element with attributes and children (strings become text).
  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") e.className = v;
      else if (k.startsWith("data-")) e.dataset[k.slice(5).replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  };

  const labelOf = (list, value) => (page.vocabulary[list].find((o) => o.value === value) || {}).label || value;

  // The repeated parts of the form: the template of each row, where the
  // rows go, and where they are in the request.
  const rowKinds = {
    guardian: { box: "#guardians" },
    document: { box: "#documents" },
    restriction: { box: "#restrictions" },
    refusal: { box: "#refusals" },
    designation: { box: "#designations" },
    "phone-consent": { box: "#phone-consents" },
  };

  function addRow(kind, focus = true) {
    const row = $("#row-" + kind).content.firstElementChild.cloneNode(true);
    $(".remove", row).addEventListener("click", () => {
      const next = row.nextElementSibling || row.parentElement.parentElement.querySelector("button[data-row]");
      row.remove();
      next && (next.querySelector("input, select, button") || next).focus();
    });
    $(rowKinds[kind].box).append(row);
    if (focus) $("input, select", row).focus();
    return row;
  }

  const field = (row, name) => $(`[name="${name}"]`, row);
  const text = (row, name) => field(row, name).value.trim();
  const checked = (row, name) => field(row, name).checked;
  const covers = (row) => $$('[name="covers"]', row).filter((c) => c.checked).map((c) => c.value);
  const rows = (kind) => $$(".row", $(rowKinds[kind].box));

  // set puts v in the object under key unless it is empty: the contract's
  // optional fields are left out rather than sent empty.
  const set = (o, key, v) => {
    if (v !== "" && v !== false && v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) o[key] = v;
    return o;
  };

  // at is the visit's time in RFC 3339, with the offset the form gives.
  function at() {
    const local = $("#at").value; // YYYY-MM-DDTHH:MM
    const zone = $("#at-zone").value.trim();
    return local ? local + ":00" + zone : "";
  }

  function localOffset(date) {
    const minutes = -date.getTimezoneOffset();
    const sign = minutes < 0 ? "-" : "+";
    const abs = Math.abs(minutes);
    return sign + String(Math.floor(abs / 60)).padStart(2, "0") + ":" + String(abs % 60).padStart(2, "0");
  }

  function setNow() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    $("#at").value = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}`;
    $("#at-zone").value = localOffset(now);
  }

  // requestFromForm is the request the form says, in the contract's JSON.
  function requestFromForm() {
    const age = $("#companion-age").value.trim();
    const req = {
      at: at(),
      jurisdiction: $("#jurisdiction").value.trim(),
      patient: set(set(set({ id: $("#patient-id").value.trim(), birth_date: $("#patient-birth-date").value },
        "name", $("#patient-name").value.trim()),
        "statuses", $$('input[name="statuses"]').filter((c) => c.checked).map((c) => c.value)),
        "lacks_capacity", $("#patient-lacks-capacity").checked),
      companion: set(set(set({
        id: $("#companion-id").value.trim(),
        relationship: $("#companion-relationship").value,
        age: age === "" ? null : Number(age),
        identity: $("#companion-identity").value,
      }, "name", $("#companion-name").value.trim()),
      "lives_with_patient", $("#companion-lives-with").checked),
      "brought_patient", $("#companion-brought").checked),
      records: {},
      desk: {},
      requested: $$('input[name="requested"]').filter((c) => c.checked).map((c) => c.value),
    };
    if (!$("#patient-present").checked) req.patient.present = false; // left out, it means present
    set(req, "practice", $("#practice").value.trim());
    set(req, "emergency", $("#emergency").checked);
    const r = req.records;
    set(r, "guardians", rows("guardian").map((row) => {
      const g = set({ person: text(row, "person"), role: field(row, "role").value }, "name", text(row, "name"));
      if (!checked(row, "legal_custody")) g.legal_custody = false;
      return g;
    }));
    set(r, "documents", rows("document").map((row) => {
      const d = { id: text(row, "id"), kind: field(row, "kind").value, grantee: text(row, "grantee"), covers: covers(row) };
      for (const k of ["granted_by", "valid_from", "valid_until", "signed_on"]) set(d, k, text(row, k));
      for (const k of ["revoked", "relative", "notarized"]) set(d, k, checked(row, k));
      const w = Number(text(row, "witnesses") || "0");
      if (w) d.witnesses = w;
      return d;
    }));
    set(r, "restrictions", rows("restriction").map((row) =>
      set(set({ person: text(row, "person"), covers: covers(row) }, "source", field(row, "source").value), "valid_until", text(row, "valid_until"))));
    set(r, "refusals", rows("refusal").map((row) => ({ by: text(row, "by"), covers: covers(row) })));
    set(r, "designations", rows("designation").map((row) => ({ person: text(row, "person"), covers: covers(row) })));
    set(req.desk, "verbal_consent", rows("phone-consent").map((row) =>
      set({ from: text(row, "from"), covers: covers(row) }, "witness", text(row, "witness"))));
    set(req.desk, "guardian_unreachable", $("#guardian-unreachable").checked);
    set(req.desk, "patient_agrees", $("#patient-agrees").checked);
    return req;
  }

  // fillForm sets the form from a request (a pasted one, or a link's), so
  // that the form decides it again as it is.
  function fillForm(req) {
    const v = (x) => (x === undefined || x === null ? "" : String(x));
    $("#case-form").reset();
    for (const kind of Object.keys(rowKinds)) rows(kind).forEach((row) => row.remove());
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(v(req.at));
    if (m) {
      $("#at").value = m[1];
      $("#at-zone").value = m[2];
    }
    $("#jurisdiction").value = v(req.jurisdiction);
    $("#practice").value = v(req.practice);
    $("#emergency").checked = !!req.emergency;
    const p = req.patient || {};
    $("#patient-id").value = v(p.id);
    $("#patient-name").value = v(p.name);
    $("#patient-birth-date").value = v(p.birth_date);
    $$('input[name="statuses"]').forEach((c) => (c.checked = (p.statuses || []).includes(c.value)));
    $("#patient-lacks-capacity").checked = !!p.lacks_capacity;
    $("#patient-present").checked = p.present !== false;
    const c = req.companion || {};
    $("#companion-id").value = v(c.id);
    $("#companion-name").value = v(c.name);
    $("#companion-relationship").value = v(c.relationship);
    $("#companion-age").value = v(c.age);
    $("#companion-identity").value = c.identity || "unverified";
    $("#companion-lives-with").checked = !!c.lives_with_patient;
    $("#companion-brought").checked = !!c.brought_patient;
    const fill = (kind, entries, values) => (entries || []).forEach((entry) => {
      const row = addRow(kind, false);
      for (const [name, value] of Object.entries(values(entry))) {
        const f = field(row, name);
        if (!f) continue;
        if (f.type === "checkbox") f.checked = !!value;
        else f.value = v(value);
      }
      $$('[name="covers"]', row).forEach((box) => (box.checked = (entry.covers || []).includes(box.value)));
    });
    const r = req.records || {};
    fill("guardian", r.guardians, (g) => ({ person: g.person, name: g.name, role: g.role, legal_custody: g.legal_custody !== false }));
    fill("document", r.documents, (d) => ({ id: d.id, kind: d.kind, granted_by: d.granted_by, grantee: d.grantee,
      valid_from: d.valid_from, valid_until: d.valid_until, signed_on: d.signed_on, witnesses: d.witnesses || 0,
      revoked: d.revoked, relative: d.relative, notarized: d.notarized }));
    fill("restriction", r.restrictions, (x) => ({ person: x.person, source: x.source, valid_until: x.valid_until }));
    fill("refusal", r.refusals, (x) => ({ by: x.by }));
    fill("designation", r.designations, (x) => ({ person: x.person }));
    const d = req.desk || {};
    fill("phone-consent", d.verbal_consent, (x) => ({ from: x.from, witness: x.witness }));
    $("#guardian-unreachable").checked = !!d.guardian_unreachable;
    $("#patient-agrees").checked = !!d.patient_agrees;
    $$('input[name="requested"]').forEach((box) => (box.checked = (req.requested || []).includes(box.value)));
  }

  // The case travels in the link's fragment, base64url of its JSON: a
  // browser never sends the fragment to a server.
  const toBase64url = (s) => btoa(String.fromCharCode(...new TextEncoder().encode(s)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const fromBase64url = (s) => new TextDecoder().decode(Uint8Array.from(
    atob(s.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0)));

  async function post(path, body) {
    const resp = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    let data = null;
    try {
      data = await resp.json();
    } catch (e) {
      data = { message: resp.statusText };
    }
    return { status: resp.status, data };
  }

  function showError(title, problems) {
    const box = $("#error");
    box.replaceChildren(el("p", {}, el("strong", {}, title)));
    if (problems && problems.length) {
      box.append(el("ul", {}, ...problems.map((p) => el("li", {}, p.field ? el("code", {}, p.field) : null, p.field ? " " : null, p.problem))));
    }
    box.hidden = false;
  }

  function clearError() {
    $("#error").hidden = true;
    $("#error").replaceChildren();
  }

  let last = null; // the request decided last (its JSON) and its decision
  let sent = 0; // the number of the latest request sent: only its answer is shown

  // hideAnswer takes the answer off the page: it is shown only while it
  // answers the request in flight or decided last.
  function hideAnswer() {
    last = null;
    $("#answer").hidden = true;
    $("#story").hidden = true;
  }

  async function decideBody(body) {
    const mine = ++sent;
    clearError();
    hideAnswer();
    const buttons = [$("#decide"), $("#decide-json")];
    buttons.forEach((b) => (b.disabled = true));
    try {
      const { status, data } = await post("/v1/decisions", body);
      if (mine !== sent) return; // a later request was sent: its answer is the one to show
      if (status === 200) {
        last = { body, request: JSON.parse(body), decision: data.result, id: data.decision_id };
        remember(last.request);
        showAnswer(last);
        return;
      }
      showError(status === 400 ? T.problems : fmt(T.errorNetwork, status + " " + (data.message || data.code || "")),
        data.problems || (data.errors || []).map((e) => ({ problem: e })));
    } catch (e) {
      if (mine === sent) showError(fmt(T.errorNetwork, e.message));
    } finally {
      if (mine === sent) buttons.forEach((b) => (b.disabled = false));
    }
  }

  const noteList = (label, notes, cls) => notes && notes.length
    ? [el("span", { class: "label" }, label), el("ul", { class: cls }, ...notes.map((n) => el("li", { "data-code": n.code }, n.message)))]
    : [];

  // showAnswer draws the decision as the demo prints it: per action the
  // verdict in colour and in words, the basis, the reasons, what to do
  // first and what would make it a yes; then the outcome and the visit's
  // obligations and notices.
  function showAnswer({ request, decision, id, body }) {
    const outcome = $("#outcome");
    outcome.dataset.outcome = decision.outcome;
    outcome.textContent = T.outcome + ": " + (page.vocabulary.outcomes[decision.outcome] || decision.outcome);
    const tbody = $("#verdicts");
    tbody.replaceChildren();
    // In the order asked, then any action the decision adds.
    const actions = request.requested.filter((a, i, all) => all.indexOf(a) === i && decision.actions[a]);
    for (const a of Object.keys(decision.actions)) if (!actions.includes(a)) actions.push(a);
    for (const a of actions) {
      const ad = decision.actions[a];
      const words = page.vocabulary.verdicts[ad.verdict] || ad.verdict;
      tbody.append(el("tr", { "data-action": a },
        el("th", { scope: "row" }, labelOf("actions", a), " ", el("code", {}, a)),
        el("td", {}, el("span", { class: "verdict verdict-" + ad.verdict, "data-verdict": ad.verdict }, words)),
        el("td", {}, el("code", {}, ad.basis), ad.rule && ad.rule.number ? el("div", { class: "small" }, ad.rule.number + ". " + ad.rule.title) : null),
        el("td", {}, ...noteList(T.reasons, ad.reasons, "reasons"), ...noteList(T.doFirst, ad.conditions, "conditions"),
          ...noteList(T.toMakeItYes, ad.remedies, "remedies"))));
    }
    const notes = $("#visit-notes");
    notes.replaceChildren(...noteList(T.obligations, decision.obligations, "obligations"), ...noteList(T.notices, decision.notices, "notices"));
    const pol = decision.policy || {};
    $("#policy-used").textContent = fmt(T.decidedOn, pol.revision, pol.jurisdiction, pol.practice, id);
    const link = new URL(location.href);
    link.hash = "case=" + toBase64url(body);
    $("#case-link").href = link.href;
    $("#explanation").hidden = true;
    $("#explanation").replaceChildren();
    $("#answer").hidden = false;
    $("#stale").hidden = true;
    prepareStory(request, decision);
  }

  // explain draws the explanation of the answer shown, and nothing if
  // another answer has replaced it meanwhile.
  async function explain() {
    const shown = last;
    if (!shown) return;
    const box = $("#explanation");
    let reply;
    try {
      reply = await post("/v1/explanations", shown.body);
    } catch (e) {
      if (last === shown) showError(fmt(T.errorNetwork, e.message));
      return;
    }
    if (last !== shown) return;
    const { status, data } = reply;
    if (status !== 200) {
      showError(T.problems, data.problems || [{ problem: data.message || String(status) }]);
      return;
    }
    const x = data.result;
    box.replaceChildren(el("h3", {}, T.explanation));
    if ((x.decision.policy || {}).revision !== (shown.decision.policy || {}).revision) {
      box.append(el("p", { class: "stale" }, T.explainedOnOther));
    }
    for (const a of Object.keys(shown.decision.actions)) {
      const ax = x.actions[a];
      if (!ax) continue;
      const decided = (x.decision.actions[a] || {}).rule || {};
      box.append(el("h4", {}, labelOf("actions", a), " ", el("code", {}, a)),
        el("ol", {}, ...ax.rules.map((r) => el("li", {
          class: (r.applies ? "applies" : "") + (r.rule === ax.decided_by ? " decided" : ""), value: r.rule,
        }, r.title, " — ", r.rule === ax.decided_by ? T.decidedBy + ": " + (decided.title || "") : r.applies ? T.applies : T.notApplies,
        r.why_not ? ": " + r.why_not : ""))));
    }
    box.hidden = false;
    box.focus();
  }

  // prepareStory fills the story panel with the answer as the expectation,
  // for staff to change to what they expected.
  function prepareStory(request, decision) {
    const outcome = $("#story-outcome");
    outcome.replaceChildren(...Object.entries(page.vocabulary.outcomes).filter(([o]) => o !== "invalid")
      .map(([o, words]) => el("option", { value: o }, words)));
    outcome.value = decision.outcome;
    const tbody = $("#story-actions");
    tbody.replaceChildren();
    for (const a of Object.keys(decision.actions)) {
      const ad = decision.actions[a];
      const select = el("select", { name: "verdict", "aria-label": T.verdict + ": " + labelOf("actions", a) },
        ...Object.entries(page.vocabulary.verdicts).map(([v, words]) => el("option", { value: v }, words)));
      select.value = ad.verdict;
      const basis = el("input", { name: "basis", value: ad.basis, "aria-label": T.expectedBasis + ": " + labelOf("actions", a) });
      tbody.append(el("tr", { "data-action": a }, el("th", { scope: "row" }, labelOf("actions", a)), el("td", {}, select), el("td", {}, basis)));
    }
    $("#story-result").hidden = true;
    $("#story-download").hidden = true;
    $("#story").hidden = false;
  }

  async function saveStory() {
    const shown = last;
    if (!shown) return;
    const actions = {};
    for (const row of $$("#story-actions tr[data-action]")) {
      const entry = { verdict: $('[name="verdict"]', row).value };
      set(entry, "basis", $('[name="basis"]', row).value.trim());
      actions[row.dataset.action] = entry;
    }
    const body = JSON.stringify({
      name: $("#story-name").value.trim(), story: $("#story-text").value.trim(),
      request: shown.request, expect: { outcome: $("#story-outcome").value, actions },
    });
    const result = $("#story-result");
    let reply;
    try {
      reply = await post("/v1/stories", body);
    } catch (e) {
      if (last === shown) showError(fmt(T.errorNetwork, e.message));
      return;
    }
    if (last !== shown) return; // another answer is shown now: this story's panel is gone
    const { status, data } = reply;
    result.className = "";
    if (status !== 200) {
      result.replaceChildren(el("p", {}, el("strong", {}, T.problems)),
        el("ul", {}, ...(data.problems || [{ problem: data.message }]).map((p) => el("li", {}, p.field ? el("code", {}, p.field) : null, " ", p.problem))));
      result.className = "not-saved";
      result.hidden = false;
      return;
    }
    const parts = [el("p", {}, data.agrees ? T.agrees : T.disagrees)];
    if (data.differences.length) parts.push(el("ul", {}, ...data.differences.map((d) => el("li", {}, d))));
    parts.push(el("p", {}, data.saved ? fmt(T.storySaved, data.saved) : fmt(T.storyNotSaved, data.reason)));
    result.replaceChildren(...parts);
    result.className = data.saved ? "saved" : "not-saved";
    result.hidden = false;
    const download = $("#story-download");
    if (download.href.startsWith("blob:")) URL.revokeObjectURL(download.href);
    download.href = URL.createObjectURL(new Blob([JSON.stringify([data.scenario], null, 1) + "\n"], { type: "application/json" }));
    download.download = data.scenario.name + ".json";
    download.hidden = false;
  }

  // Wiring. An answer shown is the answer to the request it names: once
  // the form changes, it says so until the form is decided again.
  const markStale = () => {
    if (!$("#answer").hidden) $("#stale").hidden = false;
  };
  $("#case-form").addEventListener("input", markStale);
  $("#case-form").addEventListener("change", markStale);
  $("#case-form").addEventListener("click", (e) => e.target.closest(".remove, button[data-row]") && markStale());
  for (const button of $$("button[data-row]")) button.addEventListener("click", () => addRow(button.dataset.row));
  $("#case-form").addEventListener("submit", (e) => {
    e.preventDefault();
    decideBody(JSON.stringify(requestFromForm()));
  });
  $("#decide-json").addEventListener("click", () => {
    const body = $("#paste-json").value;
    try {
      fillForm(JSON.parse(body));
    } catch (e) {
      // The form may be half filled: no answer stands beside it.
      hideAnswer();
      showError(T.problems, [{ problem: e.message }]);
      return;
    }
    decideBody(body);
  });
  $("#explain").addEventListener("click", explain);
  $("#story-save").addEventListener("click", saveStory);
  $("#explanation").tabIndex = -1;

  // A desk works in one state and practice: the page remembers the last
  // decided, in this browser only, rather than guess a state's law.
  function remember(req) {
    try {
      localStorage.setItem("frontdesk.place", JSON.stringify({ jurisdiction: req.jurisdiction, practice: req.practice || "" }));
    } catch (e) { /* storage off: nothing remembered */ }
  }
  function recall() {
    try {
      const place = JSON.parse(localStorage.getItem("frontdesk.place") || "{}");
      if (typeof place.jurisdiction === "string") $("#jurisdiction").value = place.jurisdiction;
      if (typeof place.practice === "string" && place.practice) $("#practice").value = place.practice;
    } catch (e) { /* nothing remembered */ }
  }

  setNow();
  recall();
  const fromLink = /^#case=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (fromLink) {
    try {
      const body = fromBase64url(fromLink[1]);
      fillForm(JSON.parse(body));
      decideBody(body);
    } catch (e) {
      showError(T.problems, [{ problem: e.message }]);
    }
  }
})();

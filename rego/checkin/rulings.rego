# Rulings.
#
# The shape of one action's ruling, and of the notes it carries. A ruling
# names its basis (the code of what decided), the reasons in a clerk's
# words, what staff must do first (conditions) and, for a refusal, what
# would make it a yes (remedies).
#
# The definition that decides passes its own METADATA (rego.metadata.rule()):
# the block's custom.code is the ruling's basis and its title the ruling's
# title, so each deciding code is written once, beside the rule it names.
#
# Notes carry a code, the name of a template and the template's parameters;
# the words are rendered once, in the decision's language, from the
# templates in data.messages (rego/messages/<language>/data.json).
package checkin

allow(meta, template, params) := allow_if(meta, template, params, [])

allow_if(meta, template, params, conditions) := {
	"verdict": verdict_for(conditions),
	"basis": meta.custom.code,
	"title": meta.title,
	"reasons": [reason(meta.custom.code, template, params)],
	"conditions": conditions,
	"remedies": [],
}

deny(meta, template, params, remedies) := deny_with_reason(meta, reason(meta.custom.code, template, params), remedies)

# A refusal whose reason has a code of its own: a document that gives no
# authority at all (basis NO_AUTHORITY) says why it does not count
# (reason DOCUMENT_NOT_RECOGNIZED).
deny_with_reason(meta, why, remedies) := {
	"verdict": "deny",
	"basis": meta.custom.code,
	"title": meta.title,
	"reasons": [why],
	"conditions": [],
	"remedies": remedies,
}

# An allow is conditional exactly when staff have something to do first.
verdict_for(conditions) := "allow_with_conditions" if {
	count(conditions) > 0
} else := "allow"

reason(code, template, params) := {"kind": "reasons", "code": code, "template": template, "params": params}

condition(code, template, params) := {"kind": "conditions", "code": code, "template": template, "params": params}

remedy(code, template, params) := {"kind": "remedies", "code": code, "template": template, "params": params}

obligation(code, template, params) := {"kind": "obligations", "code": code, "template": template, "params": params}

notice(code, template, params) := {"kind": "notices", "code": code, "template": template, "params": params}

# A note already in words: an overlay's own conditions, remedies and
# restrictions, of the kind given ("conditions"...), under the overlay's code
# when it is one.
# (An element an overlay computed may lack a field: its note is kept, in the
# withheld words, never dropped.)
practice_note(kind, m, otherwise) := {
	"kind": kind,
	"code": practice_code(m, otherwise),
	"message": object.get(m, "message", null),
}

practice_code(m, otherwise) := m.code if {
	is_string(m.code)
	regex.match(`^[A-Z][A-Z0-9_]*$`, m.code)
} else := otherwise

readable(text) if {
	is_string(text)
	regex.match(`[\pL\pN]`, text)
}

# ---------------------------------------------------------------------------
# Rendering.

# The language of the decision's words: the engine's choice, else the
# practice's, else English.
language := l if {
	l := data.frontdesk.language
	data.messages[l]
} else := l if {
	l := practice.language
	data.messages[l]
} else := "en"

messages := data.messages[language]

# A note in words. A shipped note (one with a template) is filled from its
# template (most often one in the decision's language no overlay reworded,
# tried first since it needs nothing else); an overlay's own notes come in its words, held here to what
# rule 3 and the desk need: words that are not text a clerk can read, or
# that would have staff call, notify or ask a person a restriction bars,
# are given as the withheld words instead, so the note, and what it asks of
# staff, is never lost.
rendered(n) := {"code": n.code, "message": fill(template, n.params)} if {
	template := messages[n.kind][n.code][n.template]
	not data.frontdesk.reworded[language][n.kind][n.code][n.template]
} else := {"code": n.code, "message": text} if {
	n.template
	[lang, template] := template_of(n)
	text := fill(template, n.params)
	not reworded_naming_a_barred_guardian(lang, n, text)
} else := {"code": n.code, "message": text} if {
	n.template
	[lang, _] := template_of(n)
	text := fill(data.frontdesk.reworded[lang][n.kind][n.code][n.template], n.params)
	not names_barred_for_staff(n, text)
} else := {"code": n.code, "message": n.message} if {
	not n.template
	readable(n.message)
	not names_barred_for_staff(n, n.message)
} else := {"code": n.code, "message": withheld_words}

# A note's template and the language it is taken from: the decision's
# language; English where a language an overlay added lacks it; never
# nothing, so no condition or remedy is lost for want of words.
template_of(n) := [language, t] if {
	t := messages[n.kind][n.code][n.template]
} else := ["en", t] if {
	t := data.messages.en[n.kind][n.code][n.template]
} else := ["en", n.code]

# A template's {name} placeholders replaced by the parameters, in one pass:
# a parameter's value is never read as a template. (sprintf's %v leaves a
# string as it is and writes a number as JSON does.)
fill(template, params) := strings.replace_n(
	{concat("", ["{", k, "}"]): sprintf("%v", [v]) | some k, v in params},
	template,
)

# Words the decision's messages are built from, English filling any gap an
# overlay's language leaves.
phrase(name, params) := fill(object.get(messages, ["phrases", name], data.messages.en.phrases[name]), params)

# A list of words in the decision's language, English filling any gap an
# overlay's language leaves.
words_of(list) := object.union(data.messages.en.words[list], object.get(object.get(messages, "words", {}), list, {}))

# An overlay may reword any message, but what rule 3 forbids is checked on its
# words: a reworded condition or remedy that would name a guardian a
# restriction bars is given in the shipped words instead (data.frontdesk.reworded
# holds them, by language, kind, code and template).
# The shipped words never name a barred person (no parameter does), so only
# a template an overlay reworded is checked.
reworded_naming_a_barred_guardian(lang, n, text) if {
	data.frontdesk.reworded[lang][n.kind][n.code][n.template]
	names_barred_for_staff(n, text)
}

names_barred_for_staff(n, text) if {
	n.kind in {"conditions", "remedies", "obligations"}
	names_a_barred_guardian(text)
}

# What staff read where an overlay's words for a condition, remedy or
# obligation cannot be given: the shipped words, which the engine keeps
# where no overlay can reword them (data.frontdesk.withheld).
withheld_words := w if {
	w := data.frontdesk.withheld[language]
} else := w if {
	w := data.frontdesk.withheld.en
} else := phrase("withheld", {})

# ---------------------------------------------------------------------------
# Notes the rules share.

# Conditions.

record_relationship := condition("RECORD_RELATIONSHIP", "sign_in", {
	"relationship": relationship_words[companion.relationship],
})

verify_photo_id := condition("VERIFY_PHOTO_ID", "before", {"companion": companion_name})

keep_confidential := condition("KEEP_CONFIDENTIAL", "minor_alone", {"patient": patient_name})

limit_to_self_consented_care := condition("LIMIT_TO_SELF_CONSENTED_CARE", "information", {"patient": patient_name})

# Remedies.

call_guardian := remedy("CALL_GUARDIAN", "by_phone", {"guardians": guardians_to_call})

guardian_in_person := remedy("CALL_GUARDIAN", "in_person", {"guardians": guardians_to_call})

sign_proxy_form := remedy("SIGN_PROXY_FORM", "authorize_companion", {
	"guardians": guardians_to_call,
	"companion": companion_name,
})

ask_patient := remedy("ASK_PATIENT", "adult_decides", {"patient": patient_name})

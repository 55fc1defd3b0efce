# Facts.
#
# What the rules read from the request and from the profiles, named once.
# The policy has no clock of its own: every date is compared with the
# calendar date of input.at, in the time zone the request gives.
#
# The request is read here once: every optional field the contract gives a
# default gets it here, so the rules read patient.present or d.revoked
# without asking whether the clerk sent it. (Fields whose absence means
# something, such as a document's dates or grantor, stay absent.)
package checkin

patient := object.union({"statuses": [], "present": true, "lacks_capacity": false}, input.patient)

companion := object.union(
	{"identity": "unverified", "lives_with_patient": false, "brought_patient": false},
	input.companion,
)

records := object.union(
	{"guardians": [], "documents": [], "restrictions": [], "refusals": [], "designations": []},
	object.get(input, "records", {}),
)

guardians := [object.union({"legal_custody": true}, g) | some g in records.guardians]

documents := [object.union({"revoked": false, "covers": [], "witnesses": 0, "notarized": false, "relative": false}, d) |
	some d in records.documents
]

restrictions := records.restrictions

refusals := records.refusals

designations := records.designations

desk := object.union(
	{"verbal_consent": [], "guardian_unreachable": false, "patient_agrees": false},
	object.get(input, "desk", {}),
)

verbal_consents := [object.union({"witness": ""}, v) | some v in desk.verbal_consent]

guardian_unreachable := desk.guardian_unreachable

patient_agrees := desk.patient_agrees

emergency := object.get(input, "emergency", false)

# Dates are YYYY-MM-DD strings, so they compare in calendar order as strings.
today := substring(input.at, 0, 10)

today_ns := time.parse_ns("2006-01-02", today)

# The last day of the 30-day window for DOCUMENT_EXPIRES_SOON.
soon := time.format([time.add_date(today_ns, 0, 0, 30), "UTC", "2006-01-02"])

# Whole years between a birth date and a day; the birthday itself counts.
age_on(birth, day) := (to_number(substring(day, 0, 4)) - to_number(substring(birth, 0, 4))) - 1 if {
	substring(day, 5, 5) < substring(birth, 5, 5)
} else := to_number(substring(day, 0, 4)) - to_number(substring(birth, 0, 4))

patient_age := age_on(patient.birth_date, today)

patient_statuses_held := {s | some s in patient.statuses}

patient_present := patient.present

patient_lacks_capacity := patient.lacks_capacity

# An adult for health care: old enough, or made an adult by a status.
patient_adult if patient_age >= jurisdiction.health_care_consent_age

patient_adult if {
	some s in jurisdiction.emancipating_statuses
	s in patient_statuses_held
}

patient_minor if not patient_adult

# "an adult", or for a minor whom a status makes one, which status and law:
# "16 and married, an adult for their own care under Texas law".
# When several statuses do, the first in alphabetical order is named.
adult_words := phrase("adult_by_status", {"age": patient_age, "status": status_words[s], "law": jurisdiction_law}) if {
	patient_age < jurisdiction.health_care_consent_age
	s := min({s | some s in jurisdiction.emancipating_statuses; s in patient_statuses_held})
} else := phrase("an_adult", {})

# The patient cannot decide for themselves: a minor, or an adult lacking capacity.
patient_dependent if patient_minor

patient_dependent if patient_lacks_capacity

patient_name := text_or(patient, "name", phrase("patient", {}))

companion_name := text_or(companion, "name", phrase("companion", {}))

# A field a clerk typed, or the words to use when it is absent or blank, so
# that no message reads "bring  in".
text_or(obj, key, otherwise) := s if {
	s := object.get(obj, key, "")
	trim_space(s) != ""
} else := otherwise

companion_words := phrase("person_with_relationship", {
	"name": companion_name,
	"relationship": relationship_words[companion.relationship],
})

is_self if companion.id == patient.id

identity := companion.identity

# Old enough to act as an adult in law (a statute's "adult sibling").
companion_of_age if companion.age >= jurisdiction.age_of_majority

# Old enough to bring a minor in under the practice's rules.
companion_old_enough if companion.age >= practice.min_companion_age

# Guardians on record. A guardian has legal custody unless an order says otherwise.
custodial(g) if g.legal_custody

custodial_guardian_ids contains g.person if {
	some g in guardians
	custodial(g)
}

# Guardians by person, so that finding one costs the same however many there
# are. A request naming one person twice is invalid (rule 1) and never
# reaches the rules.
guardian_by_person := {g.person: g | some g in guardians}

guardian_named(id) := guardian_by_person[id]

# Documents by id, likewise: ids are unique in a valid request.
document_by_id := {d.id: d | some d in documents}

# Of several documents that would each do, the desk acts on the one that
# lasts longest (one with no last day outlasts any with one): the
# reason, the chart copy and any expiry notice are then about the authority
# that lasts. Ties go to the lowest id, so the order of the records never
# decides.
longest_lasting(docs) := document_by_id[id] if {
	longest := max({lasting(d) | some d in docs})
	id := min({d.id | some d in docs; lasting(d) == longest})
}

# [0, last day] for a document with a last day, [1] for one without, so that
# the larger lasts longer.
lasting(d) := [0, last_day] if {
	last_day := document_last_day(d)
} else := [1]

companion_guardian := guardian_named(companion.id)

guardian_words(id) := phrase("guardian_with_role", {"name": text_or(g, "name", id), "role": role_words[g.role]}) if {
	g := guardian_named(id)
} else := id

# A guardian as a condition or remedy names them: a barred person is never
# named there, so staff are never led to call, notify or ask them (rule 3).
guardian_for_staff(id) := phrase("a_barred_guardian", {}) if {
	id in barred_people
} else := guardian_words(id)

# Who the desk may call: the custodial guardians on record, by name, less
# anyone a restriction on file bars. A barred person is never called,
# notified or asked, whatever the restriction covers (rule 3).
callable_guardians := [text_or(g, "name", g.person) |
	some g in guardians
	custodial(g)
	not g.person in barred_people
]

guardians_to_call := concat(phrase("or", {}), callable_guardians) if {
	count(callable_guardians) > 0
} else := phrase("a_guardian_not_restricted", {}) if {
	count(barred_people) > 0
} else := phrase("a_guardian", {})

# ---------------------------------------------------------------------------
# Restrictions. A restriction's valid_until is inclusive; without one it has
# no end.

active_restriction(r) if not r.valid_until

active_restriction(r) if today <= r.valid_until

# Everyone an active restriction on file names.
barred_people := {r.person | some r in restrictions; active_restriction(r)}

# [person, action] for every action an active restriction bars a person from,
# built once per decision so that each question about it is a lookup.
barred_pairs := {[r.person, a] |
	some r in restrictions
	active_restriction(r)
	some a in covered_actions(r.covers)
}

# The actions a list of covered actions names, "*" standing for all.
covered_actions(list) := actions if {
	"*" in list
} else := {a | some a in list}

# A barred person is no source of authority for the actions they are barred
# from: their documents, consent by phone and refusals count for nothing.
person_barred(id, action) if [id, action] in barred_pairs

# (person_barred for the companion, looked up directly: it is asked of every action.)
companion_barred(action) if [companion.id, action] in barred_pairs

covers(list, action) if action in list

covers(list, _) if "*" in list

action_phrase(action) := fill(action_words[action], {"patient": patient_name})

# ---------------------------------------------------------------------------
# Profiles. A jurisdiction profile lists only what differs from "default";
# each entry carries its value, its source and whether the source needs
# verifying. A practice profile is plain settings.

jurisdiction_code := input.jurisdiction if {
	data.jurisdictions[input.jurisdiction]
} else := "default"

jurisdiction_defaulted if jurisdiction_code != input.jurisdiction

jurisdiction_name := data.jurisdictions[jurisdiction_code].name if {
	data.jurisdictions[jurisdiction_code].name
} else := jurisdiction_code

# The law a reason cites, naming the jurisdiction the request named: "Texas
# law", or "the default rules (no profile for US-GU)", never "Default law".
jurisdiction_law := phrase("default_law", {"jurisdiction": input.jurisdiction}) if {
	jurisdiction_defaulted
} else := phrase("law", {"jurisdiction": jurisdiction_name})

# The settings of the jurisdiction's profile, each falling back to the
# default profile's. One rule per field, so a decision reads only the
# settings its rules need.
setting(name) := data.jurisdictions[jurisdiction_code].entries[name].value if {
	data.jurisdictions[jurisdiction_code].entries[name]
} else := data.jurisdictions["default"].entries[name].value

jurisdiction["age_of_majority"] := setting("age_of_majority")

jurisdiction["health_care_consent_age"] := setting("health_care_consent_age")

jurisdiction["emancipating_statuses"] := setting("emancipating_statuses")

jurisdiction["self_consent"] := [object.union({"statuses": [], "confidential": false, "limit": ""}, g) |
	some g in setting("self_consent")
]

jurisdiction["caregiver_affidavit"] := object.union(
	{
		"validity_days": null, "validity_months": null, "lives_with_required": false,
		"guardian_unreachable_required": false, "nonrelative_limit": {},
	},
	affidavit,
) if {
	affidavit := setting("caregiver_affidavit")
	affidavit != null
} else := null

jurisdiction["unreachable_guardian_statute"] := [object.union(
	{"guardian_unreachable_required": true, "ordered": false, "written_confirmation": false},
	statute,
) |
	some statute in setting("unreachable_guardian_statute")
]

jurisdiction["verbal_delegation"] := [object.union({"written_confirmation": false}, d) |
	some d in setting("verbal_delegation")
]

jurisdiction["attested_delegation"] := setting("attested_delegation")

jurisdiction["foster_placement_scope"] := setting("foster_placement_scope")

jurisdiction["adult_surrogates"] := setting("adult_surrogates")

jurisdiction["surrogates_by_consensus"] := by_consensus if {
	by_consensus := setting("surrogates_by_consensus")
} else := false

jurisdiction["written_consent_required"] := setting("written_consent_required")

jurisdiction["guardian_required"] := setting("guardian_required")

jurisdiction["proxy_formalities"] := object.union({"witnesses": 0, "notarized": false}, setting("proxy_formalities"))

jurisdiction["stepparent_is_parent"] := setting("stepparent_is_parent")

# The practice the request names; for input that is no object at all (an
# invalid request), the default, so the invalid decision can still say which.
practice_name := p if {
	p := input.practice
	is_string(p)
	p != ""
} else := "default"

practice := object.union(data.practices["default"], data.practices[practice_name])

# A practice may be stricter than the law, never looser: what either reserves
# for guardians or requires in writing is reserved or required.
guardian_required(action) if action in reserved_for_guardians

reserved_for_guardians := union({
	{a | some a in jurisdiction.guardian_required},
	{a | some a in practice.guardian_required},
	{a | some a in data.overlay.guardian_required},
})

written_consent_required(action) if action in written_only

written_only := union({
	{a | some a in jurisdiction.written_consent_required},
	{a | some a in practice.written_consent_required},
})

verbal_consent_accepted(action) if action in verbal_accepted

verbal_accepted := {a | some a in practice.verbal_consent} - written_only

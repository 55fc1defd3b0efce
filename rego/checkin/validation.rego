# Invalid input.
#
# Rule 1. A request that names something outside the vocabulary, has a
# malformed date or lacks a required field is not decided: the decision is
# "invalid" and lists every problem with the field it is in.
package checkin

problem(field, text) := {"field": field, "problem": text}

problems contains problem("at", "is required") if missing(input, "at")

problems contains problem("at", sprintf("%v is not an RFC 3339 time", [input.at])) if {
	input.at
	not time.parse_rfc3339_ns(input.at)
}

problems contains problem("jurisdiction", "is required") if missing(input, "jurisdiction")

problems contains problem("practice", sprintf("%v is not a practice profile", [input.practice])) if {
	input.practice
	not data.practices[input.practice]
}

problems contains problem("patient", "is required") if not input.patient

problems contains problem("patient.id", "is required") if {
	input.patient
	missing(input.patient, "id")
}

problems contains problem("patient.birth_date", "is required") if {
	input.patient
	missing(input.patient, "birth_date")
}

problems contains problem("patient.birth_date", sprintf("%v is not a date (YYYY-MM-DD)", [input.patient.birth_date])) if {
	given(input.patient.birth_date)
	not valid_date(input.patient.birth_date)
}

problems contains problem("patient.birth_date", sprintf("%v is after the visit", [input.patient.birth_date])) if {
	valid_date(input.patient.birth_date)
	input.patient.birth_date > today
}

problems contains problem(sprintf("patient.statuses[%d]", [i]), sprintf("%v is not a patient status", [s])) if {
	some i, s in object.get(input.patient, "statuses", [])
	not s in patient_statuses
}

problems contains problem("companion", "is required") if not input.companion

problems contains problem("companion.id", "is required") if {
	input.companion
	missing(input.companion, "id")
}

problems contains problem("companion.relationship", "is required") if {
	input.companion
	missing(input.companion, "relationship")
}

problems contains problem("companion.relationship", sprintf("%v is not a relationship", [input.companion.relationship])) if {
	given(input.companion.relationship)
	not input.companion.relationship in relationships
}

problems contains problem("companion.relationship", "is \"self\" but companion.id is not patient.id") if {
	input.companion.relationship == "self"
	input.companion.id != input.patient.id
}

problems contains problem("companion.age", "is required") if {
	input.companion
	not is_number(object.get(input.companion, "age", null))
}

problems contains problem("companion.age", sprintf("%v is not an age in whole years", [input.companion.age])) if {
	is_number(input.companion.age)
	not whole_years(input.companion.age)
}

problems contains problem("companion.identity", sprintf("%v is not an identity check", [input.companion.identity])) if {
	not object.get(input.companion, "identity", "unverified") in identity_checks
}

problems contains problem(sprintf("records.guardians[%d].role", [i]), sprintf("%v is not a guardian role", [g.role])) if {
	some i, g in guardians
	given(g.role)
	not g.role in guardian_roles
}

problems contains problem(sprintf("records.guardians[%d].role", [i]), "is required") if {
	some i, g in guardians
	missing(g, "role")
}

problems contains problem(sprintf("records.guardians[%d].person", [i]), "is required") if {
	some i, g in guardians
	missing(g, "person")
}

problems contains problem(sprintf("records.documents[%d].%s", [i, f]), "is required") if {
	some i, d in documents
	some f in ["id", "kind", "grantee"]
	missing(d, f)
}

problems contains problem(sprintf("%s[%d].%s", [list, i, field]), "is required") if {
	some list, field in {
		"records.restrictions": "person",
		"records.refusals": "by",
		"records.designations": "person",
		"desk.verbal_consent": "from",
	}
	some i, entry in lists[list]
	missing(entry, field)
}

problems contains problem(sprintf("records.documents[%d].kind", [i]), sprintf("%v is not a document kind", [d.kind])) if {
	some i, d in documents
	given(d.kind)
	not d.kind in document_kinds
}

problems contains problem(sprintf("records.documents[%d].%s", [i, f]), sprintf("%v is not a date (YYYY-MM-DD)", [d[f]])) if {
	some i, d in documents
	some f in ["valid_from", "valid_until", "signed_on"]
	d[f]
	not valid_date(d[f])
}

problems contains problem(sprintf("records.restrictions[%d].valid_until", [i]), sprintf("%v is not a date (YYYY-MM-DD)", [r.valid_until])) if {
	some i, r in restrictions
	r.valid_until
	not valid_date(r.valid_until)
}

problems contains problem(sprintf("%s[%d].covers[%d]", [list, i, j]), sprintf("%v is not an action", [a])) if {
	some list, entries in lists
	some i, entry in entries
	some j, a in object.get(entry, "covers", [])
	a != "*"
	not a in actions
}

problems contains problem("requested", "must name at least one action") if count(object.get(input, "requested", [])) == 0

problems contains problem(sprintf("requested[%d]", [i]), sprintf("%v is not an action", [a])) if {
	some i, a in input.requested
	not a in actions
}

# The request's lists of entries that name actions, by field path.
lists := {
	"records.documents": documents,
	"records.restrictions": restrictions,
	"records.refusals": refusals,
	"records.designations": designations,
	"desk.verbal_consent": verbal_consents,
}

# A required string is present and not empty. A rule asks through missing
# when the field may be absent: a function called on an absent field is
# undefined, and so is its negation.
missing(obj, key) if not given(object.get(obj, key, null))

given(s) if {
	is_string(s)
	s != ""
}

valid_date(s) if {
	is_string(s)
	count(s) == 10
	time.parse_ns("2006-01-02", s)
}

whole_years(n) if {
	n >= 0
	n == round(n)
}

# Invalid input.
#
# Rule 1. A request that is not decided: the decision is "invalid" and lists
# every problem with the field it is in. Two layers, in order:
#
# - form: keys that are not the contract's fields (a case variant such as
#   "REVOKED" included), nulls, values of the wrong type, lists and strings
#   over the limits. A request with any of these is reported for them alone,
#   so that nothing else is evaluated on it.
# - content: names outside the vocabulary, malformed dates and codes, missing
#   required fields, ids given twice, entries that cover nothing.
#
# A key given twice in one JSON object cannot be seen here: JSON parsing
# keeps one of the two before the policy runs. The Go decoder (ParseRequest,
# and so the checkin command) reports it.
package checkin

# The contract's limits on a request; checkin/limits.go states the same.
limits := {
	"entries": 50, # in each list of records and desk
	"actions": 11, # in requested and in any covers
	"characters": 200, # in any string
}

# An upper-case ISO 3166-2 code: a country's two letters, a hyphen, up to three letters or digits.
jurisdiction_pattern := `^[A-Z]{2}-[A-Z0-9]{1,3}$`

problems := form_problems if count(form_problems) > 0

else := content_problems

# ---------------------------------------------------------------------------
# Form.

# What the contract allows at each place of a request: "string", "whole
# number" or "boolean"; an object of its fields; or a list, written
# [entry shape] or [entry shape, most entries].
request_shape := {
	"at": "string",
	"jurisdiction": "string",
	"practice": "string",
	"emergency": "boolean",
	"patient": {
		"id": "string",
		"name": "string",
		"birth_date": "string",
		"statuses": ["string"],
		"lacks_capacity": "boolean",
		"present": "boolean",
	},
	"companion": {
		"id": "string",
		"name": "string",
		"relationship": "string",
		"age": "whole number",
		"identity": "string",
		"lives_with_patient": "boolean",
		"brought_patient": "boolean",
	},
	"records": {
		"guardians": [
			{"person": "string", "name": "string", "role": "string", "legal_custody": "boolean"},
			limits.entries,
		],
		"documents": [
			{
				"id": "string",
				"kind": "string",
				"granted_by": "string",
				"grantee": "string",
				"covers": action_list,
				"valid_from": "string",
				"valid_until": "string",
				"revoked": "boolean",
				"signed_on": "string",
				"relative": "boolean",
				"witnesses": "whole number",
				"notarized": "boolean",
			},
			limits.entries,
		],
		"restrictions": [
			{"person": "string", "covers": action_list, "source": "string", "valid_until": "string"},
			limits.entries,
		],
		"refusals": [{"by": "string", "covers": action_list}, limits.entries],
		"designations": [{"person": "string", "covers": action_list}, limits.entries],
	},
	"desk": {
		"verbal_consent": [{"from": "string", "covers": action_list, "witness": "string"}, limits.entries],
		"guardian_unreachable": "boolean",
		"patient_agrees": "boolean",
	},
	"requested": action_list,
}

action_list := ["string", limits.actions]

# Every place of the request the contract has a shape for, with its value:
# [path, value, shape], level by level from the request itself. Nothing
# below a key that is not a field, or below a value of the wrong type, is
# looked at, so the cost is linear in the request however deep its JSON.
form_nodes := array.concat(
	array.concat(array.concat(level_0, level_1), array.concat(level_2, level_3)),
	array.concat(level_4, level_5),
)

# Lists, not sets: a set would hash every node's value, subtree and all.
level_0 := [[[], input, request_shape]]

level_1 := [node | some parent in level_0; some node in children(parent)]

level_2 := [node | some parent in level_1; some node in children(parent)]

level_3 := [node | some parent in level_2; some node in children(parent)]

level_4 := [node | some parent in level_3; some node in children(parent)]

# records.documents[i].covers[j] is the deepest place the shape has.
level_5 := [node | some parent in level_4; some node in children(parent)]

# The fields of an object, or the entries of a list, that the shape has.
children([path, value, s]) := [[array.concat(path, [k]), v, s[k]] |
	is_object(value)
	some k, v in value
	s[k]
] if {
	is_object(s)
} else := [[array.concat(path, [i]), v, s[0]] |
	is_array(value)
	some i, v in value
] if {
	is_array(s)
} else := []

form_problems contains problem(field_name(array.concat(path, [key])), unknown_key(s, key)) if {
	some [path, value, s] in form_nodes
	is_object(s)
	is_object(value)
	some key, _ in value
	not s[key]
}

form_problems contains problem(field_name(path), sprintf("null is not %s", [shape_words(s)])) if {
	some [path, null, s] in form_nodes
}

form_problems contains problem(field_name(path), sprintf("%s is not %s", [value_words(value), shape_words(s)])) if {
	some [path, value, s] in form_nodes
	value != null
	not fits(s, value)
}

form_problems contains problem(field_name(path), sprintf("has %d entries; at most %d", [count(value), s[1]])) if {
	some [path, value, s] in form_nodes
	is_array(s)
	is_array(value)
	count(value) > s[1]
}

form_problems contains problem(field_name(path), text) if {
	some [path, value, _] in form_nodes
	is_string(value)
	n := count(value)
	n > limits.characters
	text := sprintf("is %d characters long; at most %d", [n, limits.characters])
}

# An optional field is given, or left out: an empty string is neither (an
# empty valid_until is not "no end", an empty identity not "unverified"). A
# required one empty is "is required", below.
form_problems contains problem(field_name(path), "is empty: leave it out, or give a value") if {
	some [path, "", "string"] in form_nodes
	key := path[count(path) - 1]
	is_string(key)
	not key in required_text
}

# The string fields the contract requires, wherever they are.
required_text := {
	"at", "jurisdiction", "id", "birth_date", "relationship",
	"person", "role", "kind", "grantee", "by", "from",
}

unknown_key(fields, key) := sprintf("is not a field of the request; did you mean %q?", [name]) if {
	some name, _ in fields
	lower(key) == name
} else := "is not a field of the request"

fits("string", value) if is_string(value)

fits("boolean", value) if is_boolean(value)

fits("whole number", value) if {
	is_number(value)
	value == round(value)
}

fits(s, value) if {
	is_object(s)
	is_object(value)
}

fits(s, value) if {
	is_array(s)
	is_array(value)
}

shape_words(s) := {"string": "a string", "whole number": "a whole number", "boolean": "true or false"}[s]

shape_words(s) := "an object" if is_object(s)

shape_words(s) := "a list" if is_array(s)

value_words(v) := "an object" if {
	is_object(v)
} else := "a list" if {
	is_array(v)
} else := sprintf("%q…", [substring(v, 0, 40)]) if {
	is_string(v)
	count(v) > 40
} else := json.marshal(v)

# "records.documents[1].id" for the path ["records", "documents", 1, "id"].
field_name(path) := concat("", [segment(i, k) | some i, k in path])

segment(_, k) := sprintf("[%d]", [k]) if is_number(k)

segment(0, k) := k if is_string(k)

segment(i, k) := concat("", [".", k]) if {
	is_string(k)
	i > 0
}

# ---------------------------------------------------------------------------
# Content.

problem(field, text) := {"field": field, "problem": text}

content_problems contains problem("at", "is required") if missing(input, "at")

content_problems contains problem("at", sprintf("%v is not an RFC 3339 time", [input.at])) if {
	input.at
	not time.parse_rfc3339_ns(input.at)
}

content_problems contains problem("jurisdiction", "is required") if missing(input, "jurisdiction")

# An empty practice is no practice, as in Go: the default applies.
content_problems contains problem("practice", sprintf("%v is not a practice profile", [input.practice])) if {
	input.practice != ""
	not data.practices[input.practice]
}

# The patient and companion as given; an absent one is reported by its required fields, as Go does.
given_patient := object.get(input, "patient", {})

given_companion := object.get(input, "companion", {})

content_problems contains problem("patient.id", "is required") if {
	missing(given_patient, "id")
}

content_problems contains problem("patient.birth_date", "is required") if {
	missing(given_patient, "birth_date")
}

content_problems contains problem("patient.birth_date", text) if {
	given(input.patient.birth_date)
	not valid_date(input.patient.birth_date)
	text := sprintf("%v is not a date (YYYY-MM-DD)", [input.patient.birth_date])
}

content_problems contains problem("patient.birth_date", text) if {
	valid_date(input.patient.birth_date)
	input.patient.birth_date > today
	text := sprintf("%v is after the visit", [input.patient.birth_date])
}

content_problems contains problem(sprintf("patient.statuses[%d]", [i]), text) if {
	some i, s in object.get(given_patient, "statuses", [])
	not s in patient_statuses
	text := sprintf("%v is not a patient status", [s])
}

content_problems contains problem("companion.id", "is required") if {
	missing(given_companion, "id")
}

content_problems contains problem("companion.relationship", "is required") if {
	missing(given_companion, "relationship")
}

content_problems contains problem("companion.relationship", text) if {
	given(input.companion.relationship)
	not input.companion.relationship in relationships
	text := sprintf("%v is not a relationship", [input.companion.relationship])
}

content_problems contains problem("companion.relationship", "is \"self\" but companion.id is not patient.id") if {
	given_companion.relationship == "self"
	object.get(given_companion, "id", "") != object.get(given_patient, "id", "")
}

content_problems contains problem("companion.age", "is required") if {
	not is_number(object.get(given_companion, "age", null))
}

content_problems contains problem("companion.age", text) if {
	is_number(input.companion.age)
	not whole_years(input.companion.age)
	text := sprintf("%v is not an age in whole years", [input.companion.age])
}

content_problems contains problem("companion.identity", text) if {
	not object.get(given_companion, "identity", "unverified") in identity_checks
	text := sprintf("%v is not an identity check", [input.companion.identity])
}

content_problems contains problem(sprintf("records.guardians[%d].role", [i]), text) if {
	some i, g in guardians
	given(g.role)
	not g.role in guardian_roles
	text := sprintf("%v is not a guardian role", [g.role])
}

content_problems contains problem(sprintf("records.guardians[%d].role", [i]), "is required") if {
	some i, g in guardians
	missing(g, "role")
}

content_problems contains problem(sprintf("records.guardians[%d].person", [i]), "is required") if {
	some i, g in guardians
	missing(g, "person")
}

content_problems contains problem(sprintf("records.documents[%d].%s", [i, f]), "is required") if {
	some i, d in documents
	some f in ["id", "kind", "grantee"]
	missing(d, f)
}

content_problems contains problem(sprintf("%s[%d].%s", [list, i, field]), "is required") if {
	some list, field in {
		"records.restrictions": "person",
		"records.refusals": "by",
		"records.designations": "person",
		"desk.verbal_consent": "from",
	}
	some i, entry in lists[list]
	missing(entry, field)
}

content_problems contains problem(sprintf("records.documents[%d].kind", [i]), text) if {
	some i, d in documents
	given(d.kind)
	not d.kind in document_kinds
	text := sprintf("%v is not a document kind", [d.kind])
}

content_problems contains problem(sprintf("records.documents[%d].%s", [i, f]), text) if {
	some i, d in documents
	some f in ["valid_from", "valid_until", "signed_on"]
	d[f]
	not valid_date(d[f])
	text := sprintf("%v is not a date (YYYY-MM-DD)", [d[f]])
}

content_problems contains problem(sprintf("records.restrictions[%d].valid_until", [i]), text) if {
	some i, r in restrictions
	r.valid_until
	not valid_date(r.valid_until)
	text := sprintf("%v is not a date (YYYY-MM-DD)", [r.valid_until])
}

content_problems contains problem(sprintf("%s[%d].covers[%d]", [list, i, j]), sprintf("%v is not an action", [a])) if {
	some list, entries in lists
	some i, entry in entries
	some j, a in object.get(entry, "covers", [])
	a != "*"
	not a in actions
}

content_problems contains problem("requested", "must name at least one action") if {
	count(object.get(input, "requested", [])) == 0
}

content_problems contains problem(sprintf("requested[%d]", [i]), sprintf("%v is not an action", [a])) if {
	some i, a in input.requested
	not a in actions
}

content_problems contains problem("jurisdiction", text) if {
	code := input.jurisdiction
	given(code)
	not regex.match(jurisdiction_pattern, code)
	text := sprintf("%q is not an ISO 3166-2 code in capitals, such as \"US-TX\"", [code])
}

content_problems contains problem("companion.relationship", msg) if {
	rel := input.companion.relationship
	rel in relationships
	rel != "self"
	given(input.companion.id)
	input.companion.id == input.patient.id
	msg := sprintf("%q but companion.id is patient.id: the patient asking is \"self\"", [rel])
}

# Where each guardian's person and each document's id appear, to find one given twice.
entries_of_guardian[person] contains i if {
	some i, g in guardians
	given(g.person)
	person := g.person
}

entries_of_document[id] contains i if {
	some i, d in documents
	given(d.id)
	id := d.id
}

content_problems contains problem(sprintf("records.guardians[%d].person", [i]), text) if {
	some person, entries in entries_of_guardian
	some i in entries
	first := min(entries)
	i != first
	text := sprintf("%q is also records.guardians[%d].person", [person, first])
}

content_problems contains problem(sprintf("records.documents[%d].id", [i]), text) if {
	some id, entries in entries_of_document
	some i in entries
	first := min(entries)
	i != first
	text := sprintf("%q is also records.documents[%d].id", [id, first])
}

# A refusal is a guardian's standing instruction: one by someone not on file
# is records out of step, not a refusal to ignore.
content_problems contains problem(sprintf("records.refusals[%d].by", [i]), text) if {
	some i, r in refusals
	given(r.by)
	not r.by in people_on_file
	text := sprintf("%q is not a guardian in records.guardians", [r.by])
}

people_on_file := {g.person | some g in guardians}

# The document kinds that are only as good as who granted them; a caregiver's
# affidavit is the caregiver's own statement.
grantor_required := {"proxy_authorization", "hipaa_authorization", "healthcare_poa", "foster_placement"}

content_problems contains problem(sprintf("records.documents[%d].granted_by", [i]), text) if {
	some i, d in documents
	d.kind in grantor_required
	missing(d, "granted_by")
	text := sprintf("is required for a %s", [d.kind])
}

content_problems contains problem(sprintf("records.documents[%d].witnesses", [i]), text) if {
	some i, d in documents
	d.witnesses < 0
	text := sprintf("%v is not a number of witnesses", [d.witnesses])
}

# Entries that mean nothing without actions: documents are not among them,
# as a document without covers has the scope the law gives its kind.
content_problems contains problem(sprintf("%s[%d].covers", [list, i]), text) if {
	some list in ["records.restrictions", "records.refusals", "records.designations", "desk.verbal_consent"]
	some i, entry in lists[list]
	count(object.get(entry, "covers", [])) == 0
	text := "must name at least one action, or \"*\" for all"
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

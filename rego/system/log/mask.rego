# METADATA
# title: Decision-log mask
# description: |
#   What OPA's decision-log plugin erases or replaces in every decision event
#   before it leaves the desk for a collector. The engine hands the plugin
#   records already redacted as the redacting recorder writes them
#   (checkin.Redact): this mask is the rule OPA itself enforces on every
#   event, so that an event that escaped redaction still names nobody. Names
#   become the recorder's placeholders, a birth date the first of January
#   that gives the same age, and any other text that still holds a name of
#   the request is replaced whole.
# schemas:
#   - input: {"type": "object"}
package system.log

# The request as the event holds it.
request := input.input

# placeholder holds for what checkin.Redact puts in place of a name or an
# identifier: it names nobody.
placeholder(s) if regex.match(`^\[(patient|companion|guardian \d+|name|id \d+)\]$`, s)

# people are the request's people, in the order the recorder names them:
# the patient, the companion, then the guardians. Each is the path of the
# name, the name, and the placeholder for it.
people := array.concat(
	[
		["/input/patient/name", object.get(request, ["patient", "name"], ""), "[patient]"],
		["/input/companion/name", object.get(request, ["companion", "name"], ""), "[companion]"],
	],
	[[sprintf("/input/records/guardians/%d/name", [i]), object.get(g, "name", ""), sprintf("[guardian %d]", [i + 1])] |
		some i, g in object.get(request, ["records", "guardians"], [])
	],
)

# named_as is the placeholder for a name: that of the first person with the
# name, as the recorder gives a guardian who is also the companion the
# companion's.
named_as(name) := [given |
	some [_, other, given] in people
	is_string(other)
	not placeholder(other)
	lower(trim_space(other)) == lower(trim_space(name))
][0]

# named are the names still to erase, in lower case, and their words of two
# letters or more (an initial alone names nobody).
named contains lower(trim_space(name)) if {
	some [_, name, _] in people
	is_string(name)
	trim_space(name) != ""
	not placeholder(name)
}

named contains lower(word) if {
	some [_, name, _] in people
	is_string(name)
	not placeholder(name)
	some word in regex.find_n(`[\pL'’]+`, name, -1)
	count(trim(word, "'’")) >= 2
}

# METADATA
# title: Mask
# description: The JSON paths of the event to erase or replace, and with what.
mask contains {"op": "upsert", "path": path, "value": named_as(name)} if {
	some [path, name, _] in people
	is_string(name)
	trim_space(name) != ""
	not placeholder(name)
}

mask contains {"op": "upsert", "path": "/input/patient/birth_date", "value": same_age_birth_date} if {
	request.patient.birth_date != same_age_birth_date
}

# mask replaces, whole, any other text of the event that holds a name.
mask contains {"op": "upsert", "path": pointer(root, path), "value": "[redacted]"} if {
	count(named) > 0
	some root in ["input", "result"]
	walk(input[root], [path, text])
	is_string(text)
	not name_field(root, path)
	holds_name(text)
}

name_field("input", path) if {
	some [field, _, _] in people
	pointer("input", path) == field
}

name_field("input", ["patient", "birth_date"])

holds_name(text) if {
	some name in named
	contains(lower(text), name)
}

pointer(root, path) := concat("/", array.concat(["", root], [sprintf("%v", [p]) | some p in path]))

# same_age_birth_date is the first of January of the year that gives the
# patient the same age in whole years on the day of the request, in the
# request's own zone: the day is the date the request's time is written in.
same_age_birth_date := sprintf("%04d-01-01", [to_number(substring(day, 0, 4)) - age]) if {
	birth := request.patient.birth_date
	regex.match(`^\d{4}-\d{2}-\d{2}$`, birth)
	day := substring(request.at, 0, 10)
	regex.match(`^\d{4}-\d{2}-\d{2}$`, day)
	years := to_number(substring(day, 0, 4)) - to_number(substring(birth, 0, 4))
	age := years - birthday_to_come(day, birth)
}

birthday_to_come(day, birth) := 1 if substring(day, 5, 5) < substring(birth, 5, 5)

else := 0

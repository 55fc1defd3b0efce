package system.log_test

import data.system.log

event := {
	"input": {
		"at": "2026-03-01T09:30:00-06:00",
		"patient": {"id": "p-jamie-lopez", "name": "Jamie Lopez", "birth_date": "2015-06-10"},
		"companion": {"id": "c1", "name": "Maria Lopez", "relationship": "aunt", "age": 40},
		"records": {"guardians": [{"person": "g1", "name": "Ana Lopez", "role": "parent"}]},
		"requested": ["accompany"],
	},
	"result": {"outcome": "proceed", "actions": {"accompany": {
		"verdict": "allow",
		"reasons": [{"code": "ADULT_COMPANION", "message": "Maria Lopez (aunt) is an adult and may bring Jamie in."}],
	}}},
}

redacted := {
	"input": {
		"at": "2026-03-01T09:30:00-06:00",
		"patient": {"id": "[id 1]", "name": "[patient]", "birth_date": "2016-01-01"},
		"companion": {"id": "c1", "name": "[companion]", "relationship": "aunt", "age": 40},
		"records": {"guardians": [{"person": "g1", "name": "[guardian 1]", "role": "parent"}]},
		"requested": ["accompany"],
	},
	"result": {"outcome": "proceed", "actions": {"accompany": {
		"verdict": "allow",
		"reasons": [{"code": "ADULT_COMPANION", "message": "[companion] (aunt) is an adult and may bring [patient] in."}],
	}}},
}

test_names_become_the_recorders_placeholders if {
	masks := log.mask with input as event
	{"op": "upsert", "path": "/input/patient/name", "value": "[patient]"} in masks
	{"op": "upsert", "path": "/input/companion/name", "value": "[companion]"} in masks
	{"op": "upsert", "path": "/input/records/guardians/0/name", "value": "[guardian 1]"} in masks
}

test_the_birth_date_keeps_only_the_age if {
	masks := log.mask with input as event
	{"op": "upsert", "path": "/input/patient/birth_date", "value": "2016-01-01"} in masks
}

test_the_age_turns_on_the_birthday if {
	on_the_birthday := json.patch(event, [{"op": "replace", "path": "/input/at", "value": "2026-06-10T09:00:00Z"}])
	masks := log.mask with input as on_the_birthday
	{"op": "upsert", "path": "/input/patient/birth_date", "value": "2015-01-01"} in masks
}

test_text_holding_a_name_is_replaced_whole if {
	masks := log.mask with input as event
	{"op": "upsert", "path": "/input/patient/id", "value": "[redacted]"} in masks
	{"op": "upsert", "path": "/result/actions/accompany/reasons/0/message", "value": "[redacted]"} in masks
	not {"op": "upsert", "path": "/input/companion/id", "value": "[redacted]"} in masks
	not {"op": "upsert", "path": "/input/companion/relationship", "value": "[redacted]"} in masks
}

test_a_redacted_event_is_left_as_it_is if {
	count(log.mask) == 0 with input as redacted
}

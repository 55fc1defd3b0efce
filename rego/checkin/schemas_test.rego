# The shipped profiles and messages against their JSON Schemas
# (rego/schemas), so that `opa test` catches a malformed profile as the
# engine's load does. What a schema of one file cannot say, where the file
# is and which languages have messages, is checked here too.
package checkin_test

test_every_jurisdiction_profile_matches_its_schema if {
	mismatches := {code: errors |
		some code
		profile := data.jurisdictions[code]
		[matched, errors] := json.match_schema(profile, data.schemas.jurisdiction)
		not matched
	}
	report(mismatches)
}

test_every_practice_profile_matches_its_schema if {
	mismatches := {name: errors |
		some name
		profile := data.practices[name]
		[matched, errors] := json.match_schema(profile, data.schemas.practice)
		not matched
	}
	report(mismatches)
}

test_every_language_matches_the_messages_schema if {
	mismatches := {language: errors |
		some language
		messages := data.messages[language]
		[matched, errors] := json.match_schema(messages, data.schemas.messages)
		not matched
	}
	report(mismatches)
}

test_every_jurisdiction_code_is_one if {
	report({code |
		some code, _ in data.jurisdictions
		code != "default"
		not regex.match(data.schemas.overlay.definitions.jurisdiction_code.pattern, code)
	})
}

test_every_practice_name_is_one if {
	report({name |
		some name, _ in data.practices
		not regex.match(data.schemas.overlay.definitions.practice_name.pattern, name)
	})
}

test_every_language_code_is_one if {
	report({language |
		some language, _ in data.messages
		not regex.match(data.schemas.messages.definitions.language.pattern, language)
	})
}

test_every_practice_language_has_messages if {
	missing := {name: profile.language |
		some name
		profile := data.practices[name]
		not data.messages[profile.language]
	}
	report(missing)
}

# report passes on nothing found, and prints what it found otherwise.
report(found) if {
	count(found) == 0
} else := false if {
	print("does not match:", found)
}

# Rules 5 and 6: adult patients. A capable adult decides their own care and
# who is involved; for an adult lacking capacity a court guardian or
# healthcare agent decides, else a surrogate in the jurisdiction's order.
package checkin_test

# What a capable adult lets a companion do by agreeing.
presence_and_information := ["accompany", "discuss_care", "school_note", "pick_up"]

# Rule 5 ----------------------------------------------------------------------

# Consent is the capable adult's own: a companion is refused and told to ask the patient.
test_capable_adult_patient_decides[action] if {
	some action in consent_actions
	r := ruling_for(asking(adult_request, [action]), action)
	verdict_basis(r) == ["deny", "PATIENT_DECIDES"]
	codes(r.remedies) == ["ASK_PATIENT"]
}

# Even the patient's healthcare agent may not consent for a capable adult.
test_capable_adult_agent_cannot_consent if {
	req := with_records(
		asking(brought_by(adult_request, son), ["consent_sick"]),
		{"documents": [object.union(poa, {"granted_by": "pt-9"})]},
	)
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["deny", "PATIENT_DECIDES"]
	codes(r.remedies) == ["ASK_PATIENT"]
}

# A patient who agreed at the desk lets the companion stay, hear and help.
test_capable_adult_patient_agrees[action] if {
	some action in presence_and_information
	r := ruling_for(asking(with_desk(adult_request, {"patient_agrees": true}), [action]), action)
	verdict_basis(r) == ["allow", "PATIENT_AGREES"]
	r.conditions == []
}

# A patient present but not yet asked: allowed once staff confirm the patient agrees.
test_capable_adult_not_yet_asked[action] if {
	some action in presence_and_information
	r := ruling_for(asking(adult_request, [action]), action)
	r.verdict == "allow_with_conditions"
	codes(r.conditions) == ["CONFIRM_PATIENT_AGREES"]
}

# A patient who is not here cannot agree, and has named nobody.
test_capable_adult_absent[action] if {
	some action in presence_and_information
	req := asking(with_fields(adult_request, {"patient": {"present": false}}), [action])
	r := ruling_for(req, action)
	verdict_basis(r) == ["deny", "PATIENT_ABSENT"]
	codes(r.remedies) == ["ASK_PATIENT"]
}

# An agreement recorded at the desk does not count when the patient is absent.
test_capable_adult_absent_agreement_does_not_count if {
	absent := with_fields(adult_request, {"patient": {"present": false}})
	req := asking(with_desk(absent, {"patient_agrees": true}), ["accompany"])
	verdict_basis(ruling_for(req, "accompany")) == ["deny", "PATIENT_ABSENT"]
}

# A standing designation covers its actions, even with the patient absent.
test_capable_adult_designation if {
	req := with_records(
		asking(with_fields(adult_request, {"patient": {"present": false}}), ["discuss_care", "receive_records", "pick_up"]),
		{"designations": [{"person": "per-friend", "covers": ["discuss_care", "receive_records"]}]},
	)
	d := decide(req)
	verdict_basis(d.actions.discuss_care) == ["allow", "PATIENT_DESIGNATION"]
	verdict_basis(d.actions.receive_records) == ["allow", "PATIENT_DESIGNATION"]
	verdict_basis(d.actions.pick_up) == ["deny", "PATIENT_ABSENT"]
}

# A designation of someone else does not help this companion.
test_capable_adult_designation_of_someone_else if {
	req := with_records(
		asking(adult_request, ["receive_records"]),
		{"designations": [{"person": "per-other", "covers": ["*"]}]},
	)
	verdict_basis(ruling_for(req, "receive_records")) == ["deny", "NO_AUTHORITY"]
}

# A designation never covers consent.
test_capable_adult_designation_not_consent if {
	req := with_records(
		asking(adult_request, ["consent_sick"]),
		{"designations": [{"person": "per-friend", "covers": ["*"]}]},
	)
	verdict_basis(ruling_for(req, "consent_sick")) == ["deny", "PATIENT_DECIDES"]
}

# Records need more than agreement at the desk: without a designation or authorization, no authority.
test_capable_adult_records_need_authority if {
	r := ruling_for(asking(with_desk(adult_request, {"patient_agrees": true}), ["receive_records"]), "receive_records")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	codes(r.remedies) == ["ASK_PATIENT"]
}

# Dana's authorization for her friend to receive records, to which a test adds its id.
friend_hipaa := {
	"kind": "hipaa_authorization",
	"granted_by": "pt-9", "grantee": "per-friend",
	"covers": ["receive_records"],
}

# A HIPAA authorization the patient signed for the companion lets them receive records.
test_capable_adult_records_by_patient_hipaa if {
	doc := object.union(friend_hipaa, {"id": "doc-7", "valid_until": "2027-06-01"})
	req := with_records(asking(adult_request, ["receive_records"]), {"documents": [doc]})
	verdict_basis(ruling_for(req, "receive_records")) == ["allow", "HIPAA_AUTHORIZATION"]
}

# A HIPAA authorization signed by someone other than the patient does not.
test_capable_adult_records_hipaa_not_from_patient if {
	doc := object.union(friend_hipaa, {"id": "doc-7", "granted_by": "per-someone"})
	req := with_records(asking(adult_request, ["receive_records"]), {"documents": [doc]})
	verdict_basis(ruling_for(req, "receive_records")) == ["deny", "NO_AUTHORITY"]
}

# An expired or revoked HIPAA authorization from the patient does not.
test_capable_adult_records_hipaa_not_in_force[name] if {
	some name, change in {"expired": {"valid_until": "2026-11-21"}, "revoked": {"revoked": true}}
	doc := object.union(object.union(friend_hipaa, {"id": "doc-7"}), change)
	req := with_records(asking(adult_request, ["receive_records"]), {"documents": [doc]})
	verdict_basis(ruling_for(req, "receive_records")) == ["deny", "NO_AUTHORITY"]
}

# The adult fixture: the friend stays, the patient consents herself.
test_capable_adult_friend_visit if {
	req := asking(with_desk(adult_request, {"patient_agrees": true}), ["accompany", "discuss_care", "consent_sick"])
	decide(req).outcome == "partial"
}

# Rule 6 ----------------------------------------------------------------------

# A court guardian of an adult lacking capacity may do everything.
test_incapable_adult_court_guardian[action] if {
	some action in all_actions
	req := with_records(
		asking(brought_by(incapable_adult_request, son), all_actions),
		{"guardians": [{"person": "per-son", "name": "Eric Hahn", "role": "court_guardian"}]},
	)
	verdict_basis(ruling_for(req, action)) == ["allow", "GUARDIAN"]
}

# A healthcare agent under a power of attorney with no list may do everything.
test_incapable_adult_healthcare_agent[action] if {
	some action in all_actions
	req := with_records(asking(brought_by(incapable_adult_request, son), all_actions), {"documents": [poa]})
	verdict_basis(ruling_for(req, action)) == ["allow", "HEALTHCARE_AGENT"]
}

# A power of attorney that lists actions covers only those.
test_incapable_adult_healthcare_agent_listed_scope if {
	doc := object.union(poa, {"covers": ["consent_sick"]})
	req := with_records(
		asking(brought_by(incapable_adult_request, son), ["consent_sick", "consent_procedure"]),
		{"documents": [doc]},
	)
	verdict_basis(ruling_for(req, "consent_sick")) == ["allow", "HEALTHCARE_AGENT"]
	ruling_for(req, "consent_procedure").basis != "HEALTHCARE_AGENT"
}

# Outside the document the agent is not a surrogate either: the patient chose
# the limits. In an emergency the care outside it goes ahead under rule 4.
test_limited_agent_outside_the_document if {
	doc := object.union(poa, {"covers": ["consent_sick"]})
	req := with_records(
		asking(brought_by(incapable_adult_request, son), ["consent_sick", "consent_procedure"]),
		{"documents": [doc]},
	)
	r := ruling_for(req, "consent_procedure")
	verdict_basis(r) == ["deny", "DOCUMENT_SCOPE"]
	codes(r.remedies) == ["BRING_COURT_ORDER"]
	urgent := decide(with_fields(req, {"emergency": true}))
	verdict_basis(urgent.actions.consent_sick) == ["allow", "HEALTHCARE_AGENT"]
	verdict_basis(urgent.actions.consent_procedure) == ["allow_with_conditions", "EMERGENCY"]
}

# A revoked or expired power of attorney makes nobody an agent.
test_incapable_adult_healthcare_agent_not_in_force[name] if {
	some name, change in {"revoked": {"revoked": true}, "expired": {"valid_until": "2026-11-21"}}
	req := with_records(
		asking(brought_by(incapable_adult_request, son), ["consent_sick"]),
		{"documents": [object.union(poa, change)]},
	)
	ruling_for(req, "consent_sick").basis != "HEALTHCARE_AGENT"
}

# A healthcare agent's ruling needs the agent's ID checked when it is unverified.
test_incapable_adult_agent_unverified_id if {
	req := with_records(
		asking(brought_by(incapable_adult_request, object.union(son, {"identity": "unverified"})), ["consent_sick"]),
		{"documents": [poa]},
	)
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["allow_with_conditions", "HEALTHCARE_AGENT"]
	codes(r.conditions) == ["VERIFY_PHOTO_ID"]
}

# With no guardian or agent, a relative in the surrogate order consents and may be told,
# once staff confirm nobody higher is available.
test_incapable_adult_surrogate[action] if {
	some action in array.concat(consent_actions, ["discuss_care", "receive_records"])
	r := ruling_for(asking(brought_by(incapable_adult_request, son), [action]), action)
	verdict_basis(r) == ["allow_with_conditions", "SURROGATE"]
	codes(r.conditions) == ["CONFIRM_NO_HIGHER_SURROGATE"]
}

# The default surrogate order: spouse or partner, adult child, parent, sibling, other relatives, friend.
test_incapable_adult_surrogate_relationships[relationship] if {
	some relationship in ["spouse", "domestic_partner", "adult_child", "parent", "sibling", "other_relative", "friend"]
	person := object.union(son, {"relationship": relationship})
	r := ruling_for(asking(brought_by(incapable_adult_request, person), ["consent_sick"]), "consent_sick")
	r.basis == "SURROGATE"
}

# Where the interested persons agree on a surrogate, the desk confirms they
# agreed rather than that nobody higher is available.
test_incapable_adult_surrogate_by_consensus if {
	req := with_fields(asking(brought_by(incapable_adult_request, son), ["consent_sick"]), {"jurisdiction": "US-XX"})
	settings := {"adult_surrogates": ["spouse", "adult_child", "friend"], "surrogates_by_consensus": true}
	r := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
	verdict_basis(r) == ["allow_with_conditions", "SURROGATE"]
	[text] := [n.message | some n in r.conditions; n.code == "CONFIRM_NO_HIGHER_SURROGATE"]
	contains(text, "the interested persons (spouse, adult child, friend) choose the surrogate together")
}

# A neighbor is not in the surrogate order and may not consent.
test_incapable_adult_neighbor_not_surrogate if {
	r := ruling_for(asking(brought_by(incapable_adult_request, neighbor), ["consent_sick"]), "consent_sick")
	r.verdict == "deny"
}

# A surrogate must be an adult.
test_incapable_adult_minor_relative_not_surrogate if {
	person := object.union(son, {"relationship": "sibling", "age": 17})
	r := ruling_for(asking(brought_by(incapable_adult_request, person), ["consent_sick"]), "consent_sick")
	r.verdict == "deny"
}

# When someone else holds a power of attorney, a relative is no surrogate:
# call the agent for consent and records; the relative still hears the care
# instructions, as any adult with the patient does.
test_incapable_adult_surrogate_when_other_agent if {
	doc := object.union(poa, {"grantee": "per-daughter"})
	req := with_records(
		asking(brought_by(incapable_adult_request, son), ["consent_sick", "receive_records", "discuss_care"]),
		{"documents": [doc]},
	)
	every action in ["consent_sick", "receive_records"] {
		r := ruling_for(req, action)
		verdict_basis(r) == ["deny", "NO_AUTHORITY"]
		"CALL_GUARDIAN" in codes(r.remedies)
	}
	r := ruling_for(req, "discuss_care")
	verdict_basis(r) == ["allow_with_conditions", "ACCOMPANYING_ADULT"]
	codes(r.conditions) == ["LIMIT_TO_CARE_INSTRUCTIONS"]
}

# When someone else is the court guardian, a relative is no surrogate either.
test_incapable_adult_surrogate_when_other_court_guardian if {
	req := with_records(
		asking(brought_by(incapable_adult_request, son), ["consent_sick"]),
		{"guardians": [{"person": "per-daughter", "name": "Ruth Hahn", "role": "court_guardian"}]},
	)
	verdict_basis(ruling_for(req, "consent_sick")) == ["deny", "NO_AUTHORITY"]
}

# The agent's own visit, with the public example's actions, proceeds.
test_incapable_adult_agent_visit_proceeds if {
	req := with_records(
		asking(brought_by(incapable_adult_request, son), ["consent_procedure", "discuss_care"]),
		{"documents": [poa]},
	)
	decide(req).outcome == "proceed"
}

# The desk keeps a copy of the agent's power of attorney.
test_incapable_adult_healthcare_agent_document if {
	req := with_records(asking(brought_by(incapable_adult_request, son), ["consent_sick"]), {"documents": [poa]})
	some o in decide(req).obligations
	o.code == "COPY_DOCUMENT"
	contains(o.message, poa.id)
}

# Any other adult with an incapable adult is treated as rule 9 treats the
# companion of a child: may bring the patient in, take home a patient they
# brought, hear the care instructions; consent and records need authority.
test_incapable_adult_other_companion if {
	neighbor_brought := {
		"id": "per-nbr", "name": "Pat Moss", "relationship": "neighbor", "age": 60,
		"identity": "photo_id", "brought_patient": true,
	}
	d := decide(asking(brought_by(incapable_adult_request, neighbor_brought), [
		"accompany", "pick_up", "discuss_care",
		"consent_sick", "receive_records",
	]))
	verdict_basis(d.actions.accompany) == ["allow_with_conditions", "ADULT_COMPANION"]
	verdict_basis(d.actions.pick_up) == ["allow", "ACCOMPANYING_ADULT"]
	verdict_basis(d.actions.discuss_care) == ["allow_with_conditions", "ACCOMPANYING_ADULT"]
	verdict_basis(d.actions.consent_sick) == ["deny", "NO_AUTHORITY"]
	verdict_basis(d.actions.receive_records) == ["deny", "NO_AUTHORITY"]
	"BRING_COURT_ORDER" in code_set(d.actions.consent_sick.remedies)
}

# Of two authorizations from the patient, the desk acts on the one that lasts
# longest, whatever their order in the request, and names its end date.
test_capable_adult_records_two_hipaa_authorizations if {
	sooner := object.union(friend_hipaa, {"id": "doc-1", "valid_until": "2027-03-01"})
	later := object.union(friend_hipaa, {"id": "doc-2", "valid_until": "2027-06-01"})
	every documents in [[sooner, later], [later, sooner]] {
		d := decide(with_records(asking(adult_request, ["receive_records"]), {"documents": documents}))
		verdict_basis(d.actions.receive_records) == ["allow", "HIPAA_AUTHORIZATION"]
		d.actions.receive_records.reasons[0].message == concat("", [
			"Dana Cole signed an authorization (doc-2) letting Lee Ford receive records, ",
			"valid until 2027-06-01.",
		])
		copied(d) == {"doc-2"}
	}
}

# One with no end date outlasts any with one, and its reason names no end.
test_capable_adult_records_hipaa_without_end_date_wins if {
	dated := object.union(friend_hipaa, {"id": "doc-1", "valid_until": "2030-01-01"})
	open := object.union(friend_hipaa, {"id": "doc-2"})
	d := decide(with_records(asking(adult_request, ["receive_records"]), {"documents": [dated, open]}))
	reason := d.actions.receive_records.reasons[0].message
	reason == "Dana Cole signed an authorization (doc-2) letting Lee Ford receive records."
}

# Of two powers of attorney naming the companion, the one that lasts longest
# decides and is copied; between two that last as long, the lower id.
test_incapable_adult_two_healthcare_agent_documents if {
	sooner := object.union(poa, {"id": "doc-1", "valid_until": "2027-01-01"})
	open := object.union(poa, {"id": "doc-9"})
	also_open := object.union(poa, {"id": "doc-3"})
	every documents in [[sooner, open], [open, sooner]] {
		d := decide(with_records(
			asking(brought_by(incapable_adult_request, son), ["consent_sick"]),
			{"documents": documents},
		))
		d.actions.consent_sick.reasons[0].message == "Eric Hahn is Walter Hahn's healthcare agent (doc-9)."
		copied(d) == {"doc-9"}
	}
	tie := decide(with_records(
		asking(brought_by(incapable_adult_request, son), ["consent_sick"]),
		{"documents": [open, also_open]},
	))
	tie.actions.consent_sick.reasons[0].message == "Eric Hahn is Walter Hahn's healthcare agent (doc-3)."
}

# Only a document that covers the action is a candidate; when none does,
# the refusal names the one that lasts longest.
test_incapable_adult_two_healthcare_agent_documents_by_scope if {
	sick_only := object.union(poa, {"id": "doc-1", "covers": ["consent_sick"]})
	vaccine_only := object.union(poa, {"id": "doc-2", "covers": ["consent_vaccine"], "valid_until": "2027-01-01"})
	req := with_records(
		asking(brought_by(incapable_adult_request, son), ["consent_vaccine", "consent_procedure"]),
		{"documents": [sick_only, vaccine_only]},
	)
	d := decide(req)
	d.actions.consent_vaccine.reasons[0].message == "Eric Hahn is Walter Hahn's healthcare agent (doc-2)."
	verdict_basis(d.actions.consent_procedure) == ["deny", "DOCUMENT_SCOPE"]
	refusal := d.actions.consent_procedure.reasons[0].message
	refusal == "Walter Hahn's healthcare power of attorney (doc-1) does not cover this."
}

# The documents whose copy the desk keeps.
copied(d) := {m |
	some o in d.obligations
	o.code == "COPY_DOCUMENT"
	some m in regex.find_n(`doc-[0-9]+`, o.message, -1)
}

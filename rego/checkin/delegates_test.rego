# Rule 8: someone who is not a guardian acts for a minor on a guardian's
# delegation or by statute: a proxy authorization, a caregiver affidavit, a
# foster placement, the guardian's own consent by phone, the statute for
# unreachable guardians, a HIPAA authorization (information only). A
# guardian's refusal and the actions reserved for guardians bind every
# delegate; when nothing covers the action, the denial names the flaw of the
# document that would have.
package checkin_test

# The aunt with this version of the mother's authorization, asking for these actions.
aunt_with_proxy(change, actions) := minor_with(aunt, [object.union(proxy, change)], actions)

# The grandmother with this version of her California affidavit, on this day.
grandma_affidavit(change, actions, day) := with_fields(
	minor_with(grandma, [object.union(affidavit, change)], actions),
	{"jurisdiction": "US-CA", "at": concat("", [day, "T09:30:00-08:00"])},
)

# Texas, the aunt at the desk, the parents not reached.
texas_unreachable(person, actions) := with_desk(
	with_fields(minor_with(person, [], actions), {"jurisdiction": "US-TX"}),
	{"guardian_unreachable": true},
)

# (a) Proxy authorization ---------------------------------------------------

# The mother's authorization covers the aunt for what it lists.
test_proxy_authorization[action] if {
	some action in ["consent_sick", "consent_vaccine", "pick_up"]
	r := ruling_for(aunt_with_proxy({}, [action]), action)
	verdict_basis(r) == ["allow", "PROXY_AUTHORIZATION"]
	r.conditions == []
	contains(r.reasons[0].message, "doc-1")
}

# An authorized aunt whose ID is unverified: staff check it first.
test_proxy_authorization_unverified_identity if {
	req := brought_by(aunt_with_proxy({}, ["consent_sick"]), object.union(aunt, {"identity": "unverified"}))
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["allow_with_conditions", "PROXY_AUTHORIZATION"]
	codes(r.conditions) == ["VERIFY_PHOTO_ID"]
}

# An authorization for someone else does nothing for this companion.
test_proxy_authorization_for_someone_else if {
	r := ruling_for(aunt_with_proxy({"grantee": "per-other"}, ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
}

# The authorization is valid on its last day.
test_proxy_authorization_last_day if {
	r := ruling_for(aunt_with_proxy({"valid_until": "2026-11-22"}, ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["allow", "PROXY_AUTHORIZATION"]
}

# The day after its last day, it has expired: ask the mother to renew it.
test_proxy_authorization_expired if {
	r := ruling_for(aunt_with_proxy({"valid_until": "2026-11-21"}, ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_EXPIRED"]
	codes(r.remedies) == ["CALL_GUARDIAN", "RENEW_DOCUMENT", "SIGN_PROXY_FORM"]
	contains(r.remedies[0].message, "Ana Lopez")
}

# A revoked authorization: denied, and revocation outranks expiry.
test_proxy_authorization_revoked[name] if {
	some name, change in {
		"revoked": {"revoked": true},
		"revoked and expired": {"revoked": true, "valid_until": "2026-01-01"},
	}
	r := ruling_for(aunt_with_proxy(change, ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_REVOKED"]
	not "RENEW_DOCUMENT" in codes(r.remedies)
}

# An authorization signed by a parent without legal custody, or by someone who is no guardian.
test_proxy_authorization_not_from_guardian[name] if {
	some name, signer in {"parent without custody": "per-dad", "not a guardian": "per-gma"}
	req := with_records(
		aunt_with_proxy({"granted_by": signer}, ["consent_sick"]),
		{"guardians": [mom, object.union(dad, {"legal_custody": false})]},
	)
	verdict_basis(ruling_for(req, "consent_sick")) == ["deny", "DOCUMENT_NOT_FROM_GUARDIAN"]
}

# An action the authorization does not list: the denial says it is out of scope.
test_proxy_authorization_scope[action] if {
	some action in ["consent_wellness", "consent_behavioral", "receive_records"]
	r := ruling_for(aunt_with_proxy({}, [action]), action)
	verdict_basis(r) == ["deny", "DOCUMENT_SCOPE"]
	"SIGN_PROXY_FORM" in codes(r.remedies)
}

# Where the law requires witnesses and a notary, an authorization without them fails.
test_proxy_authorization_formalities if {
	settings := {"proxy_formalities": {"witnesses": 2, "notarized": true}}
	profiles := jurisdictions_plus(settings)
	short := in_test_state(aunt_with_proxy({"witnesses": 1, "notarized": true}, ["consent_sick"]))
	unsealed := in_test_state(aunt_with_proxy({"witnesses": 2}, ["consent_sick"]))
	complete := in_test_state(aunt_with_proxy({"witnesses": 2, "notarized": true}, ["consent_sick"]))
	verdict_basis(ruling_for(short, "consent_sick")) == ["deny", "DOCUMENT_FORMALITIES"]
		with data.jurisdictions as profiles
	verdict_basis(ruling_for(unsealed, "consent_sick")) == ["deny", "DOCUMENT_FORMALITIES"]
		with data.jurisdictions as profiles
	verdict_basis(ruling_for(complete, "consent_sick")) == ["allow", "PROXY_AUTHORIZATION"]
		with data.jurisdictions as profiles
}

# The request in US-XX, the test-only jurisdiction.
in_test_state(req) := with_fields(req, {"jurisdiction": "US-XX"})

# Where the law accepts an adult's own signed statement for an action, it
# counts as an authorization for that action only.
test_attested_delegation if {
	settings := {"attested_delegation": [{"statute": "Test §3", "actions": ["consent_sick"]}]}
	req := in_test_state(aunt_with_proxy({"granted_by": "per-aunt"}, ["consent_sick", "consent_vaccine"]))
	d := decide(req) with data.jurisdictions as jurisdictions_plus(settings)
	verdict_basis(d.actions.consent_sick) == ["allow", "PROXY_AUTHORIZATION"]
	d.actions.consent_vaccine.verdict == "deny"
}

# The aunt's own statement counts for nothing where the law does not accept it.
test_self_signed_statement_not_accepted_by_default if {
	r := ruling_for(aunt_with_proxy({"granted_by": "per-aunt"}, ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_NOT_FROM_GUARDIAN"]
}

# The public example: consent and pick-up allowed, the procedure stays with the parent.
test_proxy_authorization_visit if {
	req := brought_by(
		aunt_with_proxy({}, ["consent_sick", "consent_vaccine", "consent_procedure", "pick_up"]),
		object.union(aunt, {"identity": "unverified"}),
	)
	d := decide(req)
	d.outcome == "partial"
	verdict_basis(d.actions.consent_procedure) == ["deny", "GUARDIAN_REQUIRED"]
	every action in ["consent_sick", "consent_vaccine", "pick_up"] {
		verdict_basis(d.actions[action]) == ["allow_with_conditions", "PROXY_AUTHORIZATION"]
	}
}

# (b) Caregiver affidavit ----------------------------------------------------

# A California relative caregiver living with the child: guardian-level scope.
test_caregiver_affidavit_relative[action] if {
	some action in [
		"consent_sick", "consent_wellness", "consent_vaccine", "consent_behavioral",
		"accompany", "discuss_care", "receive_records", "school_note", "pick_up",
	]
	r := ruling_for(grandma_affidavit({}, [action], "2026-11-22"), action)
	verdict_basis(r) == ["allow", "CAREGIVER_AFFIDAVIT"]
}

# Even a relative caregiver's affidavit does not reach a procedure the practice reserves.
test_caregiver_affidavit_reserved_procedure if {
	r := ruling_for(grandma_affidavit({}, ["consent_procedure"], "2026-11-22"), "consent_procedure")
	verdict_basis(r) == ["deny", "GUARDIAN_REQUIRED"]
}

# The affidavit's scope does not include confidential services.
test_caregiver_affidavit_not_confidential if {
	r := ruling_for(grandma_affidavit({}, ["consent_confidential"], "2026-11-22"), "consent_confidential")
	r.verdict == "deny"
}

# A non-relative caregiver: only school-related wellness care and vaccines, and the desk is told the limit.
test_caregiver_affidavit_nonrelative if {
	sitter := object.union(neighbor, {"relationship": "sitter", "lives_with_patient": true})
	req := with_fields(
		minor_with(
			sitter,
			[object.union(affidavit, {"grantee": "per-nbr", "relative": false})],
			["consent_wellness", "consent_vaccine", "consent_sick"],
		),
		{"jurisdiction": "US-CA"},
	)
	d := decide(req)
	every action in ["consent_wellness", "consent_vaccine"] {
		verdict_basis(d.actions[action]) == ["allow_with_conditions", "CAREGIVER_AFFIDAVIT"]
		codes(d.actions[action].conditions) == ["LIMIT_TO_SCHOOL_CARE"]
	}
	verdict_basis(d.actions.consent_sick) == ["deny", "DOCUMENT_SCOPE"]
}

# An affidavit marked "relative" by someone the law does not count as a relative gets the non-relative scope.
test_caregiver_affidavit_relative_flag_needs_relative if {
	friend_caregiver := object.union(neighbor, {"relationship": "friend", "lives_with_patient": true})
	req := with_fields(
		minor_with(friend_caregiver, [object.union(affidavit, {"grantee": "per-nbr"})], ["consent_sick", "consent_vaccine"]),
		{"jurisdiction": "US-CA"},
	)
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["deny", "DOCUMENT_SCOPE"]
	d.actions.consent_vaccine.basis == "CAREGIVER_AFFIDAVIT"
}

# California requires the caregiver to live with the child.
test_caregiver_affidavit_lives_with_required if {
	req := brought_by(
		grandma_affidavit({}, ["consent_sick"], "2026-11-22"),
		object.union(grandma, {"lives_with_patient": false}),
	)
	verdict_basis(ruling_for(req, "consent_sick")) == ["deny", "DOCUMENT_FORMALITIES"]
}

# Signed 2026-03-01, the affidavit is in force on 2027-03-01, a year later.
test_caregiver_affidavit_within_validity if {
	r := ruling_for(grandma_affidavit({}, ["consent_sick"], "2027-03-01"), "consent_sick")
	verdict_basis(r) == ["allow", "CAREGIVER_AFFIDAVIT"]
}

# On 2027-03-02 the year is over: expired, ask for a new one.
test_caregiver_affidavit_lapsed if {
	r := ruling_for(grandma_affidavit({}, ["consent_sick"], "2027-03-02"), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_EXPIRED"]
	r.remedies[0].code == "RENEW_DOCUMENT"
}

# An affidavit dated after the visit is not yet in force, and there is nothing to renew.
test_caregiver_affidavit_signed_later if {
	r := ruling_for(grandma_affidavit({"signed_on": "2026-12-01"}, ["consent_sick"], "2026-11-22"), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_NOT_YET_VALID"]
	not "RENEW_DOCUMENT" in code_set(r.remedies)
}

# A revoked affidavit does not count.
test_caregiver_affidavit_revoked if {
	r := ruling_for(grandma_affidavit({"revoked": true}, ["consent_sick"], "2026-11-22"), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_REVOKED"]
}

# Where the jurisdiction has no caregiver affidavit, one gives no authority.
test_caregiver_affidavit_not_recognized_by_default if {
	r := ruling_for(minor_with(grandma, [affidavit], ["consent_sick"]), "consent_sick")
	r.verdict == "deny"
	not r.basis in {"CAREGIVER_AFFIDAVIT", "DOCUMENT_SCOPE"}
}

# The public example: the grandmother's affidavit covers the whole visit.
test_caregiver_affidavit_visit if {
	d := decide(grandma_affidavit({}, ["consent_sick", "consent_wellness", "consent_vaccine"], "2026-11-22"))
	d.outcome == "proceed"
}

# (c) Foster placement -------------------------------------------------------

# A foster parent decides routine care under the default placement scope.
test_foster_placement[action] if {
	some action in ["consent_sick", "consent_wellness", "discuss_care", "receive_records", "school_note", "pick_up"]
	foster_parent := object.union(neighbor, {"relationship": "foster_parent"})
	r := ruling_for(fostered(minor_with(foster_parent, [foster], [action])), action)
	verdict_basis(r) == ["allow", "FOSTER_PLACEMENT"]
}

# A placement counts only when the state made it: from a parent it is no placement.
test_foster_placement_from_a_parent_is_not_one if {
	foster_parent := object.union(neighbor, {"relationship": "foster_parent"})
	from_mom := object.union(foster, {"granted_by": "per-mom"})
	r := ruling_for(minor_with(foster_parent, [from_mom], ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_NOT_FROM_GUARDIAN"]
	contains(r.reasons[0].message, "agency or court guardian")
}

# Vaccines are outside the default placement scope.
test_foster_placement_scope if {
	foster_parent := object.union(neighbor, {"relationship": "foster_parent"})
	r := ruling_for(fostered(minor_with(foster_parent, [foster], ["consent_vaccine"])), "consent_vaccine")
	verdict_basis(r) == ["deny", "DOCUMENT_SCOPE"]
}

# A placement that lists actions covers only those within the law's scope.
test_foster_placement_narrowed if {
	foster_parent := object.union(neighbor, {"relationship": "foster_parent"})
	narrowed := object.union(foster, {"covers": ["consent_sick"]})
	req := fostered(minor_with(foster_parent, [narrowed], ["consent_sick", "consent_wellness"]))
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow", "FOSTER_PLACEMENT"]
	verdict_basis(d.actions.consent_wellness) == ["deny", "DOCUMENT_SCOPE"]
}

# Where the jurisdiction's placement scope includes vaccines, the foster parent consents to them.
test_foster_placement_scope_from_jurisdiction if {
	settings := {"foster_placement_scope": ["consent_sick", "consent_vaccine"]}
	foster_parent := object.union(neighbor, {"relationship": "foster_parent"})
	req := with_fields(fostered(minor_with(foster_parent, [foster], ["consent_vaccine"])), {"jurisdiction": "US-XX"})
	r := ruling_for(req, "consent_vaccine") with data.jurisdictions as jurisdictions_plus(settings)
	verdict_basis(r) == ["allow", "FOSTER_PLACEMENT"]
}

# (d) Consent by phone ---------------------------------------------------------

# The mother consents by phone, witnessed by staff: allowed once the call is recorded.
test_verbal_consent[action] if {
	some action in ["consent_sick", "consent_vaccine", "consent_wellness"]
	req := with_desk(minor_with(aunt, [], [action]), {"verbal_consent": [mom_by_phone([action])]})
	r := ruling_for(req, action)
	verdict_basis(r) == ["allow_with_conditions", "VERBAL_CONSENT"]
	codes(r.conditions) == ["DOCUMENT_VERBAL_CONSENT"]
}

# Consent by phone is recorded once for the visit.
test_verbal_consent_obligation if {
	req := with_desk(
		minor_with(aunt, [], ["consent_sick", "consent_vaccine"]),
		{"verbal_consent": [mom_by_phone(["consent_sick", "consent_vaccine"])]},
	)
	d := decide(req)
	count([o | some o in d.obligations; o.code == "DOCUMENT_VERBAL_CONSENT"]) == 1
}

# The guardian's own consent by phone counts for a procedure the practice reserves for guardians.
test_verbal_consent_reserved_action if {
	req := with_desk(
		minor_with(aunt, [proxy], ["consent_procedure"]),
		{"verbal_consent": [mom_by_phone(["consent_procedure"])]},
	)
	verdict_basis(ruling_for(req, "consent_procedure")) == ["allow_with_conditions", "VERBAL_CONSENT"]
}

# The mother's consent by phone lifts her own standing refusal, for what she consents to only.
test_verbal_consent_lifts_own_refusal if {
	req := with_records(
		with_desk(
			minor_with(aunt, [], ["consent_vaccine", "consent_sick"]),
			{"verbal_consent": [mom_by_phone(["consent_vaccine"])]},
		),
		{"refusals": [{"by": "per-mom", "covers": ["consent_vaccine", "consent_sick"]}]},
	)
	d := decide(req)
	verdict_basis(d.actions.consent_vaccine) == ["allow_with_conditions", "VERBAL_CONSENT"]
	verdict_basis(d.actions.consent_sick) == ["deny", "GUARDIAN_REFUSED"]
}

# A call that does not cover the action does not consent to it.
test_verbal_consent_other_action if {
	req := with_desk(minor_with(aunt, [], ["consent_vaccine"]), {"verbal_consent": [mom_by_phone(["consent_sick"])]})
	verdict_basis(ruling_for(req, "consent_vaccine")) == ["deny", "NO_AUTHORITY"]
}

# Consent by phone from a parent without legal custody does not count.
test_verbal_consent_from_noncustodial_parent if {
	req := with_records(
		with_desk(minor_with(aunt, [], ["consent_sick"]), {"verbal_consent": [dad_by_phone(["consent_sick"], "staff-3")]}),
		{"guardians": [mom, object.union(dad, {"legal_custody": false})]},
	)
	ruling_for(req, "consent_sick").verdict == "deny"
}

# A call no staff member witnessed does not count where the law has no word-of-mouth delegation.
test_verbal_consent_unwitnessed if {
	req := with_desk(minor_with(aunt, [], ["consent_sick"]), {"verbal_consent": [mom_relayed(["consent_sick"])]})
	ruling_for(req, "consent_sick").verdict == "deny"
}

# Where the law lets a guardian delegate by word of mouth to a listed relative, the relayed consent counts.
test_verbal_delegation_relayed if {
	settings := {"verbal_delegation": [grandparent_delegation("Test §2")]}
	req := in_test_state(with_desk(
		minor_with(grandma, [], ["consent_sick", "consent_vaccine"]),
		{"verbal_consent": [mom_relayed(["consent_sick", "consent_vaccine"])]},
	))
	d := decide(req) with data.jurisdictions as jurisdictions_plus(settings)
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "VERBAL_CONSENT"]
	d.actions.consent_vaccine.verdict == "deny"
}

# Where the statute has the delegate confirm the delegation in writing, the
# chart note asks for that confirmation; a witnessed call needs none.
test_verbal_delegation_written_confirmation if {
	settings := {"verbal_delegation": [{
		"statute": "Test §3", "actions": ["consent_sick"], "relationships": ["grandparent"],
		"written_confirmation": true,
	}]}
	relayed := in_test_state(with_desk(
		minor_with(grandma, [], ["consent_sick"]),
		{"verbal_consent": [mom_relayed(["consent_sick"])]},
	))
	r := ruling_for(relayed, "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
	verdict_basis(r) == ["allow_with_conditions", "VERBAL_CONSENT"]
	[text] := [n.message | some n in r.conditions; n.code == "DOCUMENT_VERBAL_CONSENT"]
	startswith(text, "Have Rosa Diaz confirm in writing")
	contains(text, "Test §3")

	witnessed := with_desk(relayed, {"verbal_consent": [mom_by_phone(["consent_sick"])]})
	w := ruling_for(witnessed, "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
	[plain] := [n.message | some n in w.conditions; n.code == "DOCUMENT_VERBAL_CONSENT"]
	startswith(plain, "Record in the chart the consent of")
}

# The grandmother's affidavit, signed on one day, shown at a visit on another.
signed_visited(signed, day) := with_fields(
	minor_with(grandma, [object.union(affidavit, {"signed_on": signed})], ["consent_sick"]),
	{"jurisdiction": "US-XX", "at": concat("", [day, "T09:30:00-06:00"])},
)

# Where the statute has the relative confirm in writing that no guardian is
# available, the contact-attempts condition asks for that confirmation.
test_unreachable_statute_written_confirmation if {
	settings := {"unreachable_guardian_statute": [{
		"statute": "Test §4", "actions": ["consent_vaccine"], "relationships": ["aunt_uncle"],
		"written_confirmation": true,
	}]}
	req := with_fields(
		with_desk(minor_with(aunt, [], ["consent_vaccine"]), {"guardian_unreachable": true}),
		{"jurisdiction": "US-XX"},
	)
	r := ruling_for(req, "consent_vaccine") with data.jurisdictions as jurisdictions_plus(settings)
	verdict_basis(r) == ["allow_with_conditions", "STATUTORY_RELATIVE"]
	[text] := [n.message | some n in r.conditions; n.code == "DOCUMENT_CONTACT_ATTEMPTS"]
	contains(text, "confirm in writing that no guardian is reasonably available, as Test §4 requires")
}

# Where the affidavit counts only once no guardian can be reached, it does
# not stand beside a parent the desk can call, and the refusal says why.
test_caregiver_affidavit_guardian_unreachable_required if {
	settings := {"caregiver_affidavit": {
		"min_age": 18, "lives_with_required": true, "validity_days": null, "guardian_unreachable_required": true,
		"relatives": ["grandparent"], "relative_scope": ["consent_sick"], "nonrelative_scope": [],
	}}
	req := with_fields(minor_with(grandma, [affidavit], ["consent_sick"]), {"jurisdiction": "US-XX"})
	reachable := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
	verdict_basis(reachable) == ["deny", "DOCUMENT_FORMALITIES"]
	contains(reachable.reasons[0].message, "counts only once staff have documented that no guardian can be reached")
	unreachable := ruling_for(with_desk(req, {"guardian_unreachable": true}), "consent_sick")
		with data.jurisdictions as jurisdictions_plus(settings)
	verdict_basis(unreachable) == ["allow_with_conditions", "CAREGIVER_AFFIDAVIT"]
	codes(unreachable.conditions) == ["DOCUMENT_CONTACT_ATTEMPTS"]
}

# A live-in adult a ranked statute names only as a caregiver confirms that
# nobody ranked above the caregiver class can be reached.
test_unreachable_statute_caregiver_ranks_last if {
	settings := {"unreachable_guardian_statute": [{
		"statute": "Test §5", "actions": ["consent_sick"],
		"relationships": ["sibling", "grandparent", "any_adult_caregiver"],
		"ordered": true,
	}]}
	req := with_fields(
		with_desk(
			minor_with(object.union(neighbor, {"lives_with_patient": true}), [], ["consent_sick"]),
			{"guardian_unreachable": true},
		),
		{"jurisdiction": "US-XX"},
	)
	r := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
	verdict_basis(r) == ["allow_with_conditions", "STATUTORY_RELATIVE"]
	[text] := [n.message | some n in r.conditions; n.code == "CONFIRM_NO_HIGHER_PRIORITY"]
	contains(text, "(sibling, grandparent)")
}

# An affidavit valid for six months: signed 15 January, in force through 15
# July, lapsed on 16 July.
test_caregiver_affidavit_validity_months if {
	settings := {"caregiver_affidavit": {
		"min_age": 18, "lives_with_required": false, "validity_days": null, "validity_months": 6,
		"relatives": ["grandparent"], "relative_scope": ["consent_sick"], "nonrelative_scope": [],
	}}
	profiles := jurisdictions_plus(settings)
	last := ruling_for(signed_visited("2026-01-15", "2026-07-15"), "consent_sick") with data.jurisdictions as profiles
	verdict_basis(last) == ["allow", "CAREGIVER_AFFIDAVIT"]
	after := ruling_for(signed_visited("2026-01-15", "2026-07-16"), "consent_sick") with data.jurisdictions as profiles
	verdict_basis(after) == ["deny", "DOCUMENT_EXPIRED"]
}

# Six months from 31 August end on the last day of February, not on 3 March
# as adding months to a date would roll over.
test_caregiver_affidavit_validity_months_month_end if {
	settings := {"caregiver_affidavit": {
		"min_age": 18, "lives_with_required": false, "validity_months": 6,
		"relatives": ["grandparent"], "relative_scope": ["consent_sick"], "nonrelative_scope": [],
	}}
	profiles := jurisdictions_plus(settings)
	last := ruling_for(signed_visited("2026-08-31", "2027-02-28"), "consent_sick") with data.jurisdictions as profiles
	verdict_basis(last) == ["allow", "CAREGIVER_AFFIDAVIT"]
	after := ruling_for(signed_visited("2026-08-31", "2027-03-01"), "consent_sick") with data.jurisdictions as profiles
	verdict_basis(after) == ["deny", "DOCUMENT_EXPIRED"]
}

# Tennessee: a vaccine needs the guardian's written consent; the call counts for the sick visit only.
test_written_consent_required_tennessee if {
	req := with_fields(
		with_desk(
			minor_with(aunt, [], ["consent_sick", "consent_vaccine"]),
			{"verbal_consent": [mom_by_phone(["consent_sick", "consent_vaccine"])]},
		),
		{"jurisdiction": "US-TN"},
	)
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "VERBAL_CONSENT"]
	verdict_basis(d.actions.consent_vaccine) == ["deny", "WRITTEN_CONSENT_REQUIRED"]
	count(d.actions.consent_vaccine.remedies) > 0
	d.outcome == "partial"
}

# Tennessee: a delegate's authorization does not reach vaccines either.
test_tennessee_vaccine_reserved_for_guardian if {
	req := with_fields(aunt_with_proxy({}, ["consent_vaccine", "consent_sick"]), {"jurisdiction": "US-TN"})
	d := decide(req)
	verdict_basis(d.actions.consent_vaccine) == ["deny", "GUARDIAN_REQUIRED"]
	verdict_basis(d.actions.consent_sick) == ["allow", "PROXY_AUTHORIZATION"]
}

# The strict practice takes no consent by phone.
test_written_consent_required_strict_practice[action] if {
	some action in ["consent_sick", "consent_procedure"]
	req := with_fields(
		with_desk(minor_with(aunt, [], [action]), {"verbal_consent": [mom_by_phone([action])]}),
		{"practice": "strict"},
	)
	verdict_basis(ruling_for(req, action)) == ["deny", "WRITTEN_CONSENT_REQUIRED"]
}

# A practice that requires written consent for vaccines rejects the call for them.
test_written_consent_required_by_practice_profile if {
	settings := {"written_consent_required": ["consent_vaccine"]}
	req := with_fields(
		with_desk(
			minor_with(aunt, [], ["consent_vaccine", "consent_sick"]),
			{"verbal_consent": [mom_by_phone(["consent_vaccine", "consent_sick"])]},
		),
		{"practice": "test"},
	)
	d := decide(req) with data.practices as practices_plus(settings)
	verdict_basis(d.actions.consent_vaccine) == ["deny", "WRITTEN_CONSENT_REQUIRED"]
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "VERBAL_CONSENT"]
}

# (e) Statute for unreachable guardians ---------------------------------------

# Texas §32.001: with the parents unreachable, an adult aunt consents, and the attempts are recorded.
test_statutory_relative_texas[action] if {
	some action in ["consent_sick", "consent_wellness", "consent_behavioral", "consent_vaccine"]
	r := ruling_for(texas_unreachable(aunt, [action]), action)
	verdict_basis(r) == ["allow_with_conditions", "STATUTORY_RELATIVE"]
	codes(r.conditions) == ["DOCUMENT_CONTACT_ATTEMPTS"]
}

# The attempts are a visit obligation.
test_statutory_relative_obligation if {
	d := decide(texas_unreachable(aunt, ["consent_sick"]))
	"DOCUMENT_CONTACT_ATTEMPTS" in code_set(d.obligations)
	d.outcome == "proceed_with_conditions"
}

# Without documented attempts to reach the parents, the statute does not apply.
test_statutory_relative_needs_unreachable if {
	req := with_desk(texas_unreachable(aunt, ["consent_sick"]), {"guardian_unreachable": false})
	verdict_basis(ruling_for(req, "consent_sick")) == ["deny", "NO_AUTHORITY"]
}

# Texas: a procedure stays reserved for a guardian, and confidential care is outside the statute.
test_statutory_relative_limits if {
	d := decide(texas_unreachable(aunt, ["consent_procedure", "consent_confidential"]))
	verdict_basis(d.actions.consent_procedure) == ["deny", "GUARDIAN_REQUIRED"]
	verdict_basis(d.actions.consent_confidential) == ["deny", "NO_AUTHORITY"]
}

# Texas §32.101 names a stepparent for vaccines; §32.001 does not name one for a sick visit.
test_statutory_relative_texas_stepparent if {
	d := decide(texas_unreachable(stepdad, ["consent_vaccine", "consent_sick"]))
	verdict_basis(d.actions.consent_vaccine) == ["allow_with_conditions", "STATUTORY_RELATIVE"]
	verdict_basis(d.actions.consent_sick) == ["deny", "NO_AUTHORITY"]
}

# Texas §32.101 names an adult caregiver the child lives with, for vaccines.
test_statutory_relative_texas_caregiver if {
	caregiver := object.union(neighbor, {"relationship": "sitter", "lives_with_patient": true})
	lives_in := ruling_for(texas_unreachable(caregiver, ["consent_vaccine"]), "consent_vaccine")
	verdict_basis(lives_in) == ["allow_with_conditions", "STATUTORY_RELATIVE"]
	lives_apart := ruling_for(texas_unreachable(neighbor, ["consent_vaccine"]), "consent_vaccine")
	verdict_basis(lives_apart) == ["deny", "NO_AUTHORITY"]
}

# The statute's relatives must be adults.
test_statutory_relative_must_be_adult if {
	teen_aunt := object.union(aunt, {"age": 17})
	r := ruling_for(texas_unreachable(teen_aunt, ["consent_sick"]), "consent_sick")
	r.verdict == "deny"
}

# Outside Texas there is no such statute by default.
test_statutory_relative_not_in_default_profile if {
	req := with_fields(texas_unreachable(aunt, ["consent_sick"]), {"jurisdiction": "US-GU"})
	verdict_basis(ruling_for(req, "consent_sick")) == ["deny", "NO_AUTHORITY"]
}

# A statute that ranks relatives: a lower-ranked relative confirms nobody higher can be reached.
test_statutory_relative_ordered if {
	settings := {"unreachable_guardian_statute": [{
		"statute": "Test §1", "actions": ["consent_sick"], "relationships": ["grandparent", "aunt_uncle"],
		"ordered": true,
	}]}
	req := with_fields(texas_unreachable(aunt, ["consent_sick"]), {"jurisdiction": "US-XX"})
	r := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
	r.basis == "STATUTORY_RELATIVE"
	codes(r.conditions) == ["DOCUMENT_CONTACT_ATTEMPTS", "CONFIRM_NO_HIGHER_PRIORITY"]
}

# (f) HIPAA authorization ----------------------------------------------------

# The mother's HIPAA authorization lets the grandmother hear about care and receive records.
test_hipaa_authorization_information[action] if {
	some action in ["discuss_care", "receive_records", "school_note"]
	r := ruling_for(minor_with(grandma, [hipaa], [action]), action)
	verdict_basis(r) == ["allow", "HIPAA_AUTHORIZATION"]
}

# A HIPAA authorization never gives consent, even when it lists a consent action.
test_hipaa_authorization_never_consent[action] if {
	some action in consent_actions
	doc := object.union(hipaa, {"covers": ["*"]})
	r := ruling_for(minor_with(grandma, [doc], [action]), action)
	r.verdict == "deny"
	r.basis != "HIPAA_AUTHORIZATION"
}

# The public example: she may hear about care, not consent to it.
test_hipaa_authorization_visit if {
	d := decide(minor_with(grandma, [hipaa], ["discuss_care", "receive_records", "consent_sick"]))
	verdict_basis(d.actions.consent_sick) == ["deny", "NO_AUTHORITY"]
	d.outcome == "partial"
}

# A HIPAA authorization signed by a parent without legal custody does not reach records.
test_hipaa_authorization_not_from_guardian if {
	req := with_records(
		minor_with(grandma, [object.union(hipaa, {"granted_by": "per-dad"})], ["receive_records"]),
		{"guardians": [mom, object.union(dad, {"legal_custody": false})]},
	)
	verdict_basis(ruling_for(req, "receive_records")) == ["deny", "DOCUMENT_NOT_FROM_GUARDIAN"]
}

# An expired HIPAA authorization does not reach records.
test_hipaa_authorization_expired if {
	expired := object.union(hipaa, {"valid_until": "2026-11-21"})
	r := ruling_for(minor_with(grandma, [expired], ["receive_records"]), "receive_records")
	verdict_basis(r) == ["deny", "DOCUMENT_EXPIRED"]
	r.remedies[0].code == "RENEW_DOCUMENT"
}

# Refusals and reserved actions ----------------------------------------------

# The mother refused vaccines on anyone else's word: her authorization no longer reaches them.
test_guardian_refused_over_proxy if {
	req := with_records(
		aunt_with_proxy({}, ["consent_sick", "consent_vaccine"]),
		{"refusals": [{"by": "per-mom", "covers": ["consent_vaccine"]}]},
	)
	d := decide(req)
	r := d.actions.consent_vaccine
	verdict_basis(r) == ["deny", "GUARDIAN_REFUSED"]
	codes(r.remedies) == ["CALL_GUARDIAN"]
	verdict_basis(d.actions.consent_sick) == ["allow", "PROXY_AUTHORIZATION"]
	d.outcome == "partial"
}

# A refusal binds every kind of delegate: affidavit, placement, statute, HIPAA authorization.
test_guardian_refused_binds_every_delegate[name] if {
	some name, tc in {
		"caregiver affidavit": {"request": grandma_affidavit({}, ["consent_sick"], "2026-11-22"), "action": "consent_sick"},
		"foster placement": {"request": fostered(minor_with(neighbor, [foster], ["consent_sick"])), "action": "consent_sick"},
		"statute": {"request": texas_unreachable(aunt, ["consent_sick"]), "action": "consent_sick"},
		"hipaa authorization": {"request": minor_with(grandma, [hipaa], ["discuss_care"]), "action": "discuss_care"},
	}
	req := with_records(tc.request, {"guardians": [mom], "refusals": [{"by": "per-mom", "covers": [tc.action]}]})
	verdict_basis(ruling_for(req, tc.action)) == ["deny", "GUARDIAN_REFUSED"]
}

# A refusal recorded by someone without legal custody binds nobody.
test_refusal_by_noncustodial_parent_ignored if {
	req := with_records(aunt_with_proxy({}, ["consent_vaccine"]), {
		"guardians": [mom, object.union(dad, {"legal_custody": false})],
		"refusals": [{"by": "per-dad", "covers": ["consent_vaccine"]}],
	})
	verdict_basis(ruling_for(req, "consent_vaccine")) == ["allow", "PROXY_AUTHORIZATION"]
}

# The default practice reserves procedures for guardians: a delegate is told to call one.
test_guardian_required_procedure if {
	r := ruling_for(aunt_with_proxy({}, ["consent_procedure"]), "consent_procedure")
	verdict_basis(r) == ["deny", "GUARDIAN_REQUIRED"]
	codes(r.remedies) == ["CALL_GUARDIAN"]
}

# The strict practice also reserves behavioral care for guardians.
test_guardian_required_strict_behavioral if {
	req := with_fields(aunt_with_proxy({"covers": ["consent_behavioral"]}, ["consent_behavioral"]), {"practice": "strict"})
	verdict_basis(ruling_for(req, "consent_behavioral")) == ["deny", "GUARDIAN_REQUIRED"]
	by_default := ruling_for(with_fields(req, {"practice": "default"}), "consent_behavioral")
	verdict_basis(by_default) == ["allow", "PROXY_AUTHORIZATION"]
}

# Arkansas lets a grandparent consent without first trying the parents: with
# A statute that applies without first trying the guardians: with nothing for
# staff to do first, the verdict is a plain allow.
test_statute_without_unreachable_guardian_is_plain_allow if {
	profile := jurisdictions_plus({"unreachable_guardian_statute": [{
		"statute": "Test Code §1", "actions": ["consent_sick"],
		"relationships": ["grandparent"], "guardian_unreachable_required": false,
	}]})
	req := with_fields(minor_with(grandma, [], ["consent_sick"]), {"jurisdiction": "US-XX"})
	r := ruling_for(req, "consent_sick") with data.jurisdictions as profile
	verdict_basis(r) == ["allow", "STATUTORY_RELATIVE"]
	r.conditions == []
}

# Arkansas: a grandparent consents only while the parents cannot be reached.
test_arkansas_grandparent_needs_the_parents_unreachable if {
	req := with_fields(minor_with(grandma, [], ["consent_sick"]), {"jurisdiction": "US-AR"})
	ruling_for(req, "consent_sick").verdict == "deny"
	r := ruling_for(with_desk(req, {"guardian_unreachable": true}), "consent_sick")
	verdict_basis(r) == ["allow_with_conditions", "STATUTORY_RELATIVE"]
	codes(r.conditions) == ["DOCUMENT_CONTACT_ATTEMPTS"]
}

# The refusal says when a document ran out, or when it starts; only an
# expired one is offered for renewal.
test_document_out_of_force_words[when] if {
	some when, tc in {
		"ran out": {
			"change": {"valid_until": "2026-10-31"}, "basis": "DOCUMENT_EXPIRED",
			"words": "has expired: its last day was 2026-10-31", "renew": true,
		},
		"not yet": {
			"change": {"valid_from": "2026-12-01"}, "basis": "DOCUMENT_NOT_YET_VALID",
			"words": "is not in force until 2026-12-01", "renew": false,
		},
	}
	r := ruling_for(aunt_with_proxy(tc.change, ["consent_sick"]), "consent_sick")
	r.basis == tc.basis
	contains(r.reasons[0].message, tc.words)
	offers_renewal(r) == tc.renew
}

offers_renewal(r) if {
	"RENEW_DOCUMENT" in code_set(r.remedies)
} else := false

# An affidavit where the law has none gives no authority, and the refusal says why.
test_caregiver_affidavit_not_recognized if {
	r := ruling_for(minor_with(grandma, [affidavit], ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	codes(r.reasons) == ["DOCUMENT_NOT_RECOGNIZED"]
	contains(r.reasons[0].message, "doc-2")
	codes(r.remedies) == ["CALL_GUARDIAN", "SIGN_PROXY_FORM"]
}

# Two candidates ----------------------------------------------------------------

# The reason's words, the chart copy named by the visit's obligations.
reason_and_copy(req, action) := [d.actions[action].reasons[0].message, copies] if {
	d := decide(req)
	copies := {o.message | some o in d.obligations; o.code == "COPY_DOCUMENT"}
}

# Of two authorizations that each cover the action, the desk acts on the one
# that lasts longer; one with no end date outlasts both; between two that end
# on the same day, the lower id.
test_two_proxy_authorizations_the_longest_lasting_decides[name] if {
	some name, tc in {
		"later end": {"other": {"id": "doc-7", "valid_until": "2028-01-10"}, "wins": "doc-7"},
		"no end": {"other": {"id": "doc-7", "valid_until": null}, "wins": "doc-7"},
		"same end, lower id": {"other": {"id": "doc-0"}, "wins": "doc-0"},
		"same end, higher id": {"other": {"id": "doc-9"}, "wins": "doc-1"},
	}
	other := object.remove(object.union(proxy, tc.other), [k | some k, v in tc.other; v == null])
	req := minor_with(aunt, [proxy, other], ["consent_sick"])
	[reason, copies] := reason_and_copy(req, "consent_sick")
	startswith(reason, concat("", ["Ana Lopez (parent) authorized Maria Lopez in ", tc.wins]))
	copies == {concat("", ["Keep a copy of ", tc.wins, " in the chart."])}
}

# Of two California affidavits, the one signed later lasts longer and decides.
test_two_caregiver_affidavits_the_later_signed_decides if {
	later := object.union(affidavit, {"id": "doc-8", "signed_on": "2026-06-01"})
	req := with_fields(
		minor_with(grandma, [later, affidavit], ["consent_sick"]),
		{"jurisdiction": "US-CA"},
	)
	[reason, copies] := reason_and_copy(req, "consent_sick")
	reason == concat("", [
		"Rosa Diaz, who lives with Jamie Lopez, holds a relative caregiver's affidavit (doc-8), ",
		"valid until 2027-06-01.",
	])
	copies == {"Keep a copy of doc-8 in the chart."}
}

# Two foster placements with no end date: the lower id decides.
test_two_foster_placements_the_lower_id_decides if {
	foster_parent := object.union(neighbor, {"relationship": "foster_parent"})
	req := fostered(minor_with(foster_parent, [object.union(foster, {"id": "doc-9"}), foster], ["consent_sick"]))
	[reason, _] := reason_and_copy(req, "consent_sick")
	reason == "Pat Green is Jamie Lopez's foster parent under placement doc-6."
}

# Both parents consented by phone: the ruling names the one with the lower
# id, whichever the desk noted first.
test_two_phone_consents_from_two_guardians[name] if {
	some name, calls in {
		"mother first": [mom_by_phone(["consent_sick"]), dad_by_phone(["consent_sick"], "staff-4")],
		"father first": [dad_by_phone(["consent_sick"], "staff-4"), mom_by_phone(["consent_sick"])],
	}
	req := with_records(
		with_desk(minor_with(aunt, [], ["consent_sick"]), {"verbal_consent": calls}),
		{"guardians": [mom, dad]},
	)
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["allow_with_conditions", "VERBAL_CONSENT"]
	r.reasons[0].message == "Luis Lopez (parent) consented by phone, witnessed by staff-4."
}

dad_by_phone(covers, witness) := {"from": "per-dad", "covers": covers, "witness": witness}

# A parent's consent by phone, relayed by the companion: nobody at the desk heard it.
dad_relayed(covers) := {"from": "per-dad", "covers": covers}

mom_relayed(covers) := {"from": "per-mom", "covers": covers}

# A test provision letting a guardian delegate a sick visit to a grandparent by word of mouth.
grandparent_delegation(statute) := {"statute": statute, "actions": ["consent_sick"], "relationships": ["grandparent"]}

# A call staff witnessed is preferred to one the companion relays, even from
# the guardian with the higher id.
test_witnessed_phone_consent_before_a_relayed_one if {
	settings := {"verbal_delegation": [grandparent_delegation("Test §2")]}
	req := with_fields(
		with_records(
			with_desk(minor_with(grandma, [], ["consent_sick"]), {"verbal_consent": [
				dad_relayed(["consent_sick"]),
				mom_by_phone(["consent_sick"]),
			]}),
			{"guardians": [mom, dad]},
		),
		{"jurisdiction": "US-XX"},
	)
	r := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
	r.reasons[0].message == "Ana Lopez (parent) consented by phone, witnessed by staff-3."
}

# Two provisions that let a guardian delegate by word of mouth: the one the
# profile lists first is cited.
test_two_verbal_delegation_statutes_the_first_listed_decides if {
	settings := {"verbal_delegation": [
		{"statute": "Test §9", "actions": ["consent_sick"], "relationships": ["grandparent"]},
		{"statute": "Test §1", "actions": ["consent_sick"], "relationships": ["grandparent"]},
	]}
	req := with_fields(
		with_desk(minor_with(grandma, [], ["consent_sick"]), {"verbal_consent": [dad_relayed(["consent_sick"])]}),
		{"jurisdiction": "US-XX"},
	)
	r := ruling_for(
		with_records(req, {"guardians": [mom, dad]}),
		"consent_sick",
	) with data.jurisdictions as jurisdictions_plus(settings)
	r.reasons[0].message == "Luis Lopez (parent) delegated this to Rosa Diaz by word of mouth, as Test §9 allows."
}

# Both parents refused: the refusal names the one with the lower id.
test_two_refusing_guardians[name] if {
	some name, order in {"mother first": ["per-mom", "per-dad"], "father first": ["per-dad", "per-mom"]}
	req := with_records(aunt_with_proxy({}, ["consent_vaccine"]), {
		"guardians": [mom, dad],
		"refusals": [{"by": by, "covers": ["consent_vaccine"]} | some by in order],
	})
	r := ruling_for(req, "consent_vaccine")
	verdict_basis(r) == ["deny", "GUARDIAN_REFUSED"]
	r.reasons[0].message == "Luis Lopez (parent) has refused this on anyone else's word."
}

# Both parents agreed by phone where writing is required: the refusal names
# the one with the lower id.
test_two_phone_consents_where_writing_is_required if {
	req := with_fields(
		with_records(
			with_desk(minor_with(aunt, [], ["consent_sick"]), {"verbal_consent": [
				mom_by_phone(["consent_sick"]),
				dad_by_phone(["consent_sick"], "staff-4"),
			]}),
			{"guardians": [mom, dad]},
		),
		{"practice": "strict"},
	)
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["deny", "WRITTEN_CONSENT_REQUIRED"]
	r.reasons[0].message == concat("", [
		"Luis Lopez (parent) agreed by phone, ",
		"but written consent is required for this by this practice.",
	])
}

# Two statutes let the aunt consent once the parents cannot be reached: the
# one the profile lists first decides, whatever its citation.
test_two_qualifying_statutes_the_first_listed_decides[name] if {
	unreachable := {
		"statute": "Test §9", "actions": ["consent_sick"], "relationships": ["aunt_uncle"],
		"guardian_unreachable_required": true,
	}
	anytime := {
		"statute": "Test §8", "actions": ["consent_sick"], "relationships": ["aunt_uncle"],
		"guardian_unreachable_required": false,
	}
	some name, tc in {
		"unreachable first": {
			"statutes": [unreachable, anytime],
			"reason": "No guardian could be reached; Test §9 lets an adult aunt or uncle consent to Jamie Lopez's sick visit.",
			"conditions": ["DOCUMENT_CONTACT_ATTEMPTS"],
		},
		"anytime first": {
			"statutes": [anytime, unreachable],
			"reason": "Test §8 lets an adult aunt or uncle consent to Jamie Lopez's sick visit.",
			"conditions": [],
		},
	}
	req := with_fields(texas_unreachable(aunt, ["consent_sick"]), {"jurisdiction": "US-XX"})
	profiles := jurisdictions_plus({"unreachable_guardian_statute": tc.statutes})
	r := ruling_for(req, "consent_sick") with data.jurisdictions as profiles
	r.basis == "STATUTORY_RELATIVE"
	r.reasons[0].message == tc.reason
	codes(r.conditions) == tc.conditions
}

# Two provisions accept the aunt's own statement: the one the profile lists
# first is cited.
test_two_attested_delegation_statutes_the_first_listed_decides if {
	settings := {"attested_delegation": [
		{"statute": "Test §7", "actions": ["consent_sick"]},
		{"statute": "Test §3", "actions": ["consent_sick", "consent_vaccine"]},
	]}
	req := with_fields(aunt_with_proxy({"granted_by": "per-aunt"}, ["consent_sick"]), {"jurisdiction": "US-XX"})
	r := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
	r.reasons[0].message == concat("", [
		"Maria Lopez signed a statement (doc-1) that a guardian authorized them, ",
		"which Test §7 accepts for this.",
	])
}

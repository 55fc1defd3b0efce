# Attacks on the profile features added with Missouri's, Washington's,
# Kansas's, Maryland's and Colorado's profiles: calendar-month affidavit
# validity, affidavits that count only once no guardian can be reached,
# written confirmations, consensus surrogates, limited self-consent grants and
# a live-in caregiver's rank. Each test says what a clerk would get wrong if
# it failed.
package checkin_test

# An affidavit law for the test state: a grandparent's affidavit covers the
# sick visit, with these settings on top.
a3_affidavit_law(extra) := {"caregiver_affidavit": object.union(
	{
		"min_age": 18, "lives_with_required": false,
		"relatives": ["grandparent"], "relative_scope": ["consent_sick"], "nonrelative_scope": [],
	},
	extra,
)}

a3_verdict(signed, day, extra) := v if {
	v := verdict_basis(ruling_for(signed_visited(signed, day), "consent_sick"))
		with data.jurisdictions as jurisdictions_plus(a3_affidavit_law(extra))
}

a3_allowed := ["allow", "CAREGIVER_AFFIDAVIT"]

a3_expired := ["deny", "DOCUMENT_EXPIRED"]

# ---------------------------------------------------------------------------
# Calendar months.

# Twelve months from a leap day end on 28 February of the next year: adding
# months alone would roll over to 1 March and give the caregiver a day more
# than the law does.
test_a3_months_from_leap_day if {
	a3_verdict("2028-02-29", "2029-02-28", {"validity_months": 12}) == a3_allowed
	a3_verdict("2028-02-29", "2029-03-01", {"validity_months": 12}) == a3_expired
}

# Forty-eight months from a leap day land on the next leap day.
test_a3_months_leap_day_to_leap_day if {
	a3_verdict("2028-02-29", "2032-02-29", {"validity_months": 48}) == a3_allowed
	a3_verdict("2028-02-29", "2032-03-01", {"validity_months": 48}) == a3_expired
}

# One month from 29, 30 or 31 January ends on the last day of February (29
# in a leap year), never in March.
test_a3_months_from_late_january[signed] if {
	some signed in ["2027-01-29", "2027-01-30", "2027-01-31"]
	a3_verdict(signed, "2027-02-28", {"validity_months": 1}) == a3_allowed
	a3_verdict(signed, "2027-03-01", {"validity_months": 1}) == a3_expired
}

test_a3_months_from_late_january_leap_year[signed] if {
	some signed in ["2028-01-30", "2028-01-31"]
	a3_verdict(signed, "2028-02-29", {"validity_months": 1}) == a3_allowed
	a3_verdict(signed, "2028-03-01", {"validity_months": 1}) == a3_expired
}

# Signed on 31 March, one month on is 30 April; on 30 April, 30 May (not the
# 31st: the same day, when the month has it).
test_a3_months_same_day_when_it_exists if {
	a3_verdict("2027-03-31", "2027-04-30", {"validity_months": 1}) == a3_allowed
	a3_verdict("2027-03-31", "2027-05-01", {"validity_months": 1}) == a3_expired
	a3_verdict("2027-04-30", "2027-05-30", {"validity_months": 1}) == a3_allowed
	a3_verdict("2027-04-30", "2027-05-31", {"validity_months": 1}) == a3_expired
}

# Across a year end: 31 October + 4 months is the last day of February.
test_a3_months_across_year_end if {
	a3_verdict("2026-10-31", "2027-02-28", {"validity_months": 4}) == a3_allowed
	a3_verdict("2026-10-31", "2027-03-01", {"validity_months": 4}) == a3_expired
}

# Zero months: the day of signing only.
test_a3_months_zero_is_the_signing_day if {
	a3_verdict("2026-11-22", "2026-11-22", {"validity_months": 0}) == a3_allowed
	a3_verdict("2026-11-21", "2026-11-22", {"validity_months": 0}) == a3_expired
}

# A validity too long for the clock to count (beyond the year 2262) never
# makes an affidavit count: the decision stays a refusal, not an error.
test_a3_months_huge_fails_closed if {
	a3_verdict("2026-01-01", "2026-11-22", {"validity_months": 100000}) == a3_expired
}

# A fractional or negative validity (which the profile check refuses) never
# turns into "no limit". (A textual one, "6", does: see the report; the
# profile check is what stops it, overlay jurisdiction-affidavit-months-text.)
test_a3_months_malformed_fails_closed[months] if {
	some months in [1.5, -1]
	a3_verdict("2026-01-01", "2026-11-22", {"validity_months": months}) == a3_expired
}

# Both validities null, or both absent: no limit, and no expiry in the reason.
test_a3_both_validities_null_means_no_limit[extra] if {
	some extra in [{"validity_days": null, "validity_months": null}, {}]
	req := signed_visited("2001-01-01", "2026-11-22")
	r := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus(a3_affidavit_law(extra))
	verdict_basis(r) == a3_allowed
	not contains(r.reasons[0].message, "valid until")
}

# A document's own end date earlier than the months decides.
test_a3_months_valid_until_earlier_wins if {
	doc := object.union(affidavit, {"signed_on": "2026-06-15", "valid_until": "2026-11-21"})
	req := with_fields(minor_with(grandma, [doc], ["consent_sick"]), {"jurisdiction": "US-XX"})
	r := ruling_for(req, "consent_sick")
		with data.jurisdictions as jurisdictions_plus(a3_affidavit_law({"validity_months": 12}))
	verdict_basis(r) == a3_expired
}

# ---------------------------------------------------------------------------
# Affidavits that count only once no guardian can be reached.

a3_unreachable_law := a3_affidavit_law({
	"guardian_unreachable_required": true,
	"nonrelative_scope": ["consent_wellness"],
	"nonrelative_limit": {"consent_wellness": "Only the school's sports physical."},
})

# A non-relative's affidavit needs the guardians unreachable too, and then
# carries both the contact attempts and its limit.
test_a3_unreachable_required_nonrelative_affidavit if {
	doc := object.union(affidavit, {"grantee": "per-nbr", "relative": false})
	req := with_fields(minor_with(neighbor, [doc], ["consent_wellness"]), {"jurisdiction": "US-XX"})
	reachable := ruling_for(req, "consent_wellness") with data.jurisdictions as jurisdictions_plus(a3_unreachable_law)
	reachable.verdict == "deny"
	reachable.basis != "CAREGIVER_AFFIDAVIT"
	unreachable := ruling_for(with_desk(req, {"guardian_unreachable": true}), "consent_wellness")
		with data.jurisdictions as jurisdictions_plus(a3_unreachable_law)
	verdict_basis(unreachable) == ["allow_with_conditions", "CAREGIVER_AFFIDAVIT"]
	codes(unreachable.conditions) == ["DOCUMENT_CONTACT_ATTEMPTS", "LIMIT_TO_SCHOOL_CARE"]
	contains(unreachable.reasons[0].message, "non-relative")
}

# A relative the law does not count as one (the neighbor's affidavit ticked
# "relative") is a non-relative, and the non-relative scope does not reach
# the sick visit.
test_a3_unreachable_required_false_relative_claim if {
	doc := object.union(affidavit, {"grantee": "per-nbr", "relative": true})
	req := with_desk(
		with_fields(minor_with(neighbor, [doc], ["consent_sick"]), {"jurisdiction": "US-XX"}),
		{"guardian_unreachable": true},
	)
	r := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus(a3_unreachable_law)
	r.verdict == "deny"
}

# Every action the affidavit reaches waits for the guardians to be
# unreachable, the information ones included: a reachable parent decides who hears.
test_a3_unreachable_required_every_action[action] if {
	some action in ["consent_sick", "discuss_care", "receive_records", "pick_up"]
	req := with_fields(minor_with(grandma, [affidavit], [action]), {"jurisdiction": "US-MO"})
	r := ruling_for(req, action)
	r.basis != "CAREGIVER_AFFIDAVIT"
}

# Missouri: once staff documented that no parent can be reached, the
# live-in grandmother's affidavit counts, with the attempts in the chart.
test_a3_missouri_affidavit_once_unreachable if {
	req := with_desk(
		with_fields(minor_with(grandma, [affidavit], ["consent_sick"]), {"jurisdiction": "US-MO"}),
		{"guardian_unreachable": true},
	)
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["allow_with_conditions", "CAREGIVER_AFFIDAVIT"]
	"DOCUMENT_CONTACT_ATTEMPTS" in codes(r.conditions)
}

# A guardian's standing refusal binds the affidavit even when no guardian can
# be reached.
test_a3_unreachable_affidavit_bound_by_refusal if {
	req := with_records(
		with_desk(
			with_fields(minor_with(grandma, [affidavit], ["consent_procedure"]), {"jurisdiction": "US-MO"}),
			{"guardian_unreachable": true},
		),
		{"refusals": [{"by": "per-mom", "covers": ["consent_procedure"]}]},
	)
	r := ruling_for(req, "consent_procedure")
	verdict_basis(r) == ["deny", "GUARDIAN_REFUSED"]
}

# Missouri needs the caregiver to live with the child: with the guardians
# unreachable, the refusal names that requirement, not the reachability.
test_a3_missouri_affidavit_not_living_with if {
	person := object.union(grandma, {"lives_with_patient": false})
	req := with_desk(
		with_fields(minor_with(person, [affidavit], ["consent_sick"]), {"jurisdiction": "US-MO"}),
		{"guardian_unreachable": true},
	)
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_FORMALITIES"]
	contains(r.reasons[0].message, "must live with the child")
}

# The reason says the caregiver lives with the child only when the desk was told so.
test_a3_affidavit_reason_lives_with_only_when_told[lives] if {
	some lives in [true, false]
	person := object.union(grandma, {"lives_with_patient": lives})
	req := with_fields(minor_with(person, [affidavit], ["consent_sick"]), {"jurisdiction": "US-XX"})
	r := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus(a3_affidavit_law({}))
	verdict_basis(r) == a3_allowed
	contains(r.reasons[0].message, "who lives with") == lives
}

# ---------------------------------------------------------------------------
# Written confirmations.

# Kansas: a grandparent's vaccine consent asks for the written confirmation
# that no guardian is reasonably available.
test_a3_kansas_vaccine_written_confirmation if {
	req := with_desk(
		with_fields(minor_with(grandma, [], ["consent_vaccine"]), {"jurisdiction": "US-KS"}),
		{"guardian_unreachable": true},
	)
	r := ruling_for(req, "consent_vaccine")
	verdict_basis(r) == ["allow_with_conditions", "STATUTORY_RELATIVE"]
	[text] := [n.message | some n in r.conditions; n.code == "DOCUMENT_CONTACT_ATTEMPTS"]
	contains(text, "confirm in writing")
	contains(text, "K.S.A.")
}

# Kansas: with a parent reachable, the statute gives nothing.
test_a3_kansas_vaccine_needs_unreachable if {
	req := with_fields(minor_with(grandma, [], ["consent_vaccine"]), {"jurisdiction": "US-KS"})
	r := ruling_for(req, "consent_vaccine")
	r.verdict == "deny"
}

# Maryland: a grandparent relaying the mother's word for a vaccine confirms
# the delegation in writing; one relaying it for a sick visit is not a
# delegate at all (the statute names vaccines only).
test_a3_maryland_verbal_delegation_written if {
	req := with_desk(
		with_fields(minor_with(grandma, [], ["consent_vaccine", "consent_sick"]), {"jurisdiction": "US-MD"}),
		{"verbal_consent": [{"from": "per-mom", "covers": ["consent_vaccine", "consent_sick"]}]},
	)
	d := decide(req)
	verdict_basis(d.actions.consent_vaccine) == ["allow_with_conditions", "VERBAL_CONSENT"]
	[text] := [n.message | some n in d.actions.consent_vaccine.conditions; n.code == "DOCUMENT_VERBAL_CONSENT"]
	startswith(text, "Have Rosa Diaz confirm in writing")
	d.actions.consent_sick.verdict == "deny"
}

# Two delegation statutes cover the action: the first that names the
# companion decides, and its written confirmation is asked for.
test_a3_verbal_delegation_first_statute_decides if {
	settings := {"verbal_delegation": [
		{"statute": "Test §7", "actions": ["consent_sick"], "relationships": ["aunt_uncle"]},
		{"statute": "Test §8", "actions": ["consent_sick"], "relationships": ["grandparent"], "written_confirmation": true},
	]}
	req := with_desk(
		with_fields(minor_with(grandma, [], ["consent_sick"]), {"jurisdiction": "US-XX"}),
		{"verbal_consent": [{"from": "per-mom", "covers": ["consent_sick"]}]},
	)
	r := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
	[text] := [n.message | some n in r.conditions; n.code == "DOCUMENT_VERBAL_CONSENT"]
	contains(text, "Test §8")
	contains(r.reasons[0].message, "Test §8")
}

# A witnessed call and an unwitnessed relay from the same parent: the desk is
# told what the ruling's reason relies on, never a mix of the two.
test_a3_verbal_reason_and_record_agree if {
	settings := {"verbal_delegation": [
		{"statute": "Test §9", "actions": ["consent_sick"], "relationships": ["grandparent"], "written_confirmation": true},
	]}
	req := with_desk(
		with_fields(minor_with(grandma, [], ["consent_sick"]), {"jurisdiction": "US-XX"}),
		{"verbal_consent": [{"from": "per-mom", "covers": ["consent_sick"]}, mom_by_phone(["consent_sick"])]},
	)
	r := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
	r.verdict == "allow_with_conditions"
	[text] := [n.message | some n in r.conditions; n.code == "DOCUMENT_VERBAL_CONSENT"]
	witnessed := contains(r.reasons[0].message, "witnessed by")
	witnessed == startswith(text, "Record in the chart")
}

# ---------------------------------------------------------------------------
# Surrogates by consensus.

a3_incapable(person, jurisdiction) := with_fields(
	asking(brought_by(incapable_adult_request, person), ["consent_sick"]),
	{"jurisdiction": jurisdiction},
)

# Consensus among nobody: with no surrogate classes, no relative decides,
# and the decision is a refusal, not an error.
test_a3_consensus_without_surrogates if {
	settings := {"adult_surrogates": [], "surrogates_by_consensus": true}
	r := ruling_for(a3_incapable(son, "US-XX"), "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
	r.verdict == "deny"
	r.basis != "SURROGATE"
	count(r.remedies) > 0
}

# Consensus chooses among the classes the statute names: a neighbor is not one.
test_a3_consensus_only_among_the_classes if {
	settings := {"adult_surrogates": ["spouse", "adult_child"], "surrogates_by_consensus": true}
	r := ruling_for(a3_incapable(neighbor, "US-XX"), "consent_sick")
		with data.jurisdictions as jurisdictions_plus(settings)
	r.verdict == "deny"
}

# Without the flag, or with it false, the desk confirms the ranking.
test_a3_consensus_false_is_ranked[settings] if {
	some settings in [
		{"adult_surrogates": ["spouse", "adult_child"]},
		{"adult_surrogates": ["spouse", "adult_child"], "surrogates_by_consensus": false},
	]
	r := ruling_for(a3_incapable(son, "US-XX"), "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
	verdict_basis(r) == ["allow_with_conditions", "SURROGATE"]
	[text] := [n.message | some n in r.conditions; n.code == "CONFIRM_NO_HIGHER_SURROGATE"]
	startswith(text, "Confirm nobody higher in the surrogate order")
}

# Colorado: the adult son is told to confirm the interested persons agreed on him.
test_a3_colorado_consensus if {
	r := ruling_for(a3_incapable(son, "US-CO"), "consent_sick")
	verdict_basis(r) == ["allow_with_conditions", "SURROGATE"]
	[text] := [n.message | some n in r.conditions; n.code == "CONFIRM_NO_HIGHER_SURROGATE"]
	contains(text, "confirm they agreed on Eric Hahn")
}

# A surrogate by consensus still needs no one else to decide: an agent on file decides.
test_a3_consensus_agent_decides if {
	settings := {"adult_surrogates": ["spouse", "adult_child"], "surrogates_by_consensus": true}
	req := with_records(a3_incapable(son, "US-XX"), {"documents": [object.union(poa, {"grantee": "per-daughter"})]})
	r := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
	r.verdict == "deny"
}

# ---------------------------------------------------------------------------
# Self-consent limits.

# A 15-year-old asking for themselves, with these statuses, in the test state.
a3_teen(statuses, action) := asking(self_request("2011-06-01", statuses, "US-XX"), [action])

a3_limited_grants := {"self_consent": [
	{"actions": ["consent_behavioral"], "min_age": 14, "limit": "Only crisis counseling."},
	{"actions": ["consent_behavioral"], "min_age": 14, "statuses": ["pregnant"]},
]}

# A grant without a limit for a status the minor lacks leaves the limit of
# the grant that applies; holding the status, the whole action is granted.
test_a3_limit_stays_when_unlimited_grant_does_not_apply if {
	r := ruling_for(a3_teen([], "consent_behavioral"), "consent_behavioral")
		with data.jurisdictions as jurisdictions_plus(a3_limited_grants)
	verdict_basis(r) == ["allow_with_conditions", "MINOR_SELF_CONSENT"]
	[n] := [n | some n in r.conditions; n.code == "LIMIT_TO_SELF_CONSENTED_CARE"]
	n.message == "Only crisis counseling."
	pregnant := ruling_for(a3_teen(["pregnant"], "consent_behavioral"), "consent_behavioral")
		with data.jurisdictions as jurisdictions_plus(a3_limited_grants)
	verdict_basis(pregnant) == ["allow", "MINOR_SELF_CONSENT"]
}

# A limited grant for one action never narrows another action's whole grant.
test_a3_limit_stays_with_its_action if {
	settings := {"self_consent": [
		{"actions": ["consent_behavioral"], "min_age": 14, "limit": "Only crisis counseling."},
		{"actions": ["consent_confidential"], "min_age": 12},
	]}
	r := ruling_for(a3_teen([], "consent_confidential"), "consent_confidential")
		with data.jurisdictions as jurisdictions_plus(settings)
	codes(r.conditions) == ["KEEP_CONFIDENTIAL"]
}

# Too young for the grant: no limit makes it allowed.
test_a3_limit_not_below_min_age if {
	settings := {"self_consent": [{"actions": ["consent_behavioral"], "min_age": 16, "limit": "Only crisis counseling."}]}
	r := ruling_for(a3_teen([], "consent_behavioral"), "consent_behavioral")
		with data.jurisdictions as jurisdictions_plus(settings)
	verdict_basis(r) == ["deny", "MINOR_NEEDS_GUARDIAN"]
}

# A confidential limited grant carries both conditions.
test_a3_limit_and_confidential if {
	settings := {"self_consent": [
		{"actions": ["consent_behavioral"], "min_age": 14, "confidential": true, "limit": "Only crisis counseling."},
	]}
	r := ruling_for(a3_teen([], "consent_behavioral"), "consent_behavioral")
		with data.jurisdictions as jurisdictions_plus(settings)
	code_set(r.conditions) == {"KEEP_CONFIDENTIAL", "LIMIT_TO_SELF_CONSENTED_CARE"}
}

# Two limited grants for one action, both in force: each limit is read once.
test_a3_two_limits_each_once if {
	settings := {"self_consent": [
		{"actions": ["consent_behavioral"], "min_age": 14, "limit": "Only crisis counseling."},
		{"actions": ["consent_behavioral"], "min_age": 12, "limit": "Only crisis counseling."},
	]}
	r := ruling_for(a3_teen([], "consent_behavioral"), "consent_behavioral")
		with data.jurisdictions as jurisdictions_plus(settings)
	codes(r.conditions) == ["LIMIT_TO_SELF_CONSENTED_CARE"]
}

# Oregon at 14 and 15: counseling alone, outpatient only (the grant at 15
# does not reach counseling, so the limit stays).
test_a3_oregon_counseling_limited[birth] if {
	some birth in ["2012-06-01", "2011-06-01"]
	req := asking(self_request(birth, [], "US-OR"), ["consent_behavioral"])
	r := ruling_for(req, "consent_behavioral")
	verdict_basis(r) == ["allow_with_conditions", "MINOR_SELF_CONSENT"]
	code_set(r.conditions) == {"KEEP_CONFIDENTIAL", "LIMIT_TO_SELF_CONSENTED_CARE"}
}

# Washington: at 13 confidential services carry the limit (STI care needs a
# parent); at 14 the whole grant applies.
test_a3_washington_confidential_limit_by_age if {
	at13 := ruling_for(asking(self_request("2013-06-01", [], "US-WA"), ["consent_confidential"]), "consent_confidential")
	"LIMIT_TO_SELF_CONSENTED_CARE" in codes(at13.conditions)
	at14 := ruling_for(asking(self_request("2012-06-01", [], "US-WA"), ["consent_confidential"]), "consent_confidential")
	codes(at14.conditions) == ["KEEP_CONFIDENTIAL"]
}

# ---------------------------------------------------------------------------
# Ranks in ordered statutes.

a3_ranked(order, person) := r if {
	settings := {"unreachable_guardian_statute": [{
		"statute": "Test §11", "actions": ["consent_sick"], "relationships": order, "ordered": true,
	}]}
	req := with_desk(
		with_fields(minor_with(person, [], ["consent_sick"]), {"jurisdiction": "US-XX"}),
		{"guardian_unreachable": true},
	)
	r := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
}

a3_higher_words(r) := [n.message | some n in r.conditions; n.code == "CONFIRM_NO_HIGHER_PRIORITY"]

# A live-in friend named only as a caregiver, ranked in the middle, confirms
# only the relatives above the caregiver class.
test_a3_rank_caregiver_in_the_middle if {
	r := a3_ranked(
		["grandparent", "any_adult_caregiver", "aunt_uncle"],
		object.union(neighbor, {"lives_with_patient": true}),
	)
	verdict_basis(r) == ["allow_with_conditions", "STATUTORY_RELATIVE"]
	[text] := a3_higher_words(r)
	contains(text, "(grandparent)")
}

# A friend who does not live with the child is not named by a caregiver class.
test_a3_rank_caregiver_not_living_with if {
	r := a3_ranked(["grandparent", "any_adult_caregiver"], neighbor)
	r.verdict == "deny"
}

# The first in the order confirms nobody.
test_a3_rank_first_confirms_nobody if {
	r := a3_ranked(["grandparent", "aunt_uncle"], grandma)
	a3_higher_words(r) == []
	"DOCUMENT_CONTACT_ATTEMPTS" in codes(r.conditions)
}

# A relationship written twice ranks at its first place.
test_a3_rank_relationship_twice if {
	r := a3_ranked(["sibling", "aunt_uncle", "grandparent", "aunt_uncle"], aunt)
	[text] := a3_higher_words(r)
	contains(text, "(sibling)")
}

# ---------------------------------------------------------------------------
# Found in review, fixed in the rules.

# An ordered statute ranking the caregiver class above a
# grandparent who does not live with the child: the desk must confirm no
# adult the child lives with can be reached.
test_a3_rank_caregiver_class_above if {
	r := a3_ranked(["any_adult_caregiver", "grandparent"], object.union(grandma, {"lives_with_patient": false}))
	[text] := a3_higher_words(r)
	contains(text, "lives with")
}

# A validity the rules cannot count ("12" as text) never means "no limit".
test_a3_months_text_fails_closed if {
	a3_verdict("2001-01-01", "2026-11-22", {"validity_months": "12"}) == a3_expired
}

# A live-in grandparent is also in the caregiver class ranked
# first, so confirms nobody above.
test_a3_rank_live_in_takes_caregiver_place if {
	r := a3_ranked(["any_adult_caregiver", "aunt_uncle", "grandparent"], grandma)
	a3_higher_words(r) == []
}

# An affidavit missing two requirements names both.
test_a3_affidavit_names_every_missing_requirement if {
	person := object.union(grandma, {"lives_with_patient": false})
	r := ruling_for(
		with_fields(minor_with(person, [affidavit], ["consent_sick"]), {"jurisdiction": "US-MO"}),
		"consent_sick",
	)
	contains(r.reasons[0].message, "no guardian can be reached")
	contains(r.reasons[0].message, "must live with the child")
}

// Package checkin decides, at a medical practice's front desk, what a
// companion may do for a patient: bring them in, consent to their care, hear
// about it, or take them home. Every answer names its basis, the conditions
// staff must meet first and, for a refusal, what would make it a yes.
//
// The rules are Rego, evaluated in-process by Open Policy Agent; the default
// policy is embedded, and compliance staff extend it with overlays (see
// WithOverlay). A typical use:
//
//	engine, err := checkin.New(ctx)
//	...
//	decision, err := engine.Decide(ctx, request)
//	for action, d := range decision.Actions {
//		fmt.Println(action, d.Verdict, d.Basis)
//	}
//
// The contract's names are typed: Action, Relationship, Role, DocumentKind,
// Status and Identity each have a constant per value, a function listing
// them all (Actions, Relationships...) and a Valid method. A basis, and the
// code of every reason, condition, remedy, obligation and notice, is a Code:
// stable for software, whatever the words (CodeVerifyPhotoID). Errors say
// what failed: a *ValidationError for a request that is not the contract's,
// a *LoadError naming each file and line for a policy that does not load, a
// *RecordError for a decision a required recorder could not keep.
//
// Package checkintest checks a policy against scenario files that
// compliance staff write, and generates requests covering the vocabulary.
//
// A decision depends on nothing but the request, the policy and the
// engine's options (the policy may not read the clock, the network or
// random numbers: policy.DeniedBuiltins), so an engine made
// WithDecisionCache answers a request it has decided before from memory,
// exactly, and far faster than evaluating. The key is every field of the
// request, with at as the policy's input gives it (RFC 3339, in the
// request's own offset) cut to its first ten characters, the local date,
// when no rule a decision may evaluate reads more of at than
// substring(input.at, 0, 10). New and Reload find that out from the
// policy's rules; when one reads more, as a rule on the time of day does,
// or could, reading the input whole or by a computed key, the key keeps at
// whole and the engine's logger names the rule.
//
// # How a decision is reached
//
// Each requested action is decided on its own; the first rule that applies wins.
//
//  1. Invalid input: a request naming anything outside the vocabulary, with
//     a malformed date or jurisdiction code, missing a required field (a
//     grantor where the document's kind needs one, actions for an entry that
//     covers them), giving an id twice, calling the patient's id anything
//     but "self", with a refusal by someone not among the guardians, or over
//     the limits (MaxEntries, MaxActions, MaxTextLength)
//     is not decided; Decide returns a *ValidationError listing every
//     problem. ParseRequest also rejects JSON that is not the contract's:
//     nulls, keys that are not fields (case variants included), keys given
//     twice, more than MaxRequestBytes.
//  2. Self: the companion is the patient. An adult (by the jurisdiction's age,
//     or a status it treats as emancipating) may do everything (SELF). A minor
//     may consent alone where the jurisdiction allows it for that action, age
//     and status (MINOR_SELF_CONSENT; KEEP_CONFIDENTIAL where the profile says
//     the law makes the care confidential, always for consent_confidential),
//     and then also controls the information about that care
//     (MINOR_SELF_CONSENT with LIMIT_TO_SELF_CONSENTED_CARE). Otherwise a
//     guardian is needed (MINOR_NEEDS_GUARDIAN), except for consent in an
//     emergency, which rule 4 decides.
//  3. Restriction: an active court order, protective order, abuse concern or
//     practice flag barring the companion from the action denies it
//     (RESTRICTED_BY_ORDER), guardians included, with a way forward (an
//     unrestricted guardian, then BRING_COURT_ORDER); never care that cannot
//     wait (rule 4). A barred person is no source of authority: their
//     documents, consent by phone and refusals count for nothing for what
//     they are barred from, and no remedy, condition or obligation names them.
//  4. Emergency: when a clinician judges it an emergency and the patient is a
//     minor or an adult lacking capacity, every consent action is allowed on
//     conditions NOTIFY_GUARDIAN and DOCUMENT_EMERGENCY (EMERGENCY), whoever
//     the companion is, restricted or not (then FOLLOW_SAFETY_PROTOCOL),
//     unless the companion could consent anyway (a custodial guardian, a
//     court guardian, a healthcare agent whose document covers the action).
//  5. Adult patient with capacity: consent is the patient's own
//     (PATIENT_DECIDES). Presence and discussion need the patient's designation
//     (PATIENT_DESIGNATION) or agreement (PATIENT_AGREES; CONFIRM_PATIENT_AGREES
//     while not yet asked; PATIENT_ABSENT when away). Records need a
//     designation or a HIPAA authorization the patient signed.
//  6. Adult patient lacking capacity: a court guardian (GUARDIAN) or healthcare
//     agent within the document (HEALTHCARE_AGENT; DOCUMENT_SCOPE outside it)
//     decides; otherwise the jurisdiction's surrogate order consents, is told
//     and receives records (SURROGATE, on condition
//     CONFIRM_NO_HIGHER_SURROGATE). Any other adult is treated as in rule 9.
//  7. Minor patient, guardian: a guardian with legal custody decides
//     (GUARDIAN; GUARDIANS_DISAGREE when another guardian refused). A parent
//     without legal custody may not consent (NO_LEGAL_CUSTODY) but may be
//     present and be told (PARENT).
//  8. Minor patient, delegate, in this order: a proxy authorization from a
//     custodial guardian (PROXY_AUTHORIZATION), a caregiver affidavit the
//     jurisdiction recognizes (CAREGIVER_AFFIDAVIT), a foster placement from
//     an agency or court guardian (FOSTER_PLACEMENT), a guardian's own consent
//     by phone (VERBAL_CONSENT), the statute for unreachable guardians
//     (STATUTORY_RELATIVE), a HIPAA authorization for information only
//     (HIPAA_AUTHORIZATION). A guardian's refusal (GUARDIAN_REFUSED) and
//     actions reserved for guardians (GUARDIAN_REQUIRED) bind every delegate;
//     phone consent where writing is needed is WRITTEN_CONSENT_REQUIRED. A
//     companion under the practice's minimum age holds nothing by a document
//     unless a parent. A document that exists but fails names its flaw:
//     DOCUMENT_EXPIRED (with RENEW_DOCUMENT), DOCUMENT_NOT_YET_VALID,
//     DOCUMENT_REVOKED, DOCUMENT_SCOPE, DOCUMENT_NOT_FROM_GUARDIAN,
//     DOCUMENT_FORMALITIES; an affidavit where the law has none, or a document
//     signed by a barred person, is NO_AUTHORITY with the reason
//     DOCUMENT_NOT_RECOGNIZED or DOCUMENT_GRANTOR_RESTRICTED.
//  9. Any other adult companion: may bring the patient in (ADULT_COMPANION),
//     carry the school note where the practice allows it, take home a child
//     they brought, under any practice (ACCOMPANYING_ADULT), and hear the
//     care instructions; under an
//     "authorized_only" practice, not bring in without a delegation
//     (AUTHORIZATION_REQUIRED). Consent and records: NO_AUTHORITY, with
//     remedies, most practical first for the desk as it is now.
//  10. A companion under the practice's minimum age: COMPANION_TOO_YOUNG.
//
// On top of any allow, VERIFY_PHOTO_ID is added when an unverified companion
// acts on a role or document, or the practice requires ID for the action.
// The outcome rolls the verdicts up: proceed, proceed_with_conditions,
// partial, escalate or refuse.
//
// Rules that differ by state or by practice are data, not code: jurisdiction
// profiles (each entry with its source) and practice profiles, which may be
// stricter than the law but never looser. The jurisdiction data is a starting
// point with sources to verify, not legal advice.
package checkin

package checkin

// A Code names a reason, condition, remedy, obligation or notice, and an
// action's basis: stable for software, whatever the words say. The default
// policy produces the codes below; an overlay's rules may add their own.
type Code string

// The codes of the default policy.
const (
	// Bases: the code of the rule that decided an action, also its first reason.
	CodeSelf                    Code = "SELF"                       // an adult patient asking for themselves
	CodeMinorSelfConsent        Code = "MINOR_SELF_CONSENT"         // a minor the jurisdiction lets consent alone
	CodeMinorNeedsGuardian      Code = "MINOR_NEEDS_GUARDIAN"       // a minor who may not decide this alone
	CodeRestrictedByOrder       Code = "RESTRICTED_BY_ORDER"        // a restriction on file bars the companion
	CodeEmergency               Code = "EMERGENCY"                  // care that cannot wait for consent
	CodePatientDecides          Code = "PATIENT_DECIDES"            // an adult patient's consent is their own
	CodePatientDesignation      Code = "PATIENT_DESIGNATION"        // the adult patient designated the companion
	CodePatientAgrees           Code = "PATIENT_AGREES"             // the adult patient agreed at the desk
	CodePatientAbsent           Code = "PATIENT_ABSENT"             // the adult patient is not there to agree
	CodePatientLacksCapacity    Code = "PATIENT_LACKS_CAPACITY"     // the adult asking for themselves lacks capacity
	CodeGuardian                Code = "GUARDIAN"                   // a guardian with legal custody, or a court guardian
	CodeParent                  Code = "PARENT"                     // a parent without legal custody, present or told
	CodeNoLegalCustody          Code = "NO_LEGAL_CUSTODY"           // a parent whose custody order excludes this
	CodeHealthcareAgent         Code = "HEALTHCARE_AGENT"           // an agent under a healthcare power of attorney
	CodeSurrogate               Code = "SURROGATE"                  // the jurisdiction's surrogate order
	CodeProxyAuthorization      Code = "PROXY_AUTHORIZATION"        // a custodial guardian's written authorization
	CodeCaregiverAffidavit      Code = "CAREGIVER_AFFIDAVIT"        // a caregiver's affidavit; also a remedy
	CodeFosterPlacement         Code = "FOSTER_PLACEMENT"           // a placement by an agency or court guardian
	CodeVerbalConsent           Code = "VERBAL_CONSENT"             // a guardian's consent by phone
	CodeStatutoryRelative       Code = "STATUTORY_RELATIVE"         // the statute for unreachable guardians
	CodeHIPAAAuthorization      Code = "HIPAA_AUTHORIZATION"        // a release of information, never consent
	CodeGuardianRefused         Code = "GUARDIAN_REFUSED"           // a guardian's refusal binds every delegate
	CodeGuardianRequired        Code = "GUARDIAN_REQUIRED"          // an action reserved for guardians
	CodeWrittenConsentRequired  Code = "WRITTEN_CONSENT_REQUIRED"   // consent by phone where writing is needed
	CodeDocumentExpired         Code = "DOCUMENT_EXPIRED"           // the document's last day has passed
	CodeDocumentNotYetValid     Code = "DOCUMENT_NOT_YET_VALID"     // the document's first day is to come
	CodeDocumentRevoked         Code = "DOCUMENT_REVOKED"           // the document was revoked
	CodeDocumentScope           Code = "DOCUMENT_SCOPE"             // the document does not cover the action
	CodeDocumentNotFromGuardian Code = "DOCUMENT_NOT_FROM_GUARDIAN" // not granted by who may grant it
	CodeDocumentFormalities     Code = "DOCUMENT_FORMALITIES"       // lacks the witnesses or notary the law asks
	CodeNoAuthority             Code = "NO_AUTHORITY"               // nothing gives the companion authority
	CodeAdultCompanion          Code = "ADULT_COMPANION"            // any adult may bring the patient in
	CodeAccompanyingAdult       Code = "ACCOMPANYING_ADULT"         // the adult who brought the patient
	CodeAuthorizationRequired   Code = "AUTHORIZATION_REQUIRED"     // the practice wants a delegation to bring in
	CodeCompanionTooYoung       Code = "COMPANION_TOO_YOUNG"        // under the practice's minimum age

	// Reasons that are never a basis: why a document counts for nothing.
	CodeDocumentNotRecognized     Code = "DOCUMENT_NOT_RECOGNIZED"     // a kind the jurisdiction's law does not know
	CodeDocumentGrantorRestricted Code = "DOCUMENT_GRANTOR_RESTRICTED" // signed by a person a restriction bars

	// Conditions: what staff must do before going ahead. Several are also
	// obligations of the visit.
	CodeVerifyPhotoID            Code = "VERIFY_PHOTO_ID"
	CodeRecordRelationship       Code = "RECORD_RELATIONSHIP"
	CodeNotifyGuardian           Code = "NOTIFY_GUARDIAN"
	CodeDocumentEmergency        Code = "DOCUMENT_EMERGENCY"
	CodeDocumentVerbalConsent    Code = "DOCUMENT_VERBAL_CONSENT"
	CodeDocumentContactAttempts  Code = "DOCUMENT_CONTACT_ATTEMPTS"
	CodeConfirmPatientAgrees     Code = "CONFIRM_PATIENT_AGREES"
	CodeConfirmNoHigherSurrogate Code = "CONFIRM_NO_HIGHER_SURROGATE"
	CodeConfirmNoHigherPriority  Code = "CONFIRM_NO_HIGHER_PRIORITY"
	CodeGuardiansDisagree        Code = "GUARDIANS_DISAGREE"
	CodeKeepConfidential         Code = "KEEP_CONFIDENTIAL"
	CodeLimitToSelfConsentedCare Code = "LIMIT_TO_SELF_CONSENTED_CARE"
	CodeLimitToCareInstructions  Code = "LIMIT_TO_CARE_INSTRUCTIONS"
	CodeLimitToSchoolCare        Code = "LIMIT_TO_SCHOOL_CARE"

	// Remedies: on a deny, what would make it allowed.
	CodeCallGuardian               Code = "CALL_GUARDIAN"
	CodeSignProxyForm              Code = "SIGN_PROXY_FORM"
	CodeWrittenGuardianConsent     Code = "WRITTEN_GUARDIAN_CONSENT"
	CodeGuardianUnreachableStatute Code = "GUARDIAN_UNREACHABLE_STATUTE"
	CodeRenewDocument              Code = "RENEW_DOCUMENT"
	CodeBringCourtOrder            Code = "BRING_COURT_ORDER"
	CodeAskPatient                 Code = "ASK_PATIENT"
	CodeAskManager                 Code = "ASK_MANAGER"

	// Obligations of the visit that are never a condition.
	CodeCopyDocument         Code = "COPY_DOCUMENT"
	CodeFollowSafetyProtocol Code = "FOLLOW_SAFETY_PROTOCOL"

	// Notices: what the desk should know.
	CodeDocumentExpiresSoon   Code = "DOCUMENT_EXPIRES_SOON"
	CodeJurisdictionDefaulted Code = "JURISDICTION_DEFAULTED"
	CodeJurisdictionAmended   Code = "JURISDICTION_AMENDED"
)

package checkin

import "slices"

// An Action is something a companion asks to do for a patient. Actions fall
// into three powers the law grants separately: presence, consent and information.
type Action string

const (
	Accompany           Action = "accompany"            // bring the patient in and stay during the visit
	ConsentSick         Action = "consent_sick"         // examination, tests and treatment of an acute problem
	ConsentWellness     Action = "consent_wellness"     // well visit, check-up, school or sports physical
	ConsentVaccine      Action = "consent_vaccine"      // immunizations
	ConsentProcedure    Action = "consent_procedure"    // surgery, sedation, anesthesia, other invasive procedures
	ConsentBehavioral   Action = "consent_behavioral"   // mental or behavioral health care, psychotropic medication
	ConsentConfidential Action = "consent_confidential" // services a minor may receive in confidence
	DiscussCare         Action = "discuss_care"         // be told about the patient's condition and care
	ReceiveRecords      Action = "receive_records"      // copies of records, visit summaries, portal access
	SchoolNote          Action = "school_note"          // an attendance note: only that the visit happened
	PickUp              Action = "pick_up"              // take a minor patient home after the visit
)

var actions = []Action{
	Accompany, ConsentSick, ConsentWellness, ConsentVaccine, ConsentProcedure, ConsentBehavioral,
	ConsentConfidential, DiscussCare, ReceiveRecords, SchoolNote, PickUp,
}

// Actions returns every action, in the contract's order.
func Actions() []Action { return slices.Clone(actions) }

// Valid reports whether a is one of the contract's actions. AllActions is
// not: it stands for them all in what covers actions.
func (a Action) Valid() bool { return slices.Contains(actions, a) }

// A Relationship is who the companion claims to be to the patient. It says
// who someone is, not what they may do.
type Relationship string

const (
	Self             Relationship = "self"
	Parent           Relationship = "parent"
	AdoptiveParent   Relationship = "adoptive_parent"
	Stepparent       Relationship = "stepparent"
	ParentPartner    Relationship = "parent_partner" // a parent's partner, neither married nor adoptive
	FosterParent     Relationship = "foster_parent"
	Grandparent      Relationship = "grandparent"
	GreatGrandparent Relationship = "great_grandparent"
	AuntUncle        Relationship = "aunt_uncle"
	Sibling          Relationship = "sibling"
	Cousin           Relationship = "cousin"
	OtherRelative    Relationship = "other_relative"
	Spouse           Relationship = "spouse"
	DomesticPartner  Relationship = "domestic_partner"
	AdultChild       Relationship = "adult_child"
	Friend           Relationship = "friend"
	Neighbor         Relationship = "neighbor"
	Sitter           Relationship = "sitter" // babysitter, nanny, au pair
	SchoolStaff      Relationship = "school_staff"
	LegalGuardian    Relationship = "legal_guardian"
	HealthcareAgent  Relationship = "healthcare_agent"
	OtherPerson      Relationship = "other"
)

var relationships = []Relationship{
	Self, Parent, AdoptiveParent, Stepparent, ParentPartner, FosterParent, Grandparent, GreatGrandparent,
	AuntUncle, Sibling, Cousin, OtherRelative, Spouse, DomesticPartner, AdultChild, Friend, Neighbor,
	Sitter, SchoolStaff, LegalGuardian, HealthcareAgent, OtherPerson,
}

// Relationships returns every relationship, in the contract's order.
func Relationships() []Relationship { return slices.Clone(relationships) }

// Valid reports whether r is one of the contract's relationships.
func (r Relationship) Valid() bool { return slices.Contains(relationships, r) }

// A Role is the legal standing of a guardian on record.
type Role string

const (
	RoleParent         Role = "parent"
	RoleAdoptiveParent Role = "adoptive_parent"
	RoleCourtGuardian  Role = "court_guardian"
	RoleAgency         Role = "agency"
)

var roles = []Role{RoleParent, RoleAdoptiveParent, RoleCourtGuardian, RoleAgency}

// Roles returns every guardian role.
func Roles() []Role { return slices.Clone(roles) }

// Valid reports whether r is one of the contract's guardian roles.
func (r Role) Valid() bool { return slices.Contains(roles, r) }

// A DocumentKind is the kind of a document on file.
type DocumentKind string

const (
	ProxyAuthorization DocumentKind = "proxy_authorization" // a guardian authorizes a named adult
	CaregiverAffidavit DocumentKind = "caregiver_affidavit" // a caregiver's statutory affidavit
	HIPAAAuthorization DocumentKind = "hipaa_authorization" // release of information; never consent
	HealthcarePOA      DocumentKind = "healthcare_poa"      // an adult's healthcare power of attorney
	FosterPlacement    DocumentKind = "foster_placement"    // a foster placement letter
)

var documentKinds = []DocumentKind{ProxyAuthorization, CaregiverAffidavit, HIPAAAuthorization, HealthcarePOA, FosterPlacement}

// DocumentKinds returns every document kind.
func DocumentKinds() []DocumentKind { return slices.Clone(documentKinds) }

// Valid reports whether k is one of the contract's document kinds.
func (k DocumentKind) Valid() bool { return slices.Contains(documentKinds, k) }

// A Status is a fact about a minor patient that the jurisdiction may treat
// as making them an adult, or as letting them consent.
type Status string

const (
	Emancipated    Status = "emancipated"
	Married        Status = "married"
	Military       Status = "military"
	MinorParent    Status = "minor_parent"
	Pregnant       Status = "pregnant"
	SelfSupporting Status = "self_supporting"
)

var statuses = []Status{Emancipated, Married, Military, MinorParent, Pregnant, SelfSupporting}

// Statuses returns every patient status.
func Statuses() []Status { return slices.Clone(statuses) }

// Valid reports whether s is one of the contract's patient statuses.
func (s Status) Valid() bool { return slices.Contains(statuses, s) }

// An Identity says how staff know the companion is who they say.
type Identity string

const (
	PhotoID      Identity = "photo_id"
	KnownToStaff Identity = "known_to_staff"
	Unverified   Identity = "unverified" // the zero value means this
)

var identities = []Identity{PhotoID, KnownToStaff, Unverified}

// Identities returns every identity check.
func Identities() []Identity { return slices.Clone(identities) }

// Valid reports whether i is one of the contract's identity checks. The
// zero value is not, though a request may leave the field out to mean Unverified.
func (i Identity) Valid() bool { return slices.Contains(identities, i) }

// A Verdict is the answer for one action.
type Verdict string

const (
	Allow               Verdict = "allow"
	AllowWithConditions Verdict = "allow_with_conditions" // allowed once the conditions are met
	Deny                Verdict = "deny"
	Escalate            Verdict = "escalate" // a manager or clinician must decide
)

var verdicts = []Verdict{Allow, AllowWithConditions, Deny, Escalate}

// Verdicts returns every verdict, in the contract's order.
func Verdicts() []Verdict { return slices.Clone(verdicts) }

// Valid reports whether v is one of the contract's verdicts.
func (v Verdict) Valid() bool { return slices.Contains(verdicts, v) }

// An Outcome rolls up the verdicts of a decision.
type Outcome string

const (
	Proceed               Outcome = "proceed"                 // all allowed, no conditions
	ProceedWithConditions Outcome = "proceed_with_conditions" // all allowed, some with conditions
	Partial               Outcome = "partial"                 // some denied
	OutcomeEscalate       Outcome = "escalate"                // some escalated
	Refuse                Outcome = "refuse"                  // all denied
	Invalid               Outcome = "invalid"                 // the request could not be decided
)

var outcomes = []Outcome{Proceed, ProceedWithConditions, Partial, OutcomeEscalate, Refuse, Invalid}

// Outcomes returns every outcome, in the contract's order, Invalid last.
func Outcomes() []Outcome { return slices.Clone(outcomes) }

// Valid reports whether o is one of the contract's outcomes (Invalid too).
func (o Outcome) Valid() bool { return slices.Contains(outcomes, o) }

// AllActions is the wildcard that makes a restriction, refusal or designation
// cover every action.
const AllActions Action = "*"

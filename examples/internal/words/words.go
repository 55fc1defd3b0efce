// Package words is the clerk's words for the contract's vocabulary, by
// language, shared by the programs in examples: the demo, the decision
// service's cards, its case page and its report. The policy words its own
// decisions (checkin.WithLanguage); these are the labels around them.
package words

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// Vocabulary is one language's words for every value of the contract's
// vocabulary. A value missing from a table is shown as its code (Label).
type Vocabulary struct {
	Verdicts      map[checkin.Verdict]string
	Outcomes      map[checkin.Outcome]string
	Actions       map[checkin.Action]string
	Relationships map[checkin.Relationship]string
	Roles         map[checkin.Role]string
	DocumentKinds map[checkin.DocumentKind]string
	Statuses      map[checkin.Status]string
	Identities    map[checkin.Identity]string
	// RestrictionSources are the sources of a restriction the contract names.
	RestrictionSources map[string]string
}

// Label is k's words in table, or k itself.
func Label[K ~string](table map[K]string, k K) string {
	if s, ok := table[k]; ok {
		return s
	}
	return string(k)
}

// Languages lists the languages there are words for, sorted.
func Languages() []string { return slices.Sorted(maps.Keys(vocabularies)) }

// For returns the words in lang, or an error naming the languages there are.
func For(lang string) (*Vocabulary, error) {
	if v, ok := vocabularies[lang]; ok {
		return v, nil
	}
	return nil, fmt.Errorf("unknown language %q: there are words for %s", lang, strings.Join(Languages(), " and "))
}

// RestrictionSources lists the sources of a restriction the contract names,
// in its order.
func RestrictionSources() []string {
	return []string{"protective_order", "court_order", "abuse_concern", "practice_flag"}
}

var vocabularies = map[string]*Vocabulary{
	"en": {
		Verdicts: map[checkin.Verdict]string{
			checkin.Allow:               "allowed",
			checkin.AllowWithConditions: "allowed, with conditions",
			checkin.Deny:                "refused",
			checkin.Escalate:            "ask a manager",
		},
		Outcomes: map[checkin.Outcome]string{
			checkin.Proceed:               "go ahead",
			checkin.ProceedWithConditions: "go ahead, with conditions",
			checkin.Partial:               "partly refused",
			checkin.Refuse:                "refused",
			checkin.OutcomeEscalate:       "ask a manager",
			checkin.Invalid:               "could not be decided",
		},
		Actions: map[checkin.Action]string{
			checkin.Accompany:           "bring in and stay",
			checkin.ConsentSick:         "consent to a sick visit",
			checkin.ConsentWellness:     "consent to a check-up",
			checkin.ConsentVaccine:      "consent to vaccines",
			checkin.ConsentProcedure:    "consent to a procedure",
			checkin.ConsentBehavioral:   "consent to mental health care",
			checkin.ConsentConfidential: "consent to confidential services",
			checkin.DiscussCare:         "hear about the care",
			checkin.ReceiveRecords:      "receive records",
			checkin.SchoolNote:          "get a school note",
			checkin.PickUp:              "take home",
			checkin.AllActions:          "everything",
		},
		Relationships: map[checkin.Relationship]string{
			checkin.Self:             "the patient",
			checkin.Parent:           "parent",
			checkin.AdoptiveParent:   "adoptive parent",
			checkin.Stepparent:       "stepparent",
			checkin.ParentPartner:    "parent's partner",
			checkin.FosterParent:     "foster parent",
			checkin.Grandparent:      "grandparent",
			checkin.GreatGrandparent: "great-grandparent",
			checkin.AuntUncle:        "aunt or uncle",
			checkin.Sibling:          "brother or sister",
			checkin.Cousin:           "cousin",
			checkin.OtherRelative:    "other relative",
			checkin.Spouse:           "spouse",
			checkin.DomesticPartner:  "domestic partner",
			checkin.AdultChild:       "adult son or daughter",
			checkin.Friend:           "friend",
			checkin.Neighbor:         "neighbor",
			checkin.Sitter:           "sitter or nanny",
			checkin.SchoolStaff:      "school staff",
			checkin.LegalGuardian:    "legal guardian",
			checkin.HealthcareAgent:  "healthcare agent",
			checkin.OtherPerson:      "someone else",
		},
		Roles: map[checkin.Role]string{
			checkin.RoleParent:         "parent",
			checkin.RoleAdoptiveParent: "adoptive parent",
			checkin.RoleCourtGuardian:  "court-appointed guardian",
			checkin.RoleAgency:         "agency (child welfare)",
		},
		DocumentKinds: map[checkin.DocumentKind]string{
			checkin.ProxyAuthorization: "guardian's written authorization",
			checkin.CaregiverAffidavit: "caregiver's affidavit",
			checkin.HIPAAAuthorization: "release of information (HIPAA)",
			checkin.HealthcarePOA:      "healthcare power of attorney",
			checkin.FosterPlacement:    "foster placement letter",
		},
		Statuses: map[checkin.Status]string{
			checkin.Emancipated:    "emancipated",
			checkin.Married:        "married",
			checkin.Military:       "in the military",
			checkin.MinorParent:    "a parent",
			checkin.Pregnant:       "pregnant",
			checkin.SelfSupporting: "self-supporting",
		},
		Identities: map[checkin.Identity]string{
			checkin.PhotoID:      "photo ID checked",
			checkin.KnownToStaff: "known to staff",
			checkin.Unverified:   "not checked",
		},
		RestrictionSources: map[string]string{
			"protective_order": "protective order",
			"court_order":      "court order",
			"abuse_concern":    "abuse concern",
			"practice_flag":    "practice flag",
		},
	},
	"es": {
		Verdicts: map[checkin.Verdict]string{
			checkin.Allow:               "permitido",
			checkin.AllowWithConditions: "permitido con condiciones",
			checkin.Deny:                "denegado",
			checkin.Escalate:            "consultar",
		},
		Outcomes: map[checkin.Outcome]string{
			checkin.Proceed:               "seguir adelante",
			checkin.ProceedWithConditions: "seguir adelante, con condiciones",
			checkin.Partial:               "parcial",
			checkin.Refuse:                "rechazado",
			checkin.OutcomeEscalate:       "consultar",
			checkin.Invalid:               "no se pudo decidir",
		},
		Actions: map[checkin.Action]string{
			checkin.Accompany:           "acompañar",
			checkin.ConsentSick:         "consulta por enfermedad",
			checkin.ConsentWellness:     "chequeo de rutina",
			checkin.ConsentVaccine:      "vacunas",
			checkin.ConsentProcedure:    "procedimiento",
			checkin.ConsentBehavioral:   "salud mental",
			checkin.ConsentConfidential: "servicios confidenciales",
			checkin.DiscussCare:         "información sobre la atención",
			checkin.ReceiveRecords:      "expediente médico",
			checkin.SchoolNote:          "nota para la escuela",
			checkin.PickUp:              "llevar a casa",
			checkin.AllActions:          "todo",
		},
		Relationships: map[checkin.Relationship]string{
			checkin.Self:             "paciente",
			checkin.Parent:           "padre o madre",
			checkin.AdoptiveParent:   "padre o madre por adopción",
			checkin.Stepparent:       "padrastro o madrastra",
			checkin.ParentPartner:    "pareja del padre o de la madre",
			checkin.FosterParent:     "padre o madre de crianza",
			checkin.Grandparent:      "abuelo o abuela",
			checkin.GreatGrandparent: "bisabuelo o bisabuela",
			checkin.AuntUncle:        "tío o tía",
			checkin.Sibling:          "hermano o hermana",
			checkin.Cousin:           "primo o prima",
			checkin.OtherRelative:    "familiar",
			checkin.Spouse:           "cónyuge",
			checkin.DomesticPartner:  "pareja de hecho",
			checkin.AdultChild:       "hijo o hija mayor de edad",
			checkin.Friend:           "amigo o amiga",
			checkin.Neighbor:         "vecino o vecina",
			checkin.Sitter:           "niñera o niñero",
			checkin.SchoolStaff:      "personal de la escuela",
			checkin.LegalGuardian:    "tutor legal",
			checkin.HealthcareAgent:  "representante para decisiones médicas",
			checkin.OtherPerson:      "acompañante",
		},
		Roles: map[checkin.Role]string{
			checkin.RoleParent:         "padre o madre",
			checkin.RoleAdoptiveParent: "padre o madre por adopción",
			checkin.RoleCourtGuardian:  "tutor nombrado por un juez",
			checkin.RoleAgency:         "agencia de protección infantil",
		},
		DocumentKinds: map[checkin.DocumentKind]string{
			checkin.ProxyAuthorization: "autorización por escrito del padre, madre o tutor",
			checkin.CaregiverAffidavit: "declaración jurada del cuidador",
			checkin.HIPAAAuthorization: "autorización para divulgar información (HIPAA)",
			checkin.HealthcarePOA:      "poder notarial para decisiones médicas",
			checkin.FosterPlacement:    "carta de colocación en hogar de crianza",
		},
		Statuses: map[checkin.Status]string{
			checkin.Emancipated:    "emancipado",
			checkin.Married:        "casado",
			checkin.Military:       "en el ejército",
			checkin.MinorParent:    "es padre o madre",
			checkin.Pregnant:       "embarazada",
			checkin.SelfSupporting: "se mantiene solo",
		},
		Identities: map[checkin.Identity]string{
			checkin.PhotoID:      "identificación con foto revisada",
			checkin.KnownToStaff: "conocido por el personal",
			checkin.Unverified:   "sin revisar",
		},
		RestrictionSources: map[string]string{
			"protective_order": "orden de protección",
			"court_order":      "orden judicial",
			"abuse_concern":    "sospecha de maltrato",
			"practice_flag":    "alerta del consultorio",
		},
	},
}

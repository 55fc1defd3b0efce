package fhir

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	models "github.com/samply/golang-fhir-models/fhir-models/fhir"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// Code systems a check-in's FHIR uses.
const (
	// RoleCodeSystem is HL7 v3 RoleCode: family and personal relationships,
	// and the responsible-party codes GUARD, POWATT, HPOWATT.
	RoleCodeSystem = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
	// ContactRoleSystem is HL7 v2 table 0131: contact roles (C emergency
	// contact, N next of kin...). A contact role says whom to call, not who
	// someone is.
	ContactRoleSystem = "http://terminology.hl7.org/CodeSystem/v2-0131"

	// RelationshipSystem is this project's code system for the contract's
	// relationships, each as a code ("sitter", "school_staff",
	// "parent_partner"...), for what RoleCode has no code for.
	RelationshipSystem = "https://github.com/frontdesk-policy/frontdesk/fhir/CodeSystem/relationship"
	// DocumentKindSystem is this project's code system for the contract's
	// document kinds ("proxy_authorization", "caregiver_affidavit"...), for a
	// Consent.category that says exactly which document a Consent is.
	DocumentKindSystem = "https://github.com/frontdesk-policy/frontdesk/fhir/CodeSystem/document-kind"
	// ActionSystem is this project's code system for the contract's actions
	// ("consent_sick", "pick_up"...), for Consent.provision.action.
	ActionSystem = "https://github.com/frontdesk-policy/frontdesk/fhir/CodeSystem/action"

	consentScopeSystem    = "http://terminology.hl7.org/CodeSystem/consentscope"
	consentCategorySystem = "http://terminology.hl7.org/CodeSystem/consentcategorycodes"
	consentActionSystem   = "http://terminology.hl7.org/CodeSystem/consentaction"
)

// A RelationshipCode maps one coding of RelatedPerson.relationship to the
// contract's relationship. Specificity ranks codings of one RelatedPerson:
// the highest wins. In the shipped table it is the code's depth in RoleCode's
// is-a hierarchy below _PersonalRelationshipRoleType (FAMMEMB 1, PRN 2, MTH 3,
// NMTH 4; FRND, NBOR and ONESELF 1), the responsible-party codes counting
// from 0 (GUARD and POWATT 0, HPOWATT 1: a legal role yields to kinship, so a
// mother also coded GUARD is a parent), and this project's own codes 10.
type RelationshipCode struct {
	System       string               `json:"system"`
	Code         string               `json:"code"`
	Display      string               `json:"display"`
	Relationship checkin.Relationship `json:"relationship"`
	Specificity  int                  `json:"specificity"`
}

//go:embed relationships.json
var shippedRelationships []byte

var shippedTable = mustTable(shippedRelationships)

func mustTable(data []byte) []RelationshipCode {
	rows, err := ParseRelationshipCodes(data)
	if err != nil {
		panic("fhir: the shipped relationships.json: " + err.Error())
	}
	return rows
}

// RelationshipCodes returns the shipped table of relationship codes
// (relationships.json).
func RelationshipCodes() []RelationshipCode { return slices.Clone(shippedTable) }

// ParseRelationshipCodes reads rows of a relationship table from JSON: a
// list of {"system", "code", "display", "relationship", "specificity"}, as in
// relationships.json. Keys are matched exactly; each row must name a system,
// a code and one of the contract's relationships, with a specificity from 0
// to 100.
func ParseRelationshipCodes(data []byte) ([]RelationshipCode, error) {
	var found issues
	w := walk{strict: true}
	w.check(data, shapeFor(reflectTypeOf[[]RelationshipCode](), nil), "relationships")
	found = append(found, w.problems...)
	if len(found) > 0 {
		return nil, found.err()
	}
	var rows []RelationshipCode
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&rows); err != nil {
		return nil, (issues{{Path: "relationships", Code: codeStructure, Message: err.Error()}}).err()
	}
	for i, row := range rows {
		at := fmt.Sprintf("relationships[%d]", i)
		if row.System == "" {
			found.add("", at+".system", codeRequired, "is required")
		}
		if row.Code == "" {
			found.add("", at+".code", codeRequired, "is required")
		}
		if !row.Relationship.Valid() {
			found.add("", at+".relationship", codeCodeInvalid, "%s is not one of the contract's relationships", quote(string(row.Relationship)))
		}
		if row.Specificity < 0 || row.Specificity > 100 {
			found.add("", at+".specificity", codeValue, "%d is not from 0 to 100", row.Specificity)
		}
		if row.System == ContactRoleSystem {
			found.add("", at+".system", codeValue, "v2-0131 codes are contact roles, not relationships; map a RoleCode or a code of your own")
		}
	}
	return rows, found.err()
}

// A Mapper maps a check-in's FHIR resources to a checkin.Request, reading
// relationships with its table. It is safe for concurrent use.
type Mapper struct {
	table map[codingKey]RelationshipCode
}

type codingKey struct{ system, code string }

var defaultMapper = func() *Mapper {
	m, err := NewMapper()
	if err != nil {
		panic("fhir: " + err.Error())
	}
	return m
}()

// NewMapper returns a Mapper with the shipped relationship table and a
// practice's extra rows (its own codes, or RoleCode codes the table leaves
// out, such as GESTM). An extra row may repeat a shipped row (same system and
// code) only with the same relationship and specificity: a practice adds
// codes but never silently changes what a shipped one means or how it ranks
// against another. Two extra rows for one code must agree too. Rows are checked as ParseRelationshipCodes does.
func NewMapper(extra ...RelationshipCode) (*Mapper, error) {
	m := &Mapper{table: map[codingKey]RelationshipCode{}}
	for _, row := range shippedTable {
		m.table[codingKey{row.System, row.Code}] = row
	}
	var found issues
	for i, row := range extra {
		at := fmt.Sprintf("relationships[%d]", i)
		switch {
		case row.System == "" || row.Code == "":
			found.add("", at, codeRequired, "a row needs a system and a code")
			continue
		case row.System == ContactRoleSystem:
			found.add("", at+".system", codeValue, "v2-0131 codes are contact roles, not relationships; map a RoleCode or a code of your own")
			continue
		case !row.Relationship.Valid():
			found.add("", at+".relationship", codeCodeInvalid, "%s is not one of the contract's relationships", quote(string(row.Relationship)))
			continue
		case row.Specificity < 0 || row.Specificity > 100:
			found.add("", at+".specificity", codeValue, "%d is not from 0 to 100", row.Specificity)
			continue
		}
		key := codingKey{row.System, row.Code}
		if old, ok := m.table[key]; ok && (old.Relationship != row.Relationship || old.Specificity != row.Specificity) {
			found.add("", at, codeValue, "%s %s is already mapped to %q at specificity %d; a practice may add codes, not change what one means or how it ranks",
				row.System, row.Code, old.Relationship, old.Specificity)
			continue
		}
		m.table[key] = row
	}
	if err := found.err(); err != nil {
		return nil, err
	}
	return m, nil
}

// relationship reads a RelatedPerson's relationship: the most specific of
// its codings the table maps. Contact roles (v2-0131) are set aside; any
// other coding the table does not know is an error, for it may say something
// the mapped one does not (a stepmother coded MTH and, more exactly, in a
// local system). Problems are added to found; ok is false on any.
func (m *Mapper) relationship(x *resource, found *issues) (checkin.Relationship, bool) {
	base := x.ref + ".relationship"
	var best []RelationshipCode
	var contact []string
	ok := true
	n := 0
	for i, cc := range x.related.Relationship {
		for j, c := range cc.Coding {
			n++
			at := fmt.Sprintf("%s[%d].coding[%d]", base, i, j)
			if c.System == nil || c.Code == nil || *c.System == "" || *c.Code == "" {
				found.add(x.ref, at, codeRequired, "a coding needs a system and a code")
				ok = false
				continue
			}
			if *c.System == ContactRoleSystem {
				contact = append(contact, *c.Code)
				continue
			}
			row, known := m.table[codingKey{*c.System, *c.Code}]
			if !known {
				found.add(x.ref, at, codeCodeInvalid, "%s|%s is not a relationship this practice maps: send a %s code such as MTH, GRMTH or AUNT, or a code of %s (sitter, school_staff, parent_partner...)",
					*c.System, *c.Code, RoleCodeSystem, RelationshipSystem)
				ok = false
				continue
			}
			switch {
			case len(best) == 0 || row.Specificity > best[0].Specificity:
				best = []RelationshipCode{row}
			case row.Specificity == best[0].Specificity:
				best = append(best, row)
			}
		}
	}
	switch {
	case !ok:
		return "", false
	case n == 0:
		found.add(x.ref, base, codeRequired, "is required: who the person is to the patient, coded in %s (MTH, AUNT...) or %s (sitter, school_staff, parent_partner)", RoleCodeSystem, RelationshipSystem)
		return "", false
	case len(best) == 0:
		found.add(x.ref, base, codeCodeInvalid, "has only the contact role %s|%s, which says whom to call, not who the person is: add a %s coding such as MTH or AUNT, or a %s code for a sitter, school staff or a parent's partner",
			ContactRoleSystem, strings.Join(contact, ", "), RoleCodeSystem, RelationshipSystem)
		return "", false
	}
	for _, other := range best[1:] {
		if other.Relationship != best[0].Relationship {
			found.add(x.ref, base, codeValue, "codes %s (%s) and %s (%s) equally specifically: say one relationship, or add a more specific code",
				best[0].Code, best[0].Relationship, other.Code, other.Relationship)
			return "", false
		}
	}
	return best[0].Relationship, true
}

// guardianRole says whether a RelatedPerson of the patient is a guardian by
// their relationship: a natural or adoptive parent is the natural guardian,
// with legal custody, unless the facts say otherwise; GUARD (or a code
// mapped to legal_guardian) is a court guardian unless the person is also
// coded a parent. Stepparents, foster parents and everyone else are not
// guardians by relationship. "" when not a guardian; ok is false when the
// relationship cannot be read (the problem is added to found).
func (m *Mapper) guardianRole(x *resource, found *issues) (checkin.Role, bool) {
	rel, ok := m.relationship(x, found)
	if !ok {
		return "", false
	}
	switch rel {
	case checkin.Parent:
		return checkin.RoleParent, true
	case checkin.AdoptiveParent:
		return checkin.RoleAdoptiveParent, true
	}
	for _, cc := range x.related.Relationship {
		for _, c := range cc.Coding {
			if c.System != nil && c.Code != nil && m.table[codingKey{*c.System, *c.Code}].Relationship == checkin.LegalGuardian {
				return checkin.RoleCourtGuardian, true
			}
		}
	}
	return "", true
}

//go:embed codesystems/*.json
var codeSystemFiles embed.FS

// CodeSystems returns this project's FHIR code systems (RelationshipSystem,
// DocumentKindSystem, ActionSystem) as CodeSystem resources, for a service
// to publish or an EHR to load: each lists the contract's values as codes.
func CodeSystems() []models.CodeSystem {
	names, _ := fs.Glob(codeSystemFiles, "codesystems/*.json")
	out := make([]models.CodeSystem, 0, len(names))
	for _, name := range names {
		data, _ := codeSystemFiles.ReadFile(name)
		cs, err := models.UnmarshalCodeSystem(data)
		if err != nil {
			panic("fhir: " + name + ": " + err.Error())
		}
		out = append(out, cs)
	}
	return out
}

package fhir_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/fhir"
)

type csConcept struct {
	Code    string      `json:"code"`
	Display string      `json:"display"`
	Concept []csConcept `json:"concept"`
}

// roleCodes reads testdata's copy of RoleCode (R4 4.0.1) as code -> display
// and each code's specificity by the table's rule: its depth below
// _PersonalRelationshipRoleType, or below RESPRSN counting from 0.
func roleCodes(t *testing.T) (display map[string]string, specificity map[string]int) {
	t.Helper()
	data, err := os.ReadFile("testdata/CodeSystem-v3-RoleCode.json")
	require.NoError(t, err)
	var cs struct {
		URL     string      `json:"url"`
		Concept []csConcept `json:"concept"`
	}
	require.NoError(t, json.Unmarshal(data, &cs))
	require.Equal(t, fhir.RoleCodeSystem, cs.URL)
	display, specificity = map[string]string{}, map[string]int{}
	var walk func(list []csConcept, depth int, from int)
	walk = func(list []csConcept, depth, from int) {
		for _, c := range list {
			display[c.Code] = c.Display
			f := from
			switch c.Code {
			case "_PersonalRelationshipRoleType":
				f = depth
			case "RESPRSN":
				f = depth + 1
			}
			if f >= 0 && f != depth {
				specificity[c.Code] = depth - f
			}
			walk(c.Concept, depth+1, f)
		}
	}
	walk(cs.Concept, 0, -1)
	return display, specificity
}

// TestRelationshipTable checks the shipped table against RoleCode itself:
// every code exists with its display, ranked by its depth.
func TestRelationshipTable(t *testing.T) {
	t.Parallel()
	display, specificity := roleCodes(t)
	rows := fhir.RelationshipCodes()
	seen := map[string]bool{}
	ownCodes := map[checkin.Relationship]bool{}
	for _, row := range rows {
		key := row.System + "|" + row.Code
		assert.False(t, seen[key], "%s twice", key)
		seen[key] = true
		assert.True(t, row.Relationship.Valid(), key)
		switch row.System {
		case fhir.RoleCodeSystem:
			d, ok := display[row.Code]
			if assert.True(t, ok, "%s is not in RoleCode", row.Code) {
				assert.Equal(t, d, row.Display, row.Code)
				assert.Equal(t, specificity[row.Code], row.Specificity, row.Code)
			}
		case fhir.RelationshipSystem:
			assert.Equal(t, string(row.Relationship), row.Code)
			assert.Equal(t, 10, row.Specificity, row.Code)
			ownCodes[row.Relationship] = true
		default:
			t.Errorf("%s: a system the table does not ship", key)
		}
	}
	for _, r := range checkin.Relationships() {
		assert.True(t, ownCodes[r], "no project code for %s", r)
	}
	// The codes the mapping is specified to know, and what each means.
	want := map[string]checkin.Relationship{
		"ONESELF": checkin.Self,
		"PRN":     checkin.Parent, "MTH": checkin.Parent, "FTH": checkin.Parent,
		"NPRN": checkin.Parent, "NMTH": checkin.Parent, "NFTH": checkin.Parent,
		"ADOPTP": checkin.AdoptiveParent, "ADOPTM": checkin.AdoptiveParent, "ADOPTF": checkin.AdoptiveParent,
		"STPPRN": checkin.Stepparent, "STPMTH": checkin.Stepparent, "STPFTH": checkin.Stepparent,
		"PRNFOST": checkin.FosterParent, "MTHFOST": checkin.FosterParent, "FTHFOST": checkin.FosterParent,
		"GRPRN": checkin.Grandparent, "GRMTH": checkin.Grandparent, "GRFTH": checkin.Grandparent,
		"MGRMTH": checkin.Grandparent, "PGRFTH": checkin.Grandparent,
		"GGRPRN": checkin.GreatGrandparent, "GGRMTH": checkin.GreatGrandparent, "MGGRFTH": checkin.GreatGrandparent,
		"AUNT": checkin.AuntUncle, "UNCLE": checkin.AuntUncle, "MAUNT": checkin.AuntUncle, "PUNCLE": checkin.AuntUncle,
		"SIB": checkin.Sibling, "BRO": checkin.Sibling, "SIS": checkin.Sibling, "NSIB": checkin.Sibling,
		"HSIB": checkin.Sibling, "STPSIB": checkin.Sibling, "TWIN": checkin.Sibling,
		"COUSN": checkin.Cousin, "MCOUSN": checkin.Cousin,
		"EXT": checkin.OtherRelative, "FAMMEMB": checkin.OtherRelative, "NIECE": checkin.OtherRelative,
		"SPS": checkin.Spouse, "HUSB": checkin.Spouse, "WIFE": checkin.Spouse,
		"DOMPART": checkin.DomesticPartner, "SIGOTHR": checkin.OtherPerson, "FMRSPS": checkin.OtherPerson,
		"CHILD": checkin.AdultChild, "SON": checkin.AdultChild, "DAU": checkin.AdultChild,
		"FRND": checkin.Friend, "NBOR": checkin.Neighbor,
		"GUARD": checkin.LegalGuardian, "POWATT": checkin.HealthcareAgent, "HPOWATT": checkin.HealthcareAgent,
	}
	byCode := map[string]checkin.Relationship{}
	for _, row := range rows {
		if row.System == fhir.RoleCodeSystem {
			byCode[row.Code] = row.Relationship
		}
	}
	for code, rel := range want {
		assert.Equal(t, rel, byCode[code], code)
	}
	// Codes left out on purpose: a gestational mother or a fetus's parent is
	// no check-in relationship, a guardian ad litem decides no care.
	for _, code := range []string{"GESTM", "NMTHF", "NFTHF", "GUADLTM", "DPOWATT", "EXCEST"} {
		assert.NotContains(t, byCode, code)
	}
}

// TestCodeSystems checks the project's code systems list the contract's
// vocabulary exactly, under the URLs the mapping reads.
func TestCodeSystems(t *testing.T) {
	t.Parallel()
	want := map[string][]string{
		fhir.RelationshipSystem: strs(checkin.Relationships()),
		fhir.DocumentKindSystem: strs(checkin.DocumentKinds()),
		fhir.ActionSystem:       strs(checkin.Actions()),
	}
	got := map[string][]string{}
	for _, cs := range fhir.CodeSystems() {
		require.NotNil(t, cs.Url)
		var codes []string
		for _, c := range cs.Concept {
			codes = append(codes, c.Code)
		}
		got[*cs.Url] = codes
		require.NotNil(t, cs.Count)
		assert.Equal(t, len(codes), *cs.Count)
		data, err := json.Marshal(cs)
		require.NoError(t, err)
		assert.Contains(t, string(data), `"resourceType":"CodeSystem"`)
	}
	assert.Equal(t, want, got)
}

func strs[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

// TestMostSpecific maps a companion coded several ways.
func TestMostSpecific(t *testing.T) {
	t.Parallel()
	own := "https://github.com/frontdesk-policy/frontdesk/fhir/CodeSystem/relationship"
	tests := []struct {
		name    string
		codings []map[string]any
		rel     checkin.Relationship
		role    checkin.Role // the companion's guardian role, "" for none
		path    string       // on error
		words   []string
	}{
		{"MTH and the deeper STPMTH: a stepmother", []map[string]any{coding(roleCode, "MTH"), coding(roleCode, "STPMTH")}, checkin.Stepparent, "", "", nil},
		{"MTH and GUARD: a parent, the natural guardian", []map[string]any{coding(roleCode, "GUARD"), coding(roleCode, "MTH")}, checkin.Parent, checkin.RoleParent, "", nil},
		{"STPMTH and GUARD: a stepmother who is a court guardian", []map[string]any{coding(roleCode, "STPMTH"), coding(roleCode, "GUARD")}, checkin.Stepparent, checkin.RoleCourtGuardian, "", nil},
		{"GUARD alone: a court guardian", []map[string]any{coding(roleCode, "GUARD")}, checkin.LegalGuardian, checkin.RoleCourtGuardian, "", nil},
		{"ADOPTM: an adoptive parent and guardian", []map[string]any{coding(roleCode, "ADOPTM"), coding(roleCode, "MTH")}, checkin.AdoptiveParent, checkin.RoleAdoptiveParent, "", nil},
		{"MTHFOST: a foster mother, no guardian by it", []map[string]any{coding(roleCode, "MTHFOST")}, checkin.FosterParent, "", "", nil},
		{"WIFE beside the contact role N", []map[string]any{coding(contactRole, "N"), coding(roleCode, "WIFE")}, checkin.Spouse, "", "", nil},
		{"FRND and the project's sitter: a sitter", []map[string]any{coding(roleCode, "FRND"), coding(own, "sitter")}, checkin.Sitter, "", "", nil},
		{"the project's parent_partner", []map[string]any{coding(own, "parent_partner")}, checkin.ParentPartner, "", "", nil},
		{"MTH and AUNT, equally specific", []map[string]any{coding(roleCode, "MTH"), coding(roleCode, "AUNT")}, "", "",
			"RelatedPerson/maria.relationship", []string{"MTH", "AUNT", "equally"}},
		{"MTH beside a code of another system", []map[string]any{coding(roleCode, "MTH"), coding("http://snomed.info/sct", "72705000")}, "", "",
			"RelatedPerson/maria.relationship[0].coding[1]", []string{"72705000"}},
		{"a RoleCode code the table leaves out", []map[string]any{coding(roleCode, "GESTM")}, "", "",
			"RelatedPerson/maria.relationship[0].coding[0]", []string{"GESTM"}},
		{"a coding without a system", []map[string]any{{"code": "MTH"}}, "", "",
			"RelatedPerson/maria.relationship[0].coding[0]", []string{"system"}},
		{"the contact roles C and N only", []map[string]any{coding(contactRole, "C"), coding(contactRole, "N")}, "", "",
			"RelatedPerson/maria.relationship", []string{"C, N"}},
		{"a relationship of text only", nil, "", "", "RelatedPerson/maria.relationship", []string{"required"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := load(t, "lopez.json")
			maria := b.resource(t, "RelatedPerson/maria")
			if tc.codings == nil {
				set(maria, "relationship", []any{map[string]any{"text": "aunt"}})
			} else {
				set(maria, "relationship", []any{concept(tc.codings...)})
			}
			req, err := mapBody(t, b)
			if tc.path != "" {
				requireIssue(t, err, tc.path, tc.words...)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.rel, req.Companion.Relationship)
			i := slices.IndexFunc(req.Records.Guardians, func(g checkin.Guardian) bool { return g.Person == "RelatedPerson/maria" })
			if tc.role == "" {
				assert.Equal(t, -1, i, "maria is no guardian")
			} else if assert.GreaterOrEqual(t, i, 0, "maria is a guardian") {
				assert.Equal(t, tc.role, req.Records.Guardians[i].Role)
				assert.Nil(t, req.Records.Guardians[i].LegalCustody, "legal custody, as nil means")
			}
		})
	}
}

// TestNewMapper extends the table with a practice's rows.
func TestNewMapper(t *testing.T) {
	t.Parallel()
	local := "https://clinic.example/fhir/relationship"
	t.Run("a practice's own code and a RoleCode code the table leaves out", func(t *testing.T) {
		t.Parallel()
		m, err := fhir.NewMapper(
			fhir.RelationshipCode{System: local, Code: "nanny", Relationship: checkin.Sitter, Specificity: 10},
			fhir.RelationshipCode{System: roleCode, Code: "GESTM", Relationship: checkin.OtherPerson, Specificity: 4},
			fhir.RelationshipCode{System: roleCode, Code: "MTH", Display: "mother", Relationship: checkin.Parent, Specificity: 3},
		)
		require.NoError(t, err)
		b := load(t, "lopez.json")
		set(b.resource(t, "RelatedPerson/maria"), "relationship", []any{concept(coding(local, "nanny"))})
		res, f, err := fhir.ParseCheckIn(b.bytes(t))
		require.NoError(t, err)
		req, err := m.Request(res, f)
		require.NoError(t, err)
		assert.Equal(t, checkin.Sitter, req.Companion.Relationship)
		_, err = fhir.Request(res, f)
		requireIssue(t, err, "RelatedPerson/maria.relationship[0].coding[0]", "nanny")
	})
	bad := []struct {
		name string
		row  fhir.RelationshipCode
		path string
	}{
		{"changing what MTH means", fhir.RelationshipCode{System: roleCode, Code: "MTH", Relationship: checkin.AuntUncle, Specificity: 3}, "relationships[0]"},
		{"ranking GUARD above kinship", fhir.RelationshipCode{System: roleCode, Code: "GUARD", Relationship: checkin.LegalGuardian, Specificity: 5}, "relationships[0]"},
		{"a relationship outside the contract", fhir.RelationshipCode{System: local, Code: "x", Relationship: "godparent", Specificity: 1}, "relationships[0].relationship"},
		{"a contact role as a relationship", fhir.RelationshipCode{System: contactRole, Code: "C", Relationship: checkin.Friend, Specificity: 1}, "relationships[0].system"},
		{"no code", fhir.RelationshipCode{System: local, Relationship: checkin.Friend}, "relationships[0]"},
		{"a specificity out of range", fhir.RelationshipCode{System: local, Code: "x", Relationship: checkin.Friend, Specificity: 101}, "relationships[0].specificity"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := fhir.NewMapper(tc.row)
			assert.Nil(t, m)
			requireIssue(t, err, tc.path)
		})
	}
	t.Run("two rows of a practice disagreeing", func(t *testing.T) {
		t.Parallel()
		_, err := fhir.NewMapper(
			fhir.RelationshipCode{System: local, Code: "x", Relationship: checkin.Friend, Specificity: 1},
			fhir.RelationshipCode{System: local, Code: "x", Relationship: checkin.Sitter, Specificity: 1},
		)
		requireIssue(t, err, "relationships[1]", "friend")
	})
}

func TestParseRelationshipCodes(t *testing.T) {
	t.Parallel()
	rows, err := fhir.ParseRelationshipCodes([]byte(`[{"system": "https://clinic.example/r", "code": "nanny", "display": "nanny", "relationship": "sitter", "specificity": 10}]`))
	require.NoError(t, err)
	assert.Equal(t, []fhir.RelationshipCode{{System: "https://clinic.example/r", Code: "nanny", Display: "nanny", Relationship: checkin.Sitter, Specificity: 10}}, rows)
	for _, tc := range []struct{ json, path string }{
		{`[{"system": "s", "code": "c", "relationship": "sitter", "specificity": 1, "Specificity": 2}]`, "relationships[0].Specificity"},
		{`[{"system": "s", "code": "c", "relationship": "sitter", "rank": 1}]`, "relationships[0].rank"},
		{`[{"system": "s", "code": "c", "relationship": "sitter", "relationship": "parent"}]`, "relationships[0].relationship"},
		{`[{"system": "s", "code": null, "relationship": "sitter"}]`, "relationships[0].code"},
		{`[{"system": "s", "code": "c", "relationship": "nanny"}]`, "relationships[0].relationship"},
		{`{"system": "s"}`, "relationships"},
	} {
		_, err := fhir.ParseRelationshipCodes([]byte(tc.json))
		requireIssue(t, err, tc.path)
	}
}

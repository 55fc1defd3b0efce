package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	models "github.com/samply/golang-fhir-models/fhir-models/fhir"
)

// MaxResourceBytes is the most bytes of JSON Add reads at once, a Bundle
// included; MaxResources is the most resources one check-in holds. Both are
// far more than a check-in needs, and bound what mapping one costs.
const (
	MaxResourceBytes = 4 << 20
	MaxResources     = 500
)

// Resources are the FHIR R4 resources of one check-in: the Patient, the
// RelatedPersons around them, their Consents, and any other resource a
// reference names (an Organization, a Practitioner), each with the JSON it
// came from so that a problem can be named by its path. The zero value is
// empty and ready to use; Add fills it.
type Resources struct {
	list  []*resource
	byRef map[string]*resource // "Type/id"
}

// A resource is one resource as read: its reference, where it came from,
// its JSON and, for the types the mapping reads, its model.
type resource struct {
	ref     string // "RelatedPerson/f001"
	typ, id string
	raw     json.RawMessage
	canon   any // the JSON decoded, to compare a resource given twice

	patient *models.Patient
	related *models.RelatedPerson
	consent *models.Consent
}

// Patients returns the Patient resources, in the order added.
func (r *Resources) Patients() []models.Patient {
	var out []models.Patient
	for _, x := range r.list {
		if x.patient != nil {
			out = append(out, *x.patient)
		}
	}
	return out
}

// RelatedPersons returns the RelatedPerson resources, in the order added.
func (r *Resources) RelatedPersons() []models.RelatedPerson {
	var out []models.RelatedPerson
	for _, x := range r.list {
		if x.related != nil {
			out = append(out, *x.related)
		}
	}
	return out
}

// Consents returns the Consent resources, in the order added.
func (r *Resources) Consents() []models.Consent {
	var out []models.Consent
	for _, x := range r.list {
		if x.consent != nil {
			out = append(out, *x.consent)
		}
	}
	return out
}

// References returns the reference ("Type/id") of every resource, in the
// order added.
func (r *Resources) References() []string {
	out := make([]string, len(r.list))
	for i, x := range r.list {
		out[i] = x.ref
	}
	return out
}

// Len reports how many resources r holds.
func (r *Resources) Len() int { return len(r.list) }

// Add adds one resource, or every entry of a Bundle of any type (collection,
// searchset, transaction...), from JSON: as a check-in sends them, or as a CDS
// Hooks prefetch holds them (the Patient, a searchset Bundle of RelatedPersons
// or Consents). The same resource may be added twice (a prefetch and a
// Bundle both holding it); two different resources of one type and id are an
// error. The JSON is checked before anything is added: a resourceType and an
// id on every resource, no key given twice or in another case than FHIR
// spells it, no null, no modifierExtension or implicitRules (they change
// what a resource means in ways this package cannot know). On any problem
// nothing is added and the error is an *Error listing them all.
func (r *Resources) Add(data []byte) error {
	if len(data) > MaxResourceBytes {
		return (issues{{Code: codeTooLong, Message: fmt.Sprintf("%d bytes of JSON; at most %d", len(data), MaxResourceBytes)}}).err()
	}
	var found issues
	var added []*resource
	readResource(data, "", 0, &found, &added)
	if len(found) > 0 {
		return found.err()
	}
	// Check the new resources against the old and each other before adding
	// any, so a failed Add leaves r as it was.
	byRef := map[string]*resource{}
	for ref, x := range r.byRef {
		byRef[ref] = x
	}
	var fresh []*resource
	for _, x := range added {
		if old, ok := byRef[x.ref]; ok {
			if !reflect.DeepEqual(old.canon, x.canon) {
				found.add(x.ref, x.ref, codeDuplicate, "is given twice with different content; send each resource once, as the record holds it")
			}
			continue
		}
		byRef[x.ref] = x
		fresh = append(fresh, x)
	}
	if len(r.list)+len(fresh) > MaxResources {
		found.add("", "Bundle.entry", codeTooLong, "%d resources; a check-in holds at most %d", len(r.list)+len(fresh), MaxResources)
	}
	if len(found) > 0 {
		return found.err()
	}
	r.list = append(r.list, fresh...)
	r.byRef = byRef
	return nil
}

// ParseBundle reads the resources of one check-in from a Bundle's JSON (or
// a single resource's), as Add does.
func ParseBundle(data []byte) (Resources, error) {
	var r Resources
	if err := r.Add(data); err != nil {
		return Resources{}, err
	}
	return r, nil
}

// lookup returns the resource a reference names, or nil.
func (r *Resources) lookup(ref string) *resource {
	return r.byRef[ref]
}

// idPattern is FHIR R4's id: 1 to 64 letters, digits, '-' and '.'.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)

// typePattern is the form of a resource type's name.
var typePattern = regexp.MustCompile(`^[A-Z][A-Za-z]{0,63}$`)

// The model types the mapping reads, and the shapes of their JSON.
var modelTypes = map[string]reflect.Type{
	"Patient":       reflect.TypeFor[models.Patient](),
	"RelatedPerson": reflect.TypeFor[models.RelatedPerson](),
	"Consent":       reflect.TypeFor[models.Consent](),
	"Bundle":        reflect.TypeFor[models.Bundle](),
}

// readResource reads one resource at where ("" for the top, or
// "Bundle.entry[2].resource"), a Bundle's entries in turn, appending what it
// reads to added and its problems to found.
func readResource(data []byte, where string, depth int, found *issues, added *[]*resource) {
	name := where
	if name == "" {
		name = "resource"
	}
	var head struct {
		ResourceType json.RawMessage `json:"resourceType"`
		ID           json.RawMessage `json:"id"`
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		found.add("", where, codeStructure, "%s is not a JSON object", name)
		return
	}
	if err := json.Unmarshal(data, &head); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			found.add("", where, codeStructure, "not valid JSON at byte %d: %v", syn.Offset, err)
		} else {
			found.add("", where, codeStructure, "not a FHIR resource: %v", err)
		}
		return
	}
	typ, ok := jsonString(head.ResourceType)
	if !ok || !typePattern.MatchString(typ) {
		found.add("", joinPath(where, "resourceType"), codeRequired, "%s has no resourceType naming a FHIR resource type, such as \"RelatedPerson\"", name)
		return
	}
	id, hasID := jsonString(head.ID)
	ref := typ + "/" + id
	switch {
	case typ == "Bundle":
		// A Bundle is a container; its id, if any, names nothing a check-in refers to.
		ref = "Bundle"
	case head.ID == nil:
		found.add("", joinPath(where, "id"), codeRequired, "the %s at %s has no id; every resource of a check-in needs one, for references to name it", typ, name)
		return
	case !hasID || !idPattern.MatchString(id):
		found.add("", joinPath(where, "id"), codeValue, "%s is not a FHIR id (1 to 64 letters, digits, '-' or '.')", quote(string(head.ID)))
		return
	}
	pathRoot := ref
	if typ == "Bundle" {
		pathRoot = joinPath(where, "Bundle")
		if where == "" {
			pathRoot = "Bundle"
		}
	}
	before := len(*found)
	if t, ok := modelTypes[typ]; ok {
		w := walk{resource: ref}
		w.check(data, shapeFor(t, nil), pathRoot)
		*found = append(*found, w.problems...)
	} else {
		w := walk{resource: ref}
		w.check(data, nil, pathRoot) // only well-formed, no duplicate keys or nulls
		*found = append(*found, w.problems...)
	}
	if len(*found) > before {
		return
	}
	x := &resource{ref: ref, typ: typ, id: id, raw: json.RawMessage(data)}
	if err := json.Unmarshal(data, &x.canon); err != nil {
		found.add(ref, ref, codeStructure, "not valid JSON: %v", err)
		return
	}
	var err error
	switch typ {
	case "Bundle":
		if depth > 0 {
			found.add("", pathRoot, codeNotSupported, "a Bundle inside a Bundle; send the resources in one Bundle")
			return
		}
		var b models.Bundle
		if b, err = models.UnmarshalBundle(data); err == nil {
			for i, e := range b.Entry {
				at := fmt.Sprintf("%s.entry[%d].resource", pathRoot, i)
				if e.Resource == nil {
					found.add("", at, codeRequired, "the entry has no resource")
					continue
				}
				readResource(e.Resource, at, depth+1, found, added)
			}
		}
		if err == nil {
			return
		}
	case "Patient":
		var p models.Patient
		if p, err = models.UnmarshalPatient(data); err == nil {
			x.patient = &p
		}
	case "RelatedPerson":
		var p models.RelatedPerson
		if p, err = models.UnmarshalRelatedPerson(data); err == nil {
			x.related = &p
		}
	case "Consent":
		var c models.Consent
		if c, err = models.UnmarshalConsent(data); err == nil {
			x.consent = &c
		}
	}
	if err != nil {
		found.add(ref, pathRoot, codeStructure, "is not a valid %s: %s", typ, modelError(err))
		return
	}
	*added = append(*added, x)
}

// modelError words a decoding error of the models.
func modelError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s: %s is not a %s", te.Field, te.Value, te.Type)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// jsonString reads a JSON string, reporting whether it was one.
func jsonString(raw json.RawMessage) (string, bool) {
	var s string
	if raw == nil || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

func joinPath(base, elem string) string {
	if base == "" {
		return elem
	}
	return base + "." + elem
}

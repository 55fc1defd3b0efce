package checkin

import (
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The request becomes the policy's input as an OPA value built field by
// field: the same document its JSON would give, without a JSON round trip.
// Optional fields left at their zero value are left out, as in the JSON.

func (r *Request) inputValue() ast.Value {
	o := make(obj, 0, 9)
	o.str("at", r.At.Format(time.RFC3339))
	o.str("jurisdiction", r.Jurisdiction)
	o.optStr("practice", r.Practice)
	o.optBool("emergency", r.Emergency)
	o.set("patient", r.Patient.value())
	o.set("companion", r.Companion.value())
	o.set("records", r.Records.value())
	o.set("desk", r.Desk.value())
	o.set("requested", actionsValue(r.Requested))
	return ast.NewObject(o...)
}

func (p *Patient) value() ast.Value {
	o := make(obj, 0, 6)
	o.str("id", p.ID)
	o.optStr("name", p.Name)
	o.str("birth_date", p.BirthDate)
	if len(p.Statuses) > 0 {
		o.set("statuses", stringsValue(p.Statuses))
	}
	o.optBool("lacks_capacity", p.LacksCapacity)
	if p.Present != nil {
		o.term("present", ast.InternedTerm(*p.Present))
	}
	return ast.NewObject(o...)
}

func (c *Companion) value() ast.Value {
	o := make(obj, 0, 7)
	o.str("id", c.ID)
	o.optStr("name", c.Name)
	o.str("relationship", string(c.Relationship))
	o.num("age", c.Age)
	o.optStr("identity", string(c.Identity))
	o.optBool("lives_with_patient", c.LivesWithPatient)
	o.optBool("brought_patient", c.BroughtPatient)
	return ast.NewObject(o...)
}

func (r *Records) value() ast.Value {
	o := make(obj, 0, 5)
	o.set("guardians", list(r.Guardians, func(g *Guardian) ast.Value {
		o := make(obj, 0, 4)
		o.str("person", g.Person)
		o.optStr("name", g.Name)
		o.str("role", string(g.Role))
		if g.LegalCustody != nil {
			o.term("legal_custody", ast.InternedTerm(*g.LegalCustody))
		}
		return ast.NewObject(o...)
	}))
	o.set("documents", list(r.Documents, func(d *Document) ast.Value {
		o := make(obj, 0, 12)
		o.str("id", d.ID)
		o.str("kind", string(d.Kind))
		o.optStr("granted_by", d.GrantedBy)
		o.str("grantee", d.Grantee)
		o.set("covers", actionsValue(d.Covers))
		o.optStr("valid_from", d.ValidFrom)
		o.optStr("valid_until", d.ValidUntil)
		o.optBool("revoked", d.Revoked)
		o.optStr("signed_on", d.SignedOn)
		o.optBool("relative", d.Relative)
		if d.Witnesses != 0 {
			o.num("witnesses", d.Witnesses)
		}
		o.optBool("notarized", d.Notarized)
		return ast.NewObject(o...)
	}))
	o.set("restrictions", list(r.Restrictions, func(x *Restriction) ast.Value {
		o := make(obj, 0, 4)
		o.str("person", x.Person)
		o.set("covers", actionsValue(x.Covers))
		o.optStr("source", x.Source)
		o.optStr("valid_until", x.ValidUntil)
		return ast.NewObject(o...)
	}))
	o.set("refusals", list(r.Refusals, func(x *Refusal) ast.Value {
		o := make(obj, 0, 2)
		o.str("by", x.By)
		o.set("covers", actionsValue(x.Covers))
		return ast.NewObject(o...)
	}))
	o.set("designations", list(r.Designations, func(x *Designation) ast.Value {
		o := make(obj, 0, 2)
		o.str("person", x.Person)
		o.set("covers", actionsValue(x.Covers))
		return ast.NewObject(o...)
	}))
	return ast.NewObject(o...)
}

func (d *Desk) value() ast.Value {
	o := make(obj, 0, 3)
	if len(d.VerbalConsent) > 0 {
		o.set("verbal_consent", list(d.VerbalConsent, func(v *VerbalConsent) ast.Value {
			o := make(obj, 0, 3)
			o.str("from", v.From)
			o.set("covers", actionsValue(v.Covers))
			o.optStr("witness", v.Witness)
			return ast.NewObject(o...)
		}))
	}
	o.optBool("guardian_unreachable", d.GuardianUnreachable)
	o.optBool("patient_agrees", d.PatientAgrees)
	return ast.NewObject(o...)
}

// obj collects an object's key-value pairs, sized for its fields.
type obj [][2]*ast.Term

func (o *obj) set(key string, v ast.Value) { o.term(key, ast.NewTerm(v)) }

func (o *obj) term(key string, t *ast.Term) {
	*o = append(*o, [2]*ast.Term{ast.InternedTerm(key), t})
}

func (o *obj) str(key, s string) { o.term(key, ast.InternedTerm(s)) }

func (o *obj) num(key string, n int) { o.term(key, ast.InternedTerm(n)) }

func (o *obj) optStr(key, s string) {
	if s != "" {
		o.str(key, s)
	}
}

func (o *obj) optBool(key string, b bool) {
	if b {
		o.term(key, ast.InternedTerm(true))
	}
}

func list[T any](items []T, value func(*T) ast.Value) ast.Value {
	terms := make([]*ast.Term, len(items))
	for i := range items {
		terms[i] = ast.NewTerm(value(&items[i]))
	}
	return ast.NewArray(terms...)
}

func actionsValue(actions []Action) ast.Value { return stringsValue(actions) }

func stringsValue[S ~string](items []S) ast.Value {
	terms := make([]*ast.Term, len(items))
	for i, s := range items {
		terms[i] = ast.InternedTerm(string(s))
	}
	return ast.NewArray(terms...)
}

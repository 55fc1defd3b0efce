// Command frontdesk plays a morning at a medical practice's front desk: ten
// check-ins, each decided by the embedded default policy, printed as a clerk
// would read them, in English or, with -lang es, in Spanish. With -record
// FILE it appends each decision to FILE as a JSON line, redacted, as the
// decision service does, for checkin report and checkin replay.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// A visit is one check-in of the morning: where, what happened (by
// language), and what was asked. The request's At is the time slot.
type visit struct {
	office string
	story  map[string]string
	req    checkin.Request
}

// at is a time on the morning played, Monday 23 November 2026, in Kansas.
func at(hour, minute int) time.Time {
	return time.Date(2026, 11, 23, hour, minute, 0, 0, time.FixedZone("CST", -6*60*60))
}

// actions lists actions in the order given.
func actions(a ...checkin.Action) []checkin.Action { return a }

// Jamie, her mother and her mother's partner Sam come to two offices.
var (
	jamie        = checkin.Patient{ID: "pt-101", Name: "Jamie Lopez", BirthDate: "2019-05-10"}
	jamiesMother = []checkin.Guardian{{Person: "per-ana", Name: "Ana Lopez", Role: checkin.RoleParent}}
	sam          = checkin.Companion{ID: "per-sam", Name: "Sam Rivera", Relationship: checkin.ParentPartner, Age: 35,
		Identity: checkin.PhotoID, LivesWithPatient: true, BroughtPatient: true}
)

// Ava's father is under a protective order; he comes to the desk twice.
var (
	avaBrooks   = checkin.Patient{ID: "pt-518", Name: "Ava Brooks", BirthDate: "2020-09-03"}
	davidBrooks = checkin.Companion{ID: "per-david", Name: "David Brooks", Relationship: checkin.Parent, Age: 38,
		Identity: checkin.PhotoID}
	davidBringsAva = checkin.Companion{ID: "per-david", Name: "David Brooks", Relationship: checkin.Parent, Age: 38,
		Identity: checkin.PhotoID, BroughtPatient: true}
	avasRecords = checkin.Records{
		Guardians: []checkin.Guardian{
			{Person: "per-nicole", Name: "Nicole Brooks", Role: checkin.RoleParent},
			{Person: "per-david", Name: "David Brooks", Role: checkin.RoleParent},
		},
		Restrictions: []checkin.Restriction{{
			Person: "per-david", Covers: actions(checkin.AllActions), Source: "protective_order", ValidUntil: "2027-06-01",
		}},
	}
)

// morning is the check-ins, in the order they happen.
var morning = []visit{
	{
		office: "Prairie Pediatrics",
		story: map[string]string{
			"en": "Jamie has a fever; her mother's partner brings her, and the mother agrees by phone to the sick visit and a flu shot.",
			"es": "Jamie tiene fiebre; la pareja de su mamá la trae, y la mamá da su consentimiento por teléfono para la consulta por enfermedad y una vacuna contra la gripe.",
		},
		req: checkin.Request{
			At:           at(8, 0),
			Jurisdiction: "US-KS",
			Practice:     "default",
			Patient:      jamie,
			Companion:    sam,
			Records:      checkin.Records{Guardians: jamiesMother},
			Desk: checkin.Desk{VerbalConsent: []checkin.VerbalConsent{
				{From: "per-ana", Covers: actions(checkin.ConsentSick, checkin.ConsentVaccine), Witness: "Grace Kim"},
			}},
			Requested: actions(checkin.Accompany, checkin.ConsentSick, checkin.ConsentVaccine, checkin.SchoolNote),
		},
	},
	{
		office: "Bright Smile Dental",
		story: map[string]string{
			"en": "Sam takes Jamie on to her dental check for a sore tooth; this office accepts only a guardian or written authorization, but Jamie still leaves with the adult who brought her.",
			"es": "Sam lleva a Jamie a su consulta dental por un dolor de muela; este consultorio solo acepta a un padre, madre o tutor legal o una autorización por escrito, pero Jamie igual se va con la persona adulta que la trajo.",
		},
		req: checkin.Request{
			At:           at(8, 45),
			Jurisdiction: "US-KS",
			Practice:     "strict",
			Patient:      jamie,
			Companion:    sam,
			Records:      checkin.Records{Guardians: jamiesMother},
			Requested:    actions(checkin.Accompany, checkin.ConsentSick, checkin.SchoolNote, checkin.PickUp),
		},
	},
	{
		office: "Prairie Pediatrics",
		story: map[string]string{
			"en": "Sofia's aunt brings her in with an ear infection and the form her mother signed; nobody has looked at the aunt's ID yet.",
			"es": "La tía de Sofia la trae con una infección de oído y el formulario que firmó su mamá; nadie ha revisado todavía la identificación de la tía.",
		},
		req: checkin.Request{
			At:           at(9, 0),
			Jurisdiction: "US-KS",
			Practice:     "default",
			Patient:      checkin.Patient{ID: "pt-214", Name: "Sofia Alvarez", BirthDate: "2017-08-21"},
			Companion: checkin.Companion{ID: "per-maria", Name: "Maria Alvarez", Relationship: checkin.AuntUncle, Age: 41,
				BroughtPatient: true},
			Records: checkin.Records{
				Guardians: []checkin.Guardian{{Person: "per-elena", Name: "Elena Alvarez", Role: checkin.RoleParent}},
				Documents: []checkin.Document{{
					ID: "doc-proxy-88", Kind: checkin.ProxyAuthorization, GrantedBy: "per-elena", Grantee: "per-maria",
					Covers:    actions(checkin.ConsentSick, checkin.ConsentVaccine, checkin.ConsentProcedure, checkin.PickUp),
					ValidFrom: "2026-01-10", ValidUntil: "2027-01-10", SignedOn: "2026-01-10",
				}},
			},
			Requested: actions(checkin.ConsentSick, checkin.ConsentVaccine, checkin.ConsentProcedure, checkin.PickUp),
		},
	},
	{
		office: "Golden Poppy Pediatrics, Sacramento",
		story: map[string]string{
			"en": "Mateo's grandmother, whom he lives with, brings him with an earache, due for his check-up and shots, and a caregiver's affidavit.",
			"es": "La abuela de Mateo, con quien él vive, lo trae con dolor de oído; le toca su chequeo y sus vacunas, y ella trae una declaración jurada del cuidador.",
		},
		req: checkin.Request{
			At:           at(9, 30),
			Jurisdiction: "US-CA",
			Practice:     "default",
			Patient:      checkin.Patient{ID: "pt-377", Name: "Mateo Diaz", BirthDate: "2020-02-14"},
			Companion: checkin.Companion{ID: "per-rosa", Name: "Rosa Diaz", Relationship: checkin.Grandparent, Age: 67,
				Identity: checkin.PhotoID, LivesWithPatient: true, BroughtPatient: true},
			Records: checkin.Records{Documents: []checkin.Document{{
				ID: "doc-cara-12", Kind: checkin.CaregiverAffidavit, Grantee: "per-rosa", Relative: true, SignedOn: "2026-03-02",
			}}},
			Requested: actions(checkin.ConsentSick, checkin.ConsentWellness, checkin.ConsentVaccine),
		},
	},
	{
		office: "Prairie Pediatrics",
		story: map[string]string{
			"en": "Liam's sitter brings him in with a cough; the authorization his mother signed for her ran out last month.",
			"es": "La niñera de Liam lo trae con tos; la autorización que le firmó la mamá de Liam venció el mes pasado.",
		},
		req: checkin.Request{
			At:           at(10, 0),
			Jurisdiction: "US-KS",
			Practice:     "default",
			Patient:      checkin.Patient{ID: "pt-452", Name: "Liam Carter", BirthDate: "2022-06-30"},
			Companion: checkin.Companion{ID: "per-chloe", Name: "Chloe Bennett", Relationship: checkin.Sitter, Age: 22,
				Identity: checkin.PhotoID, BroughtPatient: true},
			Records: checkin.Records{
				Guardians: []checkin.Guardian{{Person: "per-megan", Name: "Megan Carter", Role: checkin.RoleParent}},
				Documents: []checkin.Document{{
					ID: "doc-proxy-41", Kind: checkin.ProxyAuthorization, GrantedBy: "per-megan", Grantee: "per-chloe",
					Covers:    actions(checkin.Accompany, checkin.ConsentSick, checkin.PickUp),
					ValidFrom: "2025-10-15", ValidUntil: "2026-10-31", SignedOn: "2025-10-15",
				}},
			},
			Requested: actions(checkin.Accompany, checkin.ConsentSick, checkin.PickUp),
		},
	},
	{
		office: "Prairie Pediatrics",
		story: map[string]string{
			"en": "Ava's mother brought her for a check-up; her father arrives at the desk and asks to join, hear how she is and take her home.",
			"es": "La mamá de Ava la trajo a su chequeo; su papá llega a la recepción y pide acompañarla, saber cómo está y llevársela a casa.",
		},
		req: checkin.Request{
			At:           at(10, 20),
			Jurisdiction: "US-KS",
			Practice:     "default",
			Patient:      avaBrooks,
			Companion:    davidBrooks,
			Records:      avasRecords,
			Requested:    actions(checkin.Accompany, checkin.DiscussCare, checkin.PickUp),
		},
	},
	{
		office: "Prairie Family Medicine",
		story: map[string]string{
			"en": "Dana comes in to have fluid drained from her knee with her friend Lee; she says Lee may stay, and Lee offers to sign the consent.",
			"es": "Dana viene con Lee, una amistad, para que le drenen líquido de la rodilla; dice que Lee puede quedarse, y Lee se ofrece a firmar el consentimiento.",
		},
		req: checkin.Request{
			At:           at(10, 45),
			Jurisdiction: "US-KS",
			Practice:     "default",
			Patient:      checkin.Patient{ID: "pt-609", Name: "Dana Cole", BirthDate: "1981-02-14"},
			Companion: checkin.Companion{ID: "per-lee", Name: "Lee Ford", Relationship: checkin.Friend, Age: 44,
				Identity: checkin.PhotoID, BroughtPatient: true},
			Desk:      checkin.Desk{PatientAgrees: true},
			Requested: actions(checkin.Accompany, checkin.DiscussCare, checkin.ConsentProcedure),
		},
	},
	{
		office: "Prairie Pediatrics",
		story: map[string]string{
			"en": "Emergency: a neighbor rushes in Ethan, who is having a severe asthma attack; nobody who can consent for him is there.",
			"es": "Emergencia: Pat, que vive en la casa de al lado, llega corriendo con Ethan, que tiene un ataque de asma grave; no hay nadie que pueda dar el consentimiento por él.",
		},
		req: checkin.Request{
			At:           at(11, 10),
			Jurisdiction: "US-KS",
			Practice:     "default",
			Emergency:    true,
			Patient:      checkin.Patient{ID: "pt-733", Name: "Ethan Walsh", BirthDate: "2018-01-25"},
			Companion: checkin.Companion{ID: "per-pat", Name: "Pat Green", Relationship: checkin.Neighbor, Age: 58,
				Identity: checkin.KnownToStaff, BroughtPatient: true},
			Records:   checkin.Records{Guardians: []checkin.Guardian{{Person: "per-kate", Name: "Kate Walsh", Role: checkin.RoleParent}}},
			Requested: actions(checkin.ConsentSick, checkin.Accompany),
		},
	},
	{
		office: "Prairie Pediatrics",
		story: map[string]string{
			"en": "Emergency: David, under the protective order, rushes Ava in with an asthma attack; her care goes ahead, without him.",
			"es": "Emergencia: David, que tiene la orden de protección en su contra, llega corriendo con Ava por un ataque de asma; la atención de Ava sigue adelante, sin él.",
		},
		req: checkin.Request{
			At:           at(11, 30),
			Jurisdiction: "US-KS",
			Practice:     "default",
			Emergency:    true,
			Patient:      avaBrooks,
			Companion:    davidBringsAva,
			Records:      avasRecords,
			Requested:    actions(checkin.Accompany, checkin.ConsentSick, checkin.DiscussCare),
		},
	},
	{
		office: "Prairie Pediatrics",
		story: map[string]string{
			"en": "Maya, 16 and pregnant, came alone for prenatal care she may consent to herself; she asks for a note for school.",
			"es": "Maya, de 16 años y embarazada, vino sola a una consulta prenatal para la que puede dar su consentimiento por su cuenta; pide una nota para la escuela.",
		},
		req: checkin.Request{
			At:           at(11, 50),
			Jurisdiction: "US-KS",
			Practice:     "default",
			Patient: checkin.Patient{ID: "pt-846", Name: "Maya Ortiz", BirthDate: "2010-04-12",
				Statuses: []checkin.Status{checkin.Pregnant}},
			Companion: checkin.Companion{ID: "pt-846", Name: "Maya Ortiz", Relationship: checkin.Self, Age: 16,
				Identity: checkin.KnownToStaff},
			Records: checkin.Records{Guardians: []checkin.Guardian{
				{Person: "per-lucia", Name: "Lucia Ortiz", Role: checkin.RoleParent},
			}},
			Requested: actions(checkin.ConsentConfidential, checkin.SchoolNote),
		},
	},
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "frontdesk:", err)
		os.Exit(1)
	}
}

// run plays the morning in the language -lang names (en, the default, or
// es), recording each decision to the file -record names, if any.
func run(ctx context.Context, args []string, stdout io.Writer) (err error) {
	flags := flag.NewFlagSet("frontdesk", flag.ContinueOnError)
	lang := flags.String("lang", "en", "the language of the morning: en or es")
	record := flags.String("record", "", "append each decision to `FILE` as a JSON line, redacted (for checkin report and replay)")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(flags.Args(), " "))
	}
	// Checked before the policy loads, so a mistyped language fails at once.
	if _, err := textsFor(*lang); err != nil {
		return err
	}
	opts := []checkin.Option{}
	if *record != "" {
		f, err := os.OpenFile(*record, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, f.Close()) }()
		// Required: a morning whose decisions could not all be recorded stops.
		opts = append(opts, checkin.WithRequiredRecorder(checkin.NewJSONLRecorder(f, nil)))
	}
	engine, err := newEngine(ctx, *lang, opts...)
	if err != nil {
		return err
	}
	return play(ctx, stdout, engine, *lang, morning, useColor())
}

// newEngine loads the embedded default policy, wording its decisions in lang.
func newEngine(ctx context.Context, lang string, opts ...checkin.Option) (*checkin.Engine, error) {
	return checkin.New(ctx, append(opts, checkin.WithLanguage(lang))...)
}

// useColor reports whether stdout is a terminal and NO_COLOR is unset.
func useColor() bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	fi, err := os.Stdout.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// play decides each visit and prints it to w in lang, then a footer naming
// the policy. The engine words the decisions; play words the rest.
func play(ctx context.Context, w io.Writer, engine *checkin.Engine, lang string, visits []visit, color bool) error {
	t, err := textsFor(lang)
	if err != nil {
		return err
	}
	p := printer{w: w, t: t, lang: lang, color: color}
	if len(visits) > 0 {
		p.line(t.heading, t.date(visits[0].req.At))
	}
	for _, v := range visits {
		d, err := engine.Decide(ctx, v.req)
		if err != nil {
			return fmt.Errorf("visit at %s: %w", v.req.At.Format("15:04"), err)
		}
		p.line("")
		p.visit(v, d)
	}
	p.line("")
	p.line(t.footer, engine.Revision())
	return p.err
}

// A printer writes a morning in one language, keeping the first write error.
type printer struct {
	w     io.Writer
	t     *texts
	lang  string
	color bool
	err   error
}

// line writes one line, unless an earlier write failed.
func (p *printer) line(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format+"\n", args...)
	}
}

// visit prints one check-in: who came, what was asked, and the decision.
func (p *printer) visit(v visit, d checkin.Decision) {
	r, t := v.req, p.t
	story, ok := v.story[p.lang]
	if !ok {
		story = v.story["en"]
	}
	p.line("%s  %s", r.At.Format("15:04"), story)
	p.line(t.came, r.Companion.Name, word(t.relationships, r.Companion.Relationship), r.Companion.Age)
	p.line(t.patient, r.Patient.Name, age(r.Patient.BirthDate, r.At))
	where := fmt.Sprintf(t.practice, v.office, d.Policy.Practice, r.Jurisdiction)
	if r.Emergency {
		where += t.emergency
	}
	p.line(t.where, where)
	p.line(t.asked, p.join(r.Requested))
	p.line("")

	// Widths in characters, not bytes: fmt pads by characters, and the
	// Spanish labels have accents.
	var width [3]int
	for i, h := range []string{t.action, t.verdict, t.basis} {
		width[i] = utf8.RuneCountInString(h)
	}
	for _, a := range r.Requested {
		ad := d.Actions[a]
		width[0] = max(width[0], utf8.RuneCountInString(word(t.actions, a)))
		width[1] = max(width[1], utf8.RuneCountInString(word(t.verdicts, ad.Verdict)))
		width[2] = max(width[2], utf8.RuneCountInString(string(ad.Basis)))
	}
	indent := strings.Repeat(" ", 2+width[0]+2)
	p.line("  %-*s  %-*s  %-*s  %s", width[0], t.action, width[1], t.verdict, width[2], t.basis, t.reason)
	for _, a := range r.Requested {
		ad := d.Actions[a]
		verdict := p.paint(colors[ad.Verdict], fmt.Sprintf("%-*s", width[1], word(t.verdicts, ad.Verdict)))
		p.line("  %-*s  %s  %-*s  %s", width[0], word(t.actions, a), verdict, width[2], ad.Basis, messages(ad.Reasons))
		for _, n := range ad.Conditions {
			p.line("%s%s%s", indent, t.doFirst, n.Message)
		}
		for _, n := range ad.Remedies {
			p.line("%s%s%s", indent, t.toMakeItYes, n.Message)
		}
	}
	p.line("")
	p.line(t.outcome, p.paint(outcomeColors[d.Outcome], word(t.outcomes, d.Outcome)))
	for _, n := range d.Obligations {
		p.line(t.mustDo, n.Message)
	}
	for _, n := range d.Notices {
		p.line(t.note, n.Message)
	}
}

// colors are the ANSI colours of the verdicts.
var colors = map[checkin.Verdict]string{
	checkin.Allow:               "\x1b[32m",
	checkin.AllowWithConditions: "\x1b[33m",
	checkin.Deny:                "\x1b[31m",
	checkin.Escalate:            "\x1b[35m",
}

// outcomeColors colour an outcome as its most telling verdict.
var outcomeColors = map[checkin.Outcome]string{
	checkin.Proceed:               colors[checkin.Allow],
	checkin.ProceedWithConditions: colors[checkin.AllowWithConditions],
	checkin.Partial:               colors[checkin.Deny],
	checkin.Refuse:                colors[checkin.Deny],
	checkin.OutcomeEscalate:       colors[checkin.Escalate],
}

// paint wraps s in an ANSI colour when the printer uses colour.
func (p *printer) paint(color, s string) string {
	if !p.color || color == "" {
		return s
	}
	return color + s + "\x1b[0m"
}

// age is the patient's age in whole years on the day of t.
func age(birthDate string, t time.Time) int {
	b, err := time.Parse(time.DateOnly, birthDate)
	if err != nil {
		return 0
	}
	years := t.Year() - b.Year()
	if t.Month() < b.Month() || t.Month() == b.Month() && t.Day() < b.Day() {
		years--
	}
	return years
}

// join lists actions in the printer's words, comma separated.
func (p *printer) join(as []checkin.Action) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = word(p.t.actions, a)
	}
	return strings.Join(s, ", ")
}

// messages joins the notes' messages into one line.
func messages(notes []checkin.Note) string {
	s := make([]string, len(notes))
	for i, n := range notes {
		s[i] = n.Message
	}
	return strings.Join(s, " ")
}

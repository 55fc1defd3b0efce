package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/examples/internal/words"
)

// The demo's own words, by language. The policy words its decisions itself
// (checkin.WithLanguage); these are the labels around them. A value missing
// from a table prints as its code, as the English table does on purpose.
type texts struct {
	heading                        string // takes the date
	date                           func(time.Time) string
	came, patient, where, asked    string // the visit's header lines
	practice, emergency            string
	action, verdict, basis, reason string // column headings
	doFirst, toMakeItYes           string
	outcome, mustDo, note          string
	footer                         string // takes the policy revision

	verdicts      map[checkin.Verdict]string
	outcomes      map[checkin.Outcome]string
	actions       map[checkin.Action]string
	relationships map[checkin.Relationship]string
}

// languages are the languages the morning plays in; "en" is the default.
var languages = map[string]*texts{
	"en": {
		heading:  "A morning at the front desk, %s",
		date:     func(t time.Time) string { return t.Format("Monday 2 January 2006") },
		came:     "  Came:   %s, %s, age %d",
		patient:  "  For:    %s, age %d",
		where:    "  Where:  %s",
		asked:    "  Asked:  %s",
		practice: "%s (practice %q), %s", emergency: ", EMERGENCY",
		action: "ACTION", verdict: "VERDICT", basis: "BASIS", reason: "REASON",
		doFirst: "do first: ", toMakeItYes: "to make it a yes: ",
		outcome: "  Outcome: %s", mustDo: "  Must do: %s", note: "  Note:    %s",
		footer: "Decided on policy revision %s.",
	},
	"es": {
		heading:  "Una mañana en la recepción, %s",
		date:     spanishDate,
		came:     "  Acompañante:  %s, %s, %d años",
		patient:  "  Paciente:     %s, %d años",
		where:    "  Lugar:        %s",
		asked:    "  Solicita:     %s",
		practice: "%s (perfil del consultorio %q), %s", emergency: ", EMERGENCIA",
		action: "ACCIÓN", verdict: "DECISIÓN", basis: "BASE", reason: "MOTIVO",
		doFirst: "primero: ", toMakeItYes: "para que sea un sí: ",
		outcome: "  Resultado:   %s", mustDo: "  Obligación:  %s", note: "  Aviso:       %s",
		footer:   "Decidido con la revisión %s de la política.",
		verdicts: spanish.Verdicts, outcomes: spanish.Outcomes, actions: spanish.Actions,
		relationships: spanish.Relationships,
	},
}

// spanish is the clerk's words in Spanish the demo shares with the other programs.
var spanish, _ = words.For("es")

// textsFor returns the demo's words in lang, or an error naming the languages it has.
func textsFor(lang string) (*texts, error) {
	if t, ok := languages[lang]; ok {
		return t, nil
	}
	known := slices.Sorted(maps.Keys(languages))
	return nil, fmt.Errorf("unknown language %q: the morning plays in %s", lang, strings.Join(known, " or "))
}

// word is a value's words in the table, or the value itself.
func word[K ~string](table map[K]string, k K) string {
	if s, ok := table[k]; ok {
		return s
	}
	return string(k)
}

var (
	spanishDays   = [...]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"}
	spanishMonths = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
		"septiembre", "octubre", "noviembre", "diciembre"}
)

// spanishDate writes a day as "lunes 23 de noviembre de 2026".
func spanishDate(t time.Time) string {
	return fmt.Sprintf("%s %d de %s de %d", spanishDays[t.Weekday()], t.Day(), spanishMonths[t.Month()-1], t.Year())
}

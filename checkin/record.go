package checkin

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// A Recorder keeps decisions, for audit and for replaying them against an
// edited policy. The engine calls Record after each decision, from the
// goroutine that decided; implementations must be safe for concurrent use.
type Recorder interface {
	Record(ctx context.Context, r Record) error
}

// A Record is one decision with everything needed to make it again.
type Record struct {
	ID       string    `json:"id"`
	Time     time.Time `json:"time"`
	Revision string    `json:"revision"`
	Request  Request   `json:"request"`
	Decision Decision  `json:"decision"`
	// Cached is set when the decision came from the engine's decision cache
	// (WithDecisionCache) rather than from evaluating the policy: the one
	// made earlier, on the same policy, for a request it reads the same.
	Cached bool `json:"cached,omitempty"`
}

// NewDecisionID returns a random version 4 UUID, the form of a decision id
// (as OPA's decision logs give theirs).
func NewDecisionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

type decisionIDKey struct{}

// ContextWithDecisionID returns a context under which Decide records its
// decision with id, so a service can give its caller the id of the record
// (a CDS Hooks card, a response) before or without reading the records.
// Without it, or with an empty id, Decide makes one with NewDecisionID.
func ContextWithDecisionID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, decisionIDKey{}, id)
}

func decisionID(ctx context.Context) string {
	if id, _ := ctx.Value(decisionIDKey{}).(string); id != "" {
		return id
	}
	return NewDecisionID()
}

// RecorderOptions configure a JSON-lines recorder. A nil *RecorderOptions
// is the default: names and birth dates redacted.
type RecorderOptions struct {
	// KeepIdentities records names and birth dates as they are. By default
	// the names of the patient, companion and guardians are replaced, in the
	// request and in the decision's messages, and the birth date is replaced
	// by one giving the same age on the day, so a replay decides the same.
	KeepIdentities bool
}

// JSONLRecorder writes each record as one line of JSON.
type JSONLRecorder struct {
	mu   sync.Mutex
	w    io.Writer
	opts RecorderOptions
}

// NewJSONLRecorder returns a recorder writing to w.
func NewJSONLRecorder(w io.Writer, opts *RecorderOptions) *JSONLRecorder {
	r := &JSONLRecorder{w: w}
	if opts != nil {
		r.opts = *opts
	}
	return r
}

// Record writes r as one line. When w has a Flush method, as a
// *bufio.Writer does, the line is flushed before Record returns, so that an
// error writing it is Record's error. Syncing and closing a file is its
// owner's: a record is not kept until they succeed.
func (j *JSONLRecorder) Record(_ context.Context, r Record) error {
	if !j.opts.KeepIdentities {
		r = Redact(r)
	}
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, err := j.w.Write(append(line, '\n')); err != nil {
		return err
	}
	if f, ok := j.w.(interface{ Flush() error }); ok {
		return f.Flush()
	}
	return nil
}

// Redact returns the record without the names of the people in it or the
// patient's birth date, and so that the redacted request decides the same.
//
//   - The names of the patient, companion and guardians become "[patient]",
//     "[companion]" and "[guardian N]" (N counting from 1 in the request's
//     order), wherever they appear: in their fields, in every free-text field
//     of the request (every plain string not listed below: restriction
//     sources, witnesses, and any field the contract adds) and in every
//     message of the decision. Each word of a name
//     is removed too, as "[name]" when two people share it (a family name).
//     Matching ignores case and takes whole words; a longer name is replaced
//     before a shorter one inside it, so "Ana Lopez" never leaves "Lopez".
//   - The birth date becomes one giving the same age in whole years on the
//     day; the date as written becomes "[birth date]" wherever else it appears.
//   - Identifiers (the id, person, granted_by, grantee, by and from fields) are
//     what entries refer to each other by, so they are kept unless one holds a
//     name or the birth date, even inside a word ("ana.lopez", "AnaLopez"):
//     such an identifier becomes "[id N]" in every field and message it
//     appears in, one N for each distinct identifier, so references still
//     match and distinct people and documents stay distinct. An identifier
//     that is itself someone's name is replaced as an identifier, in names
//     and messages too, so that a message naming an entry by it still matches.
//   - Free text stays within the contract's MaxTextLength, cut if a
//     placeholder made it longer.
//   - Kept as they are: the contract's vocabulary (relationships, roles,
//     kinds, actions...), the jurisdiction and practice, which name policy
//     profiles, and the dates of documents and restrictions, which decide.
//
// Redact is deterministic: the same record always redacts the same; and a
// record redacted already redacts to itself.
func Redact(r Record) Record {
	x := newRedactor(r.Request)
	req := r.Request
	visitStrings(reflect.ValueOf(&req).Elem(), "", func(field string, s *string) {
		switch {
		case idFields[field]:
			if as, ok := x.ids[*s]; ok {
				*s = as
			}
		case !keptFields[field]:
			*s = withinTextLength(x.text(*s))
		}
	})
	if birth, err := time.Parse(time.DateOnly, req.Patient.BirthDate); err == nil && !req.At.IsZero() {
		req.Patient.BirthDate = sameAgeBirthDate(birth, req.At)
	}
	r.Request = req

	d := r.Decision
	d.Obligations = x.notes(d.Obligations)
	d.Notices = x.notes(d.Notices)
	actions := make(map[Action]ActionDecision, len(d.Actions))
	for a, ad := range d.Actions {
		ad.Reasons = x.notes(ad.Reasons)
		ad.Conditions = x.notes(ad.Conditions)
		ad.Remedies = x.notes(ad.Remedies)
		actions[a] = ad
	}
	d.Actions = actions
	r.Decision = d
	return r
}

// The request's plain string fields, by JSON name, that Redact does not
// treat as free text. Vocabulary fields have their own types and are kept.
var (
	idFields   = map[string]bool{"id": true, "person": true, "granted_by": true, "grantee": true, "by": true, "from": true}
	keptFields = map[string]bool{
		"jurisdiction": true, "practice": true,
		"birth_date": true, "valid_from": true, "valid_until": true, "signed_on": true,
	}
)

// A redactor replaces what identifies the people of one request.
type redactor struct {
	patterns []pattern         // longest first
	ids      map[string]string // identifier holding a name -> "[id N]"
}

// A pattern is text to find, as a whole word and in any case, and what
// replaces it. Identifiers rank before names of the same length, so that an
// identifier is replaced the same in a message as in its field.
type pattern struct {
	text, as string
	rank     int
}

const (
	identifierRank = iota
	nameRank
	wordRank
)

func newRedactor(req Request) *redactor {
	type person struct{ name, as string }
	people := []person{{req.Patient.Name, "[patient]"}, {req.Companion.Name, "[companion]"}}
	for i, g := range req.Records.Guardians {
		people = append(people, person{g.Name, fmt.Sprintf("[guardian %d]", i+1)})
	}
	found := map[string]int{} // lower-cased text -> index in patterns
	var patterns []pattern
	add := func(text, as string, rank int) {
		key := strings.ToLower(text)
		i, ok := found[key]
		switch {
		case !ok:
			found[key] = len(patterns)
			patterns = append(patterns, pattern{text, as, rank})
		case patterns[i].rank == wordRank && rank == wordRank && patterns[i].as != as:
			patterns[i].as = "[name]" // a word two people share names neither
		}
	}
	// A name that is already a placeholder (a record redacted before)
	// names nobody: redacting again leaves the record as it is.
	people = slices.DeleteFunc(people, func(p person) bool { return redactedName.MatchString(p.name) })
	for _, p := range people {
		if name := strings.TrimSpace(p.name); name != "" {
			add(name, p.as, nameRank)
		}
	}
	for _, p := range people {
		for _, word := range nameWords(p.name) {
			add(word, p.as, wordRank)
		}
	}
	if req.Patient.BirthDate != "" {
		add(req.Patient.BirthDate, "[birth date]", nameRank)
	}

	x := &redactor{ids: map[string]string{}}
	taken := map[string]bool{}
	var identifiers []string
	visitStrings(reflect.ValueOf(&req).Elem(), "", func(field string, s *string) {
		if idFields[field] {
			taken[*s] = true
			identifiers = append(identifiers, *s)
		}
	})
	n := 0
	for _, id := range identifiers {
		if _, done := x.ids[id]; done || !holdsAny(id, patterns) {
			continue
		}
		as := ""
		for as == "" || taken[as] {
			n++
			as = fmt.Sprintf("[id %d]", n)
		}
		x.ids[id] = as
		patterns = append(patterns, pattern{id, as, identifierRank})
	}
	slices.SortFunc(patterns, func(a, b pattern) int {
		return cmp.Or(cmp.Compare(len(b.text), len(a.text)), cmp.Compare(a.rank, b.rank),
			strings.Compare(a.text, b.text), strings.Compare(a.as, b.as))
	})
	x.patterns = patterns
	return x
}

// redactedName matches what Redact puts in place of a name or an identifier.
var redactedName = regexp.MustCompile(`^\[(patient|companion|guardian \d+|name|id \d+)\]$`)

// nameWords are the words of a name of two letters or more: an initial alone
// names nobody.
func nameWords(name string) []string {
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' })
	return slices.DeleteFunc(words, func(w string) bool { return utf8.RuneCountInString(strings.Trim(w, "'’")) < 2 })
}

// holdsAny reports whether s holds any of the patterns' text anywhere, in
// any case: an identifier is opaque, so a name run into other letters in it
// still names someone.
func holdsAny(s string, patterns []pattern) bool {
	lower := strings.ToLower(s)
	for _, p := range patterns {
		if strings.Contains(lower, strings.ToLower(p.text)) {
			return true
		}
	}
	return false
}

// text replaces every pattern in s, left to right, trying the longest
// pattern first at each place.
func (x *redactor) text(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if as, n, ok := x.match(s, i); ok {
			b.WriteString(as)
			i += n
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// match finds the first pattern that s holds at byte i as a whole word, and
// returns its replacement and the length of the text it replaces.
func (x *redactor) match(s string, i int) (as string, n int, ok bool) {
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	for _, p := range x.patterns {
		first, _ := utf8.DecodeRuneInString(p.text)
		if i > 0 && unicode.IsLetter(first) && unicode.IsLetter(before) {
			continue
		}
		n, ok := foldPrefix(s[i:], p.text)
		if !ok {
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(p.text)
		if after, _ := utf8.DecodeRuneInString(s[i+n:]); i+n < len(s) && unicode.IsLetter(last) && unicode.IsLetter(after) {
			continue
		}
		return p.as, n, true
	}
	return "", 0, false
}

// foldPrefix reports whether s begins with prefix, ignoring case, and how
// many bytes of s it spans.
func foldPrefix(s, prefix string) (int, bool) {
	n := 0
	for _, want := range prefix {
		got, size := utf8.DecodeRuneInString(s[n:])
		same := got == want || unicode.ToLower(got) == unicode.ToLower(want) || unicode.ToUpper(got) == unicode.ToUpper(want)
		if size == 0 || !same {
			return 0, false
		}
		n += size
	}
	return n, true
}

// withinTextLength cuts s to the contract's longest string: a placeholder
// can be longer than the name it replaces, and a replayed request must
// still be valid. Free text decides nothing, so the cut changes no decision.
func withinTextLength(s string) string {
	if utf8.RuneCountInString(s) <= MaxTextLength {
		return s
	}
	return string([]rune(s)[:MaxTextLength])
}

func (x *redactor) notes(notes []Note) []Note {
	out := make([]Note, len(notes))
	for i, n := range notes {
		out[i] = Note{Code: n.Code, Message: x.text(n.Message)}
	}
	return out
}

// visitStrings calls f with every plain string field under v, and the JSON
// name of the field, in the order of the fields. Slices and pointers on the
// way are copied first, so f may change what it is given without changing
// the value v was copied from.
func visitStrings(v reflect.Value, field string, f func(field string, s *string)) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(v.Elem())
		v.Set(c)
		visitStrings(c.Elem(), field, f)
	case reflect.Slice:
		if v.Len() == 0 {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		v.Set(c)
		for i := range c.Len() {
			visitStrings(c.Index(i), field, f)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if sf := t.Field(i); sf.IsExported() {
				name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
				visitStrings(v.Field(i), name, f)
			}
		}
	case reflect.String:
		if v.Type() == reflect.TypeFor[string]() {
			f(field, v.Addr().Interface().(*string))
		}
	}
}

// sameAgeBirthDate is the first of January of the year that gives the same
// age in whole years at the moment at, in at's own zone.
func sameAgeBirthDate(birth, at time.Time) string {
	day := at.Format(time.DateOnly)
	age := at.Year() - birth.Year()
	if day[5:] < birth.Format(time.DateOnly)[5:] {
		age--
	}
	return fmt.Sprintf("%04d-01-01", at.Year()-age)
}

// ReadRecords reads JSON-lines records, one per line, in order.
func ReadRecords(r io.Reader) ([]Record, error) {
	dec := json.NewDecoder(r)
	var out []Record
	for dec.More() {
		var rec Record
		if err := dec.Decode(&rec); err != nil {
			return out, fmt.Errorf("record %d: %w", len(out)+1, err)
		}
		out = append(out, rec)
	}
	return out, nil
}

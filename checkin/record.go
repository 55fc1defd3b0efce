package checkin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
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
}

func newDecisionID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
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

// Record writes r as one line.
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
	_, err = j.w.Write(append(line, '\n'))
	return err
}

// Redact returns the record without the names of the people in it or the
// patient's birth date. The patient's age on the day of the decision is
// kept, so the redacted request decides the same.
func Redact(r Record) Record {
	req := r.Request
	names := map[string]string{}
	rename := func(name, as string) string {
		if name != "" {
			names[name] = as
			return as
		}
		return ""
	}
	req.Patient.Name = rename(req.Patient.Name, "[patient]")
	req.Companion.Name = rename(req.Companion.Name, "[companion]")
	req.Records.Guardians = append([]Guardian(nil), req.Records.Guardians...)
	for i := range req.Records.Guardians {
		req.Records.Guardians[i].Name = rename(req.Records.Guardians[i].Name, fmt.Sprintf("[guardian %d]", i+1))
	}
	if birth, err := time.Parse(time.DateOnly, req.Patient.BirthDate); err == nil && !req.At.IsZero() {
		req.Patient.BirthDate = sameAgeBirthDate(birth, req.At)
	}
	r.Request = req

	pairs := make([]string, 0, 2*len(names))
	for name, as := range names {
		pairs = append(pairs, name, as)
	}
	replacer := strings.NewReplacer(pairs...)
	d := r.Decision
	d.Obligations = redactNotes(d.Obligations, replacer)
	d.Notices = redactNotes(d.Notices, replacer)
	actions := make(map[Action]ActionDecision, len(d.Actions))
	for a, ad := range d.Actions {
		ad.Reasons = redactNotes(ad.Reasons, replacer)
		ad.Conditions = redactNotes(ad.Conditions, replacer)
		ad.Remedies = redactNotes(ad.Remedies, replacer)
		actions[a] = ad
	}
	d.Actions = actions
	r.Decision = d
	return r
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

func redactNotes(notes []Note, r *strings.Replacer) []Note {
	out := make([]Note, len(notes))
	for i, n := range notes {
		out[i] = Note{Code: n.Code, Message: r.Replace(n.Message)}
	}
	return out
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

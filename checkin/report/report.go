// Package report summarises recorded decisions for a practice's compliance
// office: what the desk decided in a period, what it refused most and on
// what basis, what would have turned those refusals into a yes, the
// conditions staff had to meet, the jurisdictions that fell back to the
// default profile or that an overlay amended, and the policy revisions
// that decided; and, given a candidate policy, how many past refusals it
// would turn into a yes.
//
// It reads records as checkin.JSONLRecorder writes them, while they are
// being written, and redacts every record it reads (checkin.Redact), so a
// report never holds a name or a birth date, whatever the records hold.
package report

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// Options bound the period a report covers and, with Candidate, replay the
// period's decisions under another policy.
type Options struct {
	// Since and Until are dates (YYYY-MM-DD), inclusive; "" leaves the
	// period open. A decision's date is the desk's: the local date of its
	// request's "at".
	Since, Until string
	// Candidate, when set, decides every counted request again. It must not
	// record: an engine built without a recorder.
	Candidate Decider
}

// A Decider decides requests; a *checkin.Engine is one.
type Decider interface {
	Decide(ctx context.Context, req checkin.Request) (checkin.Decision, error)
	Revision() string
}

// A Report summarises the decisions of a period. Every list of counts is
// sorted by count, largest first, then by key.
type Report struct {
	Since string `json:"since,omitempty"` // the period asked for
	Until string `json:"until,omitempty"`
	First string `json:"first,omitempty"` // the dates of the first and last decision counted
	Last  string `json:"last,omitempty"`

	Decisions int `json:"decisions"`
	// Unreadable counts the lines that were not records (torn by a crash,
	// or edited by hand); UnreadableLines names the first of them.
	Unreadable      int   `json:"unreadable"`
	UnreadableLines []int `json:"unreadable_lines,omitempty"`
	// Outcomes counts decisions by outcome, every outcome in the contract's
	// order (checkin.Outcomes).
	Outcomes []Count `json:"outcomes"`
	// Days counts decisions by outcome for every day from First to Last.
	Days []Day `json:"days"`

	// RefusalsByBasis and RefusalsByAction count refused (denied) actions.
	RefusalsByBasis  []Count `json:"refusals_by_basis"`
	RefusalsByAction []Count `json:"refusals_by_action"`
	// EscalationsByBasis counts actions left for a manager or clinician.
	EscalationsByBasis []Count `json:"escalations_by_basis"`
	// Remedies counts the remedies offered on refused actions: what would
	// have made them a yes.
	Remedies []Count `json:"remedies"`
	// Conditions counts what staff had to do before going ahead.
	Conditions []Count `json:"conditions"`
	// Defaulted counts decisions whose jurisdiction had no profile, so the
	// default applied, by the jurisdiction the request named.
	Defaulted []Count `json:"defaulted"`
	// Amended counts decisions under a profile an overlay amended.
	Amended []Count `json:"amended"`
	// Revisions counts decisions by the policy revision that made them.
	Revisions []Count `json:"revisions"`

	// Replay is what the candidate policy decides, when there is one.
	Replay *Replay `json:"replay,omitempty"`
}

// A Count is how many times a key (a code, an action, a jurisdiction, a
// revision) was seen, with the first message seen for it, redacted.
type Count struct {
	Key     string `json:"key"`
	N       int    `json:"n"`
	Example string `json:"example,omitempty"`
}

// A Day is one day's decisions by outcome.
type Day struct {
	Date     string                  `json:"date"`
	Total    int                     `json:"total"`
	Outcomes map[checkin.Outcome]int `json:"outcomes"`
}

// Replay is what a candidate policy decides for the period's requests.
type Replay struct {
	Revision string `json:"revision"`
	// Refusals is the refused actions replayed; NowAllowed those of them
	// the candidate allows (with or without conditions).
	Refusals   int `json:"refusals"`
	NowAllowed int `json:"now_allowed"`
	// NowAllowedByBasis counts the refusals now allowed by their old basis.
	NowAllowedByBasis []Count `json:"now_allowed_by_basis"`
	// Allowed is the allowed actions replayed; NowRefused those of them the
	// candidate refuses or escalates: what the change would take away.
	Allowed    int `json:"allowed"`
	NowRefused int `json:"now_refused"`
	// Failed is the decisions the candidate could not make, such as a
	// request it finds invalid.
	Failed int `json:"failed"`
	// Examples are the first changes seen, up to MaxExamples.
	Examples []Change `json:"examples"`
}

// MaxExamples is how many changes a Replay keeps as examples.
const MaxExamples = 10

// A Change is one action the candidate decides differently.
type Change struct {
	Record string          `json:"record"` // the record's id
	Action checkin.Action  `json:"action"`
	Before checkin.Verdict `json:"before"`
	After  checkin.Verdict `json:"after"`
	// BasisBefore and BasisAfter are the bases under each policy.
	BasisBefore checkin.Code `json:"basis_before"`
	BasisAfter  checkin.Code `json:"basis_after"`
}

// maxDays bounds the days a report lists one by one: a longer period
// lists only the days with decisions.
const maxDays = 400

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// checkDate reports a bound that is not a date, naming the option.
func checkDate(name, value string) error {
	if value == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, value); err != nil || !datePattern.MatchString(value) {
		return fmt.Errorf("%s %q is not a date (YYYY-MM-DD)", name, value)
	}
	return nil
}

// Read reads records, one JSON object a line, as checkin.JSONLRecorder
// writes them, and reports on them in one pass (see Builder.Read).
func Read(ctx context.Context, r io.Reader, opts Options) (*Report, error) {
	b, err := NewBuilder(opts)
	if err != nil {
		return nil, err
	}
	if err := b.Read(ctx, r); err != nil {
		return nil, err
	}
	return b.Report(), nil
}

// Build reports on records already read.
func Build(ctx context.Context, records []checkin.Record, opts Options) (*Report, error) {
	b, err := NewBuilder(opts)
	if err != nil {
		return nil, err
	}
	for _, rec := range records {
		if err := b.Add(ctx, rec); err != nil {
			return nil, err
		}
	}
	return b.Report(), nil
}

// MaxLineBytes bounds a line of a records file: a record is a request of at
// most checkin.MaxRequestBytes and its decision. A longer line is unreadable.
const MaxLineBytes = 8 * checkin.MaxRequestBytes

// MaxUnreadableLines is how many unreadable lines a Report names.
const MaxUnreadableLines = 10

// Read adds the records r holds, one JSON object a line. A last line
// without its newline is a record still being written, and is left out
// unless it is whole. A line that is not a record (one torn by a crash, say)
// is counted in Unreadable and named in UnreadableLines, and the report goes
// on: one bad line does not hide a month. Read may be called once for each
// of several files; lines are numbered in each.
func (b *Builder) Read(ctx context.Context, r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br)
		partial := errors.Is(err, io.EOF)
		if err != nil && !partial {
			return fmt.Errorf("reading line %d: %w", n, err)
		}
		if tooLong || len(bytes.TrimSpace(line)) > 0 {
			e, jerr := readEntry(line)
			unreadable := tooLong || jerr != nil
			switch {
			case unreadable && partial:
				return nil // still being written
			case unreadable:
				b.unreadable(n)
			default:
				if err := b.add(ctx, e); err != nil {
					return err
				}
			}
		}
		if partial {
			return nil
		}
	}
}

// readLine reads one line, without reading more than MaxLineBytes of it
// into memory: the rest of a longer line is skipped, and tooLong set.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > MaxLineBytes {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, tooLong, err
		}
	}
}

func (b *Builder) unreadable(line int) {
	b.rep.Unreadable++
	if len(b.rep.UnreadableLines) < MaxUnreadableLines {
		b.rep.UnreadableLines = append(b.rep.UnreadableLines, line)
	}
}

// A Builder counts records as they come, for a report on them all.
type Builder struct {
	opts        Options
	rep         Report
	outcomes    map[checkin.Outcome]int
	days        map[string]map[checkin.Outcome]int
	first, last string

	refusalsByBasis, refusalsByAction, escalationsByBasis counter
	remedies, conditions, defaulted, amended, revisions   counter

	replay     *Replay // nil without a candidate
	nowAllowed counter
}

// A counter counts keys, keeping the first example of each.
type counter struct {
	n       map[string]int
	example map[string]string
}

// add counts key; the first time it is seen, example (when not nil) gives
// its example.
func (c *counter) add(key string, example func() string) {
	if c.n == nil {
		c.n, c.example = map[string]int{}, map[string]string{}
	}
	c.n[key]++
	if _, seen := c.example[key]; !seen && example != nil {
		c.example[key] = example()
	}
}

func (c *counter) sorted() []Count {
	out := make([]Count, 0, len(c.n))
	for k, n := range c.n {
		out = append(out, Count{Key: k, N: n, Example: c.example[k]})
	}
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(cmp.Compare(b.N, a.N), strings.Compare(a.Key, b.Key)) })
	return out
}

// NewBuilder returns a builder for a report with opts, or an error naming
// an option that is not a date.
func NewBuilder(opts Options) (*Builder, error) {
	if err := errors.Join(checkDate("since", opts.Since), checkDate("until", opts.Until)); err != nil {
		return nil, err
	}
	if opts.Since != "" && opts.Until != "" && opts.Since > opts.Until {
		return nil, fmt.Errorf("since %s is after until %s", opts.Since, opts.Until)
	}
	b := &Builder{opts: opts, outcomes: map[checkin.Outcome]int{}, days: map[string]map[checkin.Outcome]int{}}
	b.rep.Since, b.rep.Until = opts.Since, opts.Until
	if opts.Candidate != nil {
		b.replay = &Replay{Revision: opts.Candidate.Revision(), Examples: []Change{}}
	}
	return b, nil
}

// deskDate is the desk's date of a decision: the local date of its
// request's "at", or, for a record without one, the date it was recorded.
func deskDate(at, recorded time.Time) string {
	if !at.IsZero() {
		return at.Format(time.DateOnly)
	}
	return recorded.UTC().Format(time.DateOnly)
}

// An entry is what a report reads of a record: its codes and dates, and
// the whole record, redacted, only when an example or a replay needs it.
type entry struct {
	id, revision, date, jurisdiction string
	decision                         checkin.Decision
	record                           func() (checkin.Record, error) // the record, redacted
}

// wireRecord is a record as a line holds it, its request left undecoded
// but for what a report reads of it.
type wireRecord struct {
	ID       string           `json:"id"`
	Time     time.Time        `json:"time"`
	Revision string           `json:"revision"`
	Request  json.RawMessage  `json:"request"`
	Decision checkin.Decision `json:"decision"`
	Cached   bool             `json:"cached"`
}

// readEntry reads one line. Counting needs only the decision and the
// request's date and jurisdiction; the request is read in full, and the
// record redacted, only for the few records whose messages become examples.
func readEntry(line []byte) (entry, error) {
	var w wireRecord
	if err := json.Unmarshal(line, &w); err != nil {
		return entry{}, err
	}
	var req struct {
		At           string `json:"at"`
		Jurisdiction string `json:"jurisdiction"`
	}
	if len(w.Request) > 0 {
		if err := json.Unmarshal(w.Request, &req); err != nil {
			return entry{}, fmt.Errorf("request: %w", err)
		}
	}
	at, _ := time.Parse(time.RFC3339, req.At) // not a time: the date recorded
	return entry{id: w.ID, revision: w.Revision, date: deskDate(at, w.Time), jurisdiction: req.Jurisdiction, decision: w.Decision,
		record: sync.OnceValues(func() (checkin.Record, error) {
			rec := checkin.Record{ID: w.ID, Time: w.Time, Revision: w.Revision, Decision: w.Decision, Cached: w.Cached}
			if err := json.Unmarshal(w.Request, &rec.Request); err != nil {
				return checkin.Record{}, err
			}
			return checkin.Redact(rec), nil
		})}, nil
}

// Add counts one record, if it falls in the period.
func (b *Builder) Add(ctx context.Context, rec checkin.Record) error {
	return b.add(ctx, entry{id: rec.ID, revision: rec.Revision, date: deskDate(rec.Request.At, rec.Time), jurisdiction: rec.Request.Jurisdiction,
		decision: rec.Decision, record: sync.OnceValues(func() (checkin.Record, error) { return checkin.Redact(rec), nil })})
}

func (b *Builder) add(ctx context.Context, e entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	date := e.date
	if (b.opts.Since != "" && date < b.opts.Since) || (b.opts.Until != "" && date > b.opts.Until) {
		return nil
	}
	d := e.decision
	b.rep.Decisions++
	b.outcomes[d.Outcome]++
	if b.days[date] == nil {
		b.days[date] = map[checkin.Outcome]int{}
	}
	b.days[date][d.Outcome]++
	if b.first == "" || date < b.first {
		b.first = date
	}
	if date > b.last {
		b.last = date
	}
	// An example is a message of the record redacted: the recorded
	// decision's messages may hold names.
	example := func(message func(checkin.Decision) string) func() string {
		return func() string {
			rec, err := e.record()
			if err != nil {
				return ""
			}
			return message(rec.Decision)
		}
	}
	for _, a := range slices.Sorted(maps.Keys(d.Actions)) {
		ad := d.Actions[a]
		switch ad.Verdict {
		case checkin.Deny:
			b.refusalsByBasis.add(string(ad.Basis), example(func(d checkin.Decision) string { return firstMessage(d.Actions[a].Reasons) }))
			b.refusalsByAction.add(string(a), nil)
			for i, n := range ad.Remedies {
				b.remedies.add(string(n.Code), example(func(d checkin.Decision) string { return nth(d.Actions[a].Remedies, i) }))
			}
		case checkin.Escalate:
			b.escalationsByBasis.add(string(ad.Basis), example(func(d checkin.Decision) string { return firstMessage(d.Actions[a].Reasons) }))
		case checkin.AllowWithConditions:
			for i, n := range ad.Conditions {
				b.conditions.add(string(n.Code), example(func(d checkin.Decision) string { return nth(d.Actions[a].Conditions, i) }))
			}
		}
	}
	for i, n := range d.Notices {
		notice := example(func(d checkin.Decision) string { return nth(d.Notices, i) })
		switch n.Code {
		case checkin.CodeJurisdictionDefaulted:
			b.defaulted.add(jurisdictionKey(e.jurisdiction), notice)
		case checkin.CodeJurisdictionAmended:
			b.amended.add(jurisdictionKey(d.Policy.Jurisdiction), notice)
		}
	}
	b.revisions.add(cmp.Or(e.revision, d.Policy.Revision, "(none)"), nil)
	if b.replay != nil {
		rec, err := e.record()
		if err != nil {
			b.replay.Failed++
			return nil
		}
		return b.replayRecord(ctx, rec)
	}
	return nil
}

// jurisdictionPattern is the form of a jurisdiction's code; a key of
// another form (a hand-made records file) is not shown.
var jurisdictionPattern = regexp.MustCompile(`^[A-Z]{2}(-[A-Z0-9]{1,3})?$`)

func jurisdictionKey(code string) string {
	switch {
	case code == "":
		return "(none)"
	case jurisdictionPattern.MatchString(code):
		return code
	default:
		return "(not a jurisdiction code)"
	}
}

func nth(notes []checkin.Note, i int) string {
	if i < len(notes) {
		return notes[i].Message
	}
	return ""
}

// replayRecord decides the record's request under the candidate and counts
// what changes.
func (b *Builder) replayRecord(ctx context.Context, rec checkin.Record) error {
	after, err := b.opts.Candidate.Decide(ctx, rec.Request)
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if err != nil {
		b.replay.Failed++
		return nil
	}
	for _, a := range slices.Sorted(maps.Keys(rec.Decision.Actions)) {
		before, now := rec.Decision.Actions[a], after.Actions[a]
		changed := false
		switch {
		case before.Verdict == checkin.Deny:
			b.replay.Refusals++
			if now.Verdict.Allowed() {
				b.replay.NowAllowed++
				b.nowAllowed.add(string(before.Basis), nil)
				changed = true
			}
		case before.Verdict.Allowed():
			b.replay.Allowed++
			if !now.Verdict.Allowed() {
				b.replay.NowRefused++
				changed = true
			}
		}
		if changed && len(b.replay.Examples) < MaxExamples {
			b.replay.Examples = append(b.replay.Examples, Change{Record: rec.ID, Action: a,
				Before: before.Verdict, After: now.Verdict, BasisBefore: before.Basis, BasisAfter: now.Basis})
		}
	}
	return nil
}

// Report is the report on the records added so far.
func (b *Builder) Report() *Report {
	r := b.rep
	r.RefusalsByBasis, r.RefusalsByAction = b.refusalsByBasis.sorted(), b.refusalsByAction.sorted()
	r.EscalationsByBasis, r.Remedies, r.Conditions = b.escalationsByBasis.sorted(), b.remedies.sorted(), b.conditions.sorted()
	r.Defaulted, r.Amended, r.Revisions = b.defaulted.sorted(), b.amended.sorted(), b.revisions.sorted()
	r.First, r.Last = b.first, b.last
	for _, o := range checkin.Outcomes() {
		r.Outcomes = append(r.Outcomes, Count{Key: string(o), N: b.outcomes[o]})
	}
	r.Days = b.dayList()
	if b.replay != nil {
		rp := *b.replay
		rp.NowAllowedByBasis = b.nowAllowed.sorted()
		r.Replay = &rp
	}
	return &r
}

// dayList is every day from the first decision to the last, or, over a
// period longer than maxDays, the days with decisions.
func (b *Builder) dayList() []Day {
	days := []Day{}
	if b.first == "" {
		return days
	}
	var dates []string
	first, _ := time.Parse(time.DateOnly, b.first)
	last, _ := time.Parse(time.DateOnly, b.last)
	if last.Sub(first) <= maxDays*24*time.Hour {
		for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
			dates = append(dates, d.Format(time.DateOnly))
		}
	} else {
		dates = slices.Sorted(maps.Keys(b.days))
	}
	for _, date := range dates {
		day := Day{Date: date, Outcomes: map[checkin.Outcome]int{}}
		for o, n := range b.days[date] {
			day.Outcomes[o] = n
			day.Total += n
		}
		days = append(days, day)
	}
	return days
}

func firstMessage(notes []checkin.Note) string {
	if len(notes) == 0 {
		return ""
	}
	return notes[0].Message
}

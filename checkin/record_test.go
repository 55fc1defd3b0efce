package checkin_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// A family whose names overlap: the mother "Ana Lopez" and the grandmother
// "Ana", the patient "Jamie Lopez", the aunt "Maria Lopez-Garcia". A clerk
// has typed names into identifiers and free text, and the birth date into a
// document id.
func overlappingNamesRequest() checkin.Request {
	all := []checkin.Action{checkin.AllActions}
	return checkin.Request{
		At:           time.Date(2026, 11, 22, 9, 30, 0, 0, time.FixedZone("CST", -6*60*60)),
		Jurisdiction: "US-TX",
		Patient:      checkin.Patient{ID: "pt-1", Name: "Jamie Lopez", BirthDate: "2019-05-10"},
		Companion: checkin.Companion{ID: "maria.lopez", Name: "Maria Lopez-Garcia", Relationship: checkin.AuntUncle,
			Age: 34, Identity: checkin.PhotoID, BroughtPatient: true},
		Records: checkin.Records{
			Guardians: []checkin.Guardian{
				{Person: "AnaLopez", Name: "Ana Lopez", Role: checkin.RoleParent},
				{Person: "per-8", Name: "Ana", Role: checkin.RoleCourtGuardian},
			},
			Documents: []checkin.Document{{
				ID: "Lopez proxy 2019-05-10", Kind: checkin.ProxyAuthorization, GrantedBy: "AnaLopez",
				Grantee: "maria.lopez", Covers: []checkin.Action{checkin.ConsentSick, checkin.PickUp},
				ValidFrom: "2026-01-10", ValidUntil: "2027-01-10",
			}},
			Restrictions: []checkin.Restriction{{Person: "per-9", Covers: all, Source: "protective order Ana asked for"}},
			Refusals:     []checkin.Refusal{{By: "per-8", Covers: []checkin.Action{checkin.ConsentProcedure}}},
		},
		Desk: checkin.Desk{VerbalConsent: []checkin.VerbalConsent{
			{From: "AnaLopez", Covers: []checkin.Action{checkin.ConsentVaccine}, Witness: "staff-3, with ANA LOPEZ's sister"},
		}},
		Requested: []checkin.Action{checkin.ConsentSick, checkin.ConsentVaccine, checkin.PickUp},
	}
}

func overlappingNamesRecord() checkin.Record {
	note := func(code checkin.Code, message string) []checkin.Note {
		return []checkin.Note{{Code: code, Message: message}}
	}
	return checkin.Record{
		ID: "0123456789abcdef01234567", Revision: "rev", Request: overlappingNamesRequest(),
		Decision: checkin.Decision{
			Outcome: checkin.Partial,
			Actions: map[checkin.Action]checkin.ActionDecision{
				checkin.ConsentSick: {Verdict: checkin.Allow, Basis: "PROXY_AUTHORIZATION",
					Reasons: note("PROXY_AUTHORIZATION",
						"Ana Lopez (parent) authorized Maria Lopez-Garcia in Lopez proxy 2019-05-10, valid until 2027-01-10.")},
				checkin.ConsentVaccine: {Verdict: checkin.AllowWithConditions, Basis: "VERBAL_CONSENT",
					Reasons: note("VERBAL_CONSENT", "AnaLopez (parent) consented by phone, witnessed by staff-3, with "+
						"ANA LOPEZ's sister."),
					Conditions: note("DOCUMENT_VERBAL_CONSENT", "Record the consent of ana lopez, and that Ana agreed.")},
				checkin.PickUp: {Verdict: checkin.Deny, Basis: "NO_AUTHORITY",
					Reasons:  note("NO_AUTHORITY", "Jamie, born 2019-05-10, is not to leave with the Lopez-Garcia family."),
					Remedies: note("CALL_GUARDIAN", "Call Ana (court guardian), or Mrs Lopez.")},
			},
			Obligations: note("RECORD_RELATIONSHIP", "Write 'aunt' for Maria."),
			Notices:     note("DOCUMENT_EXPIRING", "Lopez proxy 2019-05-10 expires soon."),
		},
	}
}

// Every name, every word of a name and the birth date are gone from the
// whole record, whatever order the names could be taken in, and the
// redaction is the same every time.
func TestRedactRemovesEveryNameTheSameEveryTime(t *testing.T) {
	t.Parallel()
	rec := overlappingNamesRecord()
	before, err := json.Marshal(rec)
	require.NoError(t, err)

	first, err := json.Marshal(checkin.Redact(rec))
	require.NoError(t, err)
	for range 200 {
		again, err := json.Marshal(checkin.Redact(rec))
		require.NoError(t, err)
		require.Equal(t, string(first), string(again))
	}
	unchanged, err := json.Marshal(rec)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(unchanged), "Redact changed the record it was given")

	for _, leak := range []string{"ana", "lopez", "jamie", "maria", "garcia", "2019-05-10"} {
		assert.NotRegexp(t, regexp.MustCompile(`(?i)`+leak), stripPlaceholders(string(first)), "%q remains", leak)
	}
}

// Redacting a redacted record changes nothing: its placeholders are not
// taken for names (the word "patient" in a message stays a word).
func TestRedactTwiceIsRedactOnce(t *testing.T) {
	t.Parallel()
	e := engine(t)
	recs := []checkin.Record{overlappingNamesRecord()}
	for c := range checkintest.Grid([]string{"US-KS", "US-CA", "US-TX"}, 300) {
		req := c.Request()
		req.Patient.Name, req.Companion.Name = "Zeb Quill", "Wilma Xu"
		for i := range req.Records.Guardians {
			req.Records.Guardians[i].Name = []string{"Ophelia Yarrow", "Thad Vance"}[i%2]
		}
		d, err := e.Decide(t.Context(), req)
		require.NoError(t, err)
		recs = append(recs, checkin.Record{Request: req, Decision: d})
	}
	for _, rec := range recs {
		once, err := json.Marshal(checkin.Redact(rec))
		require.NoError(t, err)
		twice, err := json.Marshal(checkin.Redact(checkin.Redact(rec)))
		require.NoError(t, err)
		require.Equal(t, string(once), string(twice))
	}
}

// stripPlaceholders removes Redact's own placeholders, so that a search for
// a name does not find the word "guardian" in "[guardian 1]".
func stripPlaceholders(s string) string {
	return regexp.MustCompile(`\[(patient|companion|guardian \d+|name|birth date|id \d+)\]`).ReplaceAllString(s, "")
}

// How each name is replaced: the longest first, a shared family name as
// nobody's, and identifiers the same wherever they appear.
func TestRedactReplacesLongestNamesFirst(t *testing.T) {
	t.Parallel()
	r := checkin.Redact(overlappingNamesRecord())
	req := r.Request
	assert.Equal(t, "[patient]", req.Patient.Name)
	assert.Equal(t, "[companion]", req.Companion.Name)
	assert.Equal(t, "[guardian 1]", req.Records.Guardians[0].Name)
	assert.Equal(t, "[guardian 2]", req.Records.Guardians[1].Name)
	assert.Equal(t, "2019-01-01", req.Patient.BirthDate, "the same age, 7, on the day")

	// Identifiers holding a name are numbered in the request's order, and
	// references to them still match.
	assert.Equal(t, "pt-1", req.Patient.ID)
	assert.Equal(t, "[id 1]", req.Companion.ID)
	assert.Equal(t, "[id 2]", req.Records.Guardians[0].Person)
	assert.Equal(t, "per-8", req.Records.Guardians[1].Person)
	doc := req.Records.Documents[0]
	assert.Equal(t, "[id 3]", doc.ID)
	assert.Equal(t, "[id 2]", doc.GrantedBy)
	assert.Equal(t, "[id 1]", doc.Grantee)
	assert.Equal(t, "[id 2]", req.Desk.VerbalConsent[0].From)
	assert.Equal(t, "per-9", req.Records.Restrictions[0].Person)

	assert.Equal(t, "protective order [guardian 2] asked for", req.Records.Restrictions[0].Source)
	assert.Equal(t, "staff-3, with [guardian 1]'s sister", req.Desk.VerbalConsent[0].Witness)

	d := r.Decision
	assert.Equal(t, "[guardian 1] (parent) authorized [companion] in [id 3], valid until 2027-01-10.",
		d.Actions[checkin.ConsentSick].Reasons[0].Message)
	assert.Equal(t, "[id 2] (parent) consented by phone, witnessed by staff-3, with [guardian 1]'s sister.",
		d.Actions[checkin.ConsentVaccine].Reasons[0].Message)
	assert.Equal(t, "Record the consent of [guardian 1], and that [guardian 2] agreed.",
		d.Actions[checkin.ConsentVaccine].Conditions[0].Message)
	assert.Equal(t, "[patient], born [birth date], is not to leave with the [name]-[companion] family.",
		d.Actions[checkin.PickUp].Reasons[0].Message)
	assert.Equal(t, "Call [guardian 2] (court guardian), or Mrs [name].", d.Actions[checkin.PickUp].Remedies[0].Message)
	assert.Equal(t, "Write 'aunt' for [companion].", d.Obligations[0].Message)
	assert.Equal(t, "[id 3] expires soon.", d.Notices[0].Message)
	assert.Equal(t, checkin.CodeProxyAuthorization, d.Actions[checkin.ConsentSick].Basis, "codes are kept")
}

// Names are whole words: another word that holds one is not a name.
func TestRedactLeavesWordsThatHoldAName(t *testing.T) {
	t.Parallel()
	rec := checkin.Record{Request: checkin.Request{
		Patient:   checkin.Patient{ID: "pt-1", Name: "Pat Lee"},
		Companion: checkin.Companion{ID: "per-1", Name: "Sam"},
	}}
	rec.Decision.Notices = []checkin.Note{{Code: "X", Message: "The patient, Pat, sleeps; Sam's sample."}}
	assert.Equal(t, "The patient, [patient], sleeps; [companion]'s sample.",
		checkin.Redact(rec).Decision.Notices[0].Message)
}

// A placeholder longer than the name it replaces never makes a replayed
// request invalid.
func TestRedactKeepsTextWithinTheLimit(t *testing.T) {
	t.Parallel()
	rec := overlappingNamesRecord()
	rec.Request.Desk.VerbalConsent[0].Witness = strings.Repeat("Ana ", checkin.MaxTextLength/4)
	require.NoError(t, rec.Request.Validate())
	redacted := checkin.Redact(rec).Request
	assert.NoError(t, redacted.Validate())
	assert.True(t, strings.HasPrefix(redacted.Desk.VerbalConsent[0].Witness, "[guardian 2] [guardian 2] "))
}

// The redacted request of a family whose names are in its identifiers
// decides as the original did, and the decision's messages name the
// document by the same replacement as the request does.
func TestRedactedIdentifiersDecideTheSame(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	e, err := checkin.New(t.Context(), checkin.WithRequiredRecorder(checkin.NewJSONLRecorder(&out, nil)))
	require.NoError(t, err)
	req := overlappingNamesRequest()
	req.Records.Restrictions = nil
	want, err := e.Decide(t.Context(), req)
	require.NoError(t, err)

	records, err := checkin.ReadRecords(&out)
	require.NoError(t, err)
	require.Len(t, records, 1)
	redacted := records[0].Request
	again, err := e.Decide(t.Context(), redacted)
	require.NoError(t, err)
	require.Equal(t, len(want.Actions), len(again.Actions))
	for a, ad := range want.Actions {
		assert.Equal(t, ad.Verdict, again.Actions[a].Verdict, a)
		assert.Equal(t, ad.Basis, again.Actions[a].Basis, a)
	}
	sick := records[0].Decision.Actions[checkin.ConsentSick]
	require.Equal(t, checkin.CodeProxyAuthorization, sick.Basis)
	assert.Contains(t, sick.Reasons[0].Message, redacted.Records.Documents[0].ID)
	assert.Equal(t, again.Actions[checkin.ConsentSick].Reasons, sick.Reasons,
		"the redacted request's own decision says what the record says")
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// A buffered writer is flushed with each record, so that a record that
// could not be written is Record's error, not a later surprise.
func TestJSONLRecorderFlushesABufferedWriter(t *testing.T) {
	t.Parallel()
	rec := overlappingNamesRecord()
	err := checkin.NewJSONLRecorder(bufio.NewWriter(failingWriter{}), nil).Record(t.Context(), rec)
	assert.ErrorContains(t, err, "disk full")

	var out bytes.Buffer
	require.NoError(t, checkin.NewJSONLRecorder(bufio.NewWriter(&out), nil).Record(t.Context(), rec))
	assert.Equal(t, 1, strings.Count(out.String(), "\n"))
	assert.NotContains(t, out.String(), "Lopez")

	out.Reset()
	kept := checkin.NewJSONLRecorder(&out, &checkin.RecorderOptions{KeepIdentities: true})
	require.NoError(t, kept.Record(t.Context(), rec))
	assert.Contains(t, out.String(), "Maria Lopez-Garcia")
}

// An identifier that is someone's name is replaced as an identifier
// everywhere, so a message that names the entry by it still matches it.
func TestRedactAnIdentifierThatIsAName(t *testing.T) {
	t.Parallel()
	rec := checkin.Record{Request: overlappingNamesRequest()}
	rec.Request.Records.Guardians[0].Person = "Ana Lopez"
	rec.Request.Records.Documents[0].GrantedBy = "Ana Lopez"
	rec.Decision.Notices = []checkin.Note{{Code: "X", Message: "Ana Lopez (parent) signed."}}
	r := checkin.Redact(rec)
	id := r.Request.Records.Guardians[0].Person
	assert.Regexp(t, `^\[id \d+\]$`, id)
	assert.Equal(t, id, r.Request.Records.Documents[0].GrantedBy)
	assert.Equal(t, id, r.Request.Records.Guardians[0].Name)
	assert.Equal(t, id+" (parent) signed.", r.Decision.Notices[0].Message)
}

// A record says when the decision cache answered, and only then: records
// of an engine without the cache read as before.
func TestRecordSaysWhenTheCacheAnswered(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	w := checkin.NewJSONLRecorder(&out, nil)
	rec := overlappingNamesRecord()
	require.NoError(t, w.Record(t.Context(), rec))
	rec.Cached = true
	require.NoError(t, w.Record(t.Context(), rec))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2)
	assert.NotContains(t, lines[0], `"cached"`)
	assert.Contains(t, lines[1], `"cached":true`)
	read, err := checkin.ReadRecords(&out)
	require.NoError(t, err)
	assert.False(t, read[0].Cached)
	assert.True(t, read[1].Cached)
}

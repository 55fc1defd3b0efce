package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
	"github.com/frontdesk-policy/frontdesk/checkin/report"
)

// recorded decides requests on an engine that records them, names and all,
// into JSON lines, and returns the lines and the decisions.
func recorded(t testing.TB, reqs []checkin.Request, opts ...checkin.Option) ([]byte, []checkin.Decision) {
	t.Helper()
	var buf bytes.Buffer
	engine, err := checkin.New(context.Background(), append(opts,
		checkin.WithRequiredRecorder(checkin.NewJSONLRecorder(&buf, &checkin.RecorderOptions{KeepIdentities: true})))...)
	require.NoError(t, err)
	var decisions []checkin.Decision
	for _, req := range reqs {
		d, err := engine.Decide(context.Background(), req)
		require.NoError(t, err)
		decisions = append(decisions, d)
	}
	return buf.Bytes(), decisions
}

// gridRequests is a sample of the grid's requests, spread over three days,
// with distinctive names on the patient, the companion and the guardians.
func gridRequests(n int) []checkin.Request {
	var reqs []checkin.Request
	for c := range checkintest.Grid([]string{"US-KS", "US-CA", "US-ZZ"}, n) {
		req := c.Request()
		req.At = time.Date(2026, 11, 23+len(reqs)%3, 9, 0, 0, 0, time.FixedZone("CST", -6*60*60))
		req.Patient.Name = "Zebulon Quixote"
		req.Companion.Name = "Wilhelmina Xerxes"
		for i := range req.Records.Guardians {
			req.Records.Guardians[i].Name = []string{"Ophelia Yarborough", "Thaddeus Vanterpool"}[i%2]
		}
		reqs = append(reqs, req)
	}
	return reqs
}

// The report counts what the decisions say, counted here independently.
func TestReportCounts(t *testing.T) {
	reqs := gridRequests(300)
	lines, decisions := recorded(t, reqs)
	r, err := report.Read(t.Context(), bytes.NewReader(lines), report.Options{})
	require.NoError(t, err)

	require.Equal(t, len(reqs), r.Decisions)
	outcomes := map[string]int{}
	refusalsByBasis, refusalsByAction, conditions, remedies, defaulted := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for i, d := range decisions {
		outcomes[string(d.Outcome)]++
		for a, ad := range d.Actions {
			switch ad.Verdict {
			case checkin.Deny:
				refusalsByBasis[string(ad.Basis)]++
				refusalsByAction[string(a)]++
				for _, n := range ad.Remedies {
					remedies[string(n.Code)]++
				}
			case checkin.AllowWithConditions:
				for _, n := range ad.Conditions {
					conditions[string(n.Code)]++
				}
			}
		}
		for _, n := range d.Notices {
			if n.Code == checkin.CodeJurisdictionDefaulted {
				defaulted[reqs[i].Jurisdiction]++
			}
		}
	}
	for _, c := range r.Outcomes {
		assert.Equal(t, outcomes[c.Key], c.N, c.Key)
	}
	assert.Len(t, r.Outcomes, len(checkin.Outcomes()), "every outcome is listed, zeros too")
	assert.Equal(t, refusalsByBasis, asMap(r.RefusalsByBasis))
	assert.Equal(t, refusalsByAction, asMap(r.RefusalsByAction))
	assert.Equal(t, conditions, asMap(r.Conditions))
	assert.Equal(t, remedies, asMap(r.Remedies))
	assert.Equal(t, defaulted, asMap(r.Defaulted))
	assert.Equal(t, map[string]int{"US-ZZ": outcomesIn(reqs, "US-ZZ")}, asMap(r.Defaulted), "the unknown state fell back to the default")
	assert.Len(t, r.Revisions, 1)
	assert.NotEmpty(t, r.RefusalsByBasis)

	require.Len(t, r.Days, 3)
	total := 0
	for _, d := range r.Days {
		total += d.Total
	}
	assert.Equal(t, len(reqs), total)
	assert.Equal(t, "2026-11-23", r.First)
	assert.Equal(t, "2026-11-25", r.Last)
	for i := 1; i < len(r.RefusalsByBasis); i++ {
		assert.GreaterOrEqual(t, r.RefusalsByBasis[i-1].N, r.RefusalsByBasis[i].N, "sorted by count")
	}
}

func asMap(counts []report.Count) map[string]int {
	m := map[string]int{}
	for _, c := range counts {
		m[c.Key] = c.N
	}
	return m
}

func outcomesIn(reqs []checkin.Request, jurisdiction string) int {
	n := 0
	for _, r := range reqs {
		if r.Jurisdiction == jurisdiction {
			n++
		}
	}
	return n
}

// Records kept with identities still give a report without a name or a
// birth date, in JSON, as text and in the chart.
func TestReportHoldsNoIdentity(t *testing.T) {
	reqs := gridRequests(200)
	lines, _ := recorded(t, reqs)
	require.Contains(t, string(lines), "Zebulon", "the records hold the names")
	r, err := report.Read(t.Context(), bytes.NewReader(lines), report.Options{})
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, json.NewEncoder(&out).Encode(r))
	require.NoError(t, r.WriteText(&out))
	out.Write(r.DaysSVG("Decisions by day", func(o checkin.Outcome) string { return string(o) }))
	for _, word := range []string{"Zebulon", "Quixote", "Wilhelmina", "Xerxes", "Ophelia", "Yarborough", "Thaddeus", "Vanterpool"} {
		assert.NotContains(t, out.String(), word)
	}
	for _, req := range reqs {
		assert.NotContains(t, out.String(), req.Patient.BirthDate)
	}
	assert.Contains(t, out.String(), "[companion]", "examples keep their sense, with placeholders")

	// Redacted records (as the service writes them) read the same, without
	// the placeholders taken for names a second time.
	var redacted bytes.Buffer
	records, err := checkin.ReadRecords(bytes.NewReader(lines))
	require.NoError(t, err)
	rec := checkin.NewJSONLRecorder(&redacted, nil)
	for _, r := range records {
		require.NoError(t, rec.Record(t.Context(), r))
	}
	again, err := report.Read(t.Context(), &redacted, report.Options{})
	require.NoError(t, err)
	assert.Equal(t, r, again)
}

// A record being written (the last line, without its newline) is left out;
// a broken line before it is an error naming the line.
func TestReadWhileWritten(t *testing.T) {
	lines, _ := recorded(t, gridRequests(5))
	whole := bytes.Count(lines, []byte("\n"))
	r, err := report.Read(t.Context(), bytes.NewReader(lines[:len(lines)-40]), report.Options{})
	require.NoError(t, err)
	assert.Equal(t, whole-1, r.Decisions, "the half-written record is left out")

	r, err = report.Read(t.Context(), bytes.NewReader(bytes.TrimSuffix(lines, []byte("\n"))), report.Options{})
	require.NoError(t, err)
	assert.Equal(t, whole, r.Decisions, "a whole last record without its newline counts")

	// A line torn by a crash (the next record written after it) is counted,
	// not counted as a decision, and does not hide the others.
	torn := append(bytes.Clone(lines[:bytes.IndexByte(lines, '\n')+1]), []byte("{\"id\": \"torn\", \"ti\n")...)
	torn = append(torn, lines...)
	r, err = report.Read(t.Context(), bytes.NewReader(torn), report.Options{})
	require.NoError(t, err)
	assert.Equal(t, whole+1, r.Decisions)
	assert.Equal(t, 1, r.Unreadable)
	assert.Equal(t, []int{2}, r.UnreadableLines)
	var text bytes.Buffer
	require.NoError(t, r.WriteText(&text))
	assert.Contains(t, text.String(), "unreadable lines, left out: 1 (line numbers: 2)")

	// A line over the bound is not read into memory whole.
	huge := append(bytes.Repeat([]byte("x"), report.MaxLineBytes+10), '\n')
	r, err = report.Read(t.Context(), io.MultiReader(bytes.NewReader(huge), bytes.NewReader(lines)), report.Options{})
	require.NoError(t, err)
	assert.Equal(t, whole, r.Decisions)
	assert.Equal(t, []int{1}, r.UnreadableLines)

	_, err = report.Read(t.Context(), failingReader{}, report.Options{})
	require.ErrorContains(t, err, "disk gone")
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk gone") }

func TestReportPeriod(t *testing.T) {
	reqs := gridRequests(90)
	lines, _ := recorded(t, reqs)
	r, err := report.Read(t.Context(), bytes.NewReader(lines), report.Options{Since: "2026-11-24", Until: "2026-11-24"})
	require.NoError(t, err)
	assert.Equal(t, len(reqs)/3, r.Decisions)
	assert.Equal(t, "2026-11-24", r.First)
	assert.Equal(t, "2026-11-24", r.Last)

	r, err = report.Read(t.Context(), bytes.NewReader(lines), report.Options{Since: "2027-01-01"})
	require.NoError(t, err)
	assert.Zero(t, r.Decisions)
	assert.Empty(t, r.Days)
	assert.NotNil(t, r.RefusalsByBasis, "lists are lists, never null")

	for _, bad := range []report.Options{{Since: "23/11/2026"}, {Until: "2026-13-01"}, {Since: "2026-11-25", Until: "2026-11-24"}} {
		_, err := report.Read(t.Context(), bytes.NewReader(lines), bad)
		assert.Error(t, err, "%+v", bad)
	}
	_, err = report.Read(t.Context(), bytes.NewReader(lines), report.Options{Since: "23/11/2026"})
	assert.EqualError(t, err, `since "23/11/2026" is not a date (YYYY-MM-DD)`)
}

// Replayed under the careful-pediatrics overlay, which forbids a sitter to
// take a child home, allowed pick-ups become refusals; under the policy that
// made them, nothing changes.
func TestReplay(t *testing.T) {
	var reqs []checkin.Request
	for _, r := range gridRequests(600) {
		if r.Jurisdiction == "US-KS" {
			reqs = append(reqs, r)
		}
	}
	// The overlay's own cases, decided first under the default policy.
	cases, err := checkintest.LoadScenarios(os.DirFS("../../examples/overlays/careful-pediatrics"), "scenarios")
	require.NoError(t, err)
	for _, c := range cases {
		req, err := checkin.ParseRequest(c.Request)
		require.NoError(t, err)
		reqs = append(reqs, req)
	}
	lines, decisions := recorded(t, reqs)

	same, err := checkin.New(t.Context())
	require.NoError(t, err)
	r, err := report.Read(t.Context(), bytes.NewReader(lines), report.Options{Candidate: same})
	require.NoError(t, err)
	require.NotNil(t, r.Replay)
	assert.Zero(t, r.Replay.NowAllowed)
	assert.Zero(t, r.Replay.NowRefused)
	assert.Zero(t, r.Replay.Failed)
	assert.True(t, sumInto(r.RefusalsByAction, r.Replay.Refusals), "every refusal is replayed")
	assert.Empty(t, r.Replay.Examples)

	careful, err := checkin.New(t.Context(), checkin.WithOverlayDir("../../examples/overlays/careful-pediatrics"))
	require.NoError(t, err)
	r, err = report.Read(t.Context(), bytes.NewReader(lines), report.Options{Candidate: careful})
	require.NoError(t, err)
	assert.Equal(t, careful.Revision(), r.Replay.Revision)
	assert.Positive(t, r.Replay.NowRefused, "the overlay takes pick-ups from sitters")
	require.NotEmpty(t, r.Replay.Examples)
	want := 0
	for i, d := range decisions {
		after, err := careful.Decide(t.Context(), reqs[i])
		require.NoError(t, err)
		for a, ad := range d.Actions {
			if ad.Verdict.Allowed() && !after.Actions[a].Verdict.Allowed() {
				want++
			}
		}
	}
	assert.Equal(t, want, r.Replay.NowRefused, "replaying redacted records decides as the originals do")
	var text bytes.Buffer
	require.NoError(t, r.WriteText(&text))
	assert.Contains(t, text.String(), "REPLAYED UNDER REVISION "+careful.Revision())
}

// sumInto checks the refusals replayed are the refusals counted.
func sumInto(counts []report.Count, replayed int) bool {
	n := 0
	for _, c := range counts {
		n += c.N
	}
	return n == replayed
}

// The chart is well-formed XML whatever the labels say, and names every
// outcome in words.
func TestDaysSVG(t *testing.T) {
	lines, _ := recorded(t, gridRequests(60))
	r, err := report.Read(t.Context(), bytes.NewReader(lines), report.Options{})
	require.NoError(t, err)
	svg := r.DaysSVG(`Decisions <by> "day" & more`, func(o checkin.Outcome) string { return "<script>alert(1)</script>" + string(o) })
	assert.NotContains(t, string(svg), "<script>")
	dec := xml.NewDecoder(bytes.NewReader(svg))
	texts := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the chart is well-formed XML")
		if cd, ok := tok.(xml.CharData); ok {
			texts += string(cd) + "\n"
		}
	}
	for _, o := range checkin.Outcomes() {
		assert.Contains(t, texts, "<script>alert(1)</script>"+string(o), "the legend names %s in words", o)
	}
	assert.True(t, strings.HasPrefix(string(svg), `<svg xmlns="http://www.w3.org/2000/svg" role="img"`))
	empty, err := report.Build(t.Context(), nil, report.Options{})
	require.NoError(t, err)
	var root struct{ XMLName xml.Name }
	require.NoError(t, xml.Unmarshal(empty.DaysSVG("none", func(o checkin.Outcome) string { return string(o) }), &root))
	assert.Equal(t, "svg", root.XMLName.Local)
}

// BenchmarkRead reads a month of a busy desk's records: 10,000, written
// with identities, so that each is redacted as it is read.
func BenchmarkRead(b *testing.B) {
	lines, _ := recorded(b, gridRequests(1000))
	month := bytes.Repeat(lines, 10)
	b.SetBytes(int64(len(month)))
	b.ResetTimer()
	for b.Loop() {
		r, err := report.Read(context.Background(), bytes.NewReader(month), report.Options{})
		if err != nil || r.Decisions < 10000 {
			b.Fatal(err, r.Decisions)
		}
	}
}

package fhir_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/fhir"
)

const (
	roleCode    = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
	contactRole = "http://terminology.hl7.org/CodeSystem/v2-0131"
	scopeSystem = "http://terminology.hl7.org/CodeSystem/consentscope"
)

// engine is one default-policy engine for every test that decides.
var engine = sync.OnceValues(func() (*checkin.Engine, error) { return checkin.New(context.Background()) })

// body is a check-in's JSON, decoded, to change one thing in a test.
type body map[string]any

// load reads a check-in from testdata/checkins.
func load(t testing.TB, name string) body {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "checkins", name))
	require.NoError(t, err)
	var b body
	require.NoError(t, json.Unmarshal(data, &b))
	return b
}

// readJSON reads a resource from testdata.
func readJSON(t testing.TB, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", path))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	return m
}

func (b body) entries() []any {
	return b["bundle"].(map[string]any)["entry"].([]any)
}

// resource returns the resource of the bundle with reference ref.
func (b body) resource(t testing.TB, ref string) map[string]any {
	t.Helper()
	for _, e := range b.entries() {
		r := e.(map[string]any)["resource"].(map[string]any)
		if r["resourceType"].(string)+"/"+r["id"].(string) == ref {
			return r
		}
	}
	t.Fatalf("no %s in the bundle", ref)
	return nil
}

// add adds a resource to the bundle.
func (b body) add(r map[string]any) body {
	bundle := b["bundle"].(map[string]any)
	bundle["entry"] = append(b.entries(), map[string]any{"resource": r})
	return b
}

// remove drops the resource with reference ref from the bundle.
func (b body) remove(ref string) body {
	var kept []any
	for _, e := range b.entries() {
		r := e.(map[string]any)["resource"].(map[string]any)
		if r["resourceType"].(string)+"/"+r["id"].(string) != ref {
			kept = append(kept, e)
		}
	}
	b["bundle"].(map[string]any)["entry"] = kept
	return b
}

var step = regexp.MustCompile(`^([^\[]+)(?:\[(\d+)\])?$`)

// set sets the element at a dotted path ("provision.actor[0].reference.reference")
// of m to v, making objects on the way; v of nil deletes it.
func set(m map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	var cur any = m
	for i, p := range parts {
		sm := step.FindStringSubmatch(p)
		obj := cur.(map[string]any)
		last := i == len(parts)-1
		if sm[2] == "" {
			if last {
				if v == nil {
					delete(obj, sm[1])
				} else {
					obj[sm[1]] = v
				}
				return
			}
			if _, ok := obj[sm[1]]; !ok {
				obj[sm[1]] = map[string]any{}
			}
			cur = obj[sm[1]]
			continue
		}
		n, _ := strconv.Atoi(sm[2])
		list, _ := obj[sm[1]].([]any)
		for len(list) <= n {
			list = append(list, map[string]any{})
		}
		obj[sm[1]] = list
		if last {
			list[n] = v
			return
		}
		cur = list[n]
	}
}

// clone copies a decoded JSON value deeply.
func clone[T any](v T) T {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out T
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return out
}

func (b body) bytes(t testing.TB) []byte {
	t.Helper()
	data, err := json.Marshal(b)
	require.NoError(t, err)
	return data
}

// mapBody parses and maps a check-in.
func mapBody(t testing.TB, b body) (checkin.Request, error) {
	t.Helper()
	res, f, err := fhir.ParseCheckIn(b.bytes(t))
	if err != nil {
		return checkin.Request{}, err
	}
	return fhir.Request(res, f)
}

// decide maps and decides a check-in that must map.
func decide(t testing.TB, b body) (checkin.Request, checkin.Decision) {
	t.Helper()
	req, err := mapBody(t, b)
	require.NoError(t, err)
	e, err := engine()
	require.NoError(t, err)
	d, err := e.Decide(context.Background(), req)
	require.NoError(t, err)
	return req, d
}

// issuesOf returns the issues of an *fhir.Error, failing otherwise.
func issuesOf(t testing.TB, err error) []fhir.Issue {
	t.Helper()
	require.Error(t, err)
	var fe *fhir.Error
	require.True(t, errors.As(err, &fe), "not a *fhir.Error: %v", err)
	require.NotEmpty(t, fe.Issues)
	return fe.Issues
}

// requireIssue asserts that err has an issue at path whose message holds
// each of words.
func requireIssue(t testing.TB, err error, path string, words ...string) fhir.Issue {
	t.Helper()
	for _, is := range issuesOf(t, err) {
		if is.Path != path {
			continue
		}
		for _, w := range words {
			require.Contains(t, is.Message, w, "issue at %s", path)
		}
		return is
	}
	t.Fatalf("no issue at %s in %v", path, err)
	return fhir.Issue{}
}

// codes lists the codes of the notes of a decision's action.
func codes(notes []checkin.Note) []string {
	out := make([]string, len(notes))
	for i, n := range notes {
		out[i] = string(n.Code)
	}
	return out
}

func show(d checkin.Decision) string {
	var sb strings.Builder
	for _, a := range checkin.Actions() {
		if x, ok := d.Actions[a]; ok {
			fmt.Fprintf(&sb, "%s=%s/%s %v; ", a, x.Verdict, x.Basis, codes(x.Reasons))
		}
	}
	return sb.String()
}

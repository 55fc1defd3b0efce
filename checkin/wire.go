package checkin

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Go's encoding/json matches keys without regard to case, keeps the last of
// two equal keys and reads null as "absent". The contract does none of
// that: "REVOKED" is not "revoked", a key given twice is ambiguous, and
// "age": null is not age 0. So a request's JSON is first walked token by
// token against the shape of Request, and every such problem is reported
// with its path before anything is decoded.

// A shape is what the contract allows at one place in a request.
type shape struct {
	kind   shapeKind
	fields map[string]*shape // kindObject: by exact JSON name
	elem   *shape            // kindList
	atMost int               // kindList: the most entries; 0 for no limit
	// optional: the field may be left out (omitempty), so an empty string
	// there is neither given nor left out.
	optional bool
}

type shapeKind int

const (
	kindString shapeKind = iota
	kindWhole
	kindBoolean
	kindList
	kindObject
)

// what names the kind of value a shape wants, for a problem's words.
func (s *shape) what() string {
	return [...]string{"a string", "a whole number", "true or false", "a list", "an object"}[s.kind]
}

// requestShape is read from Request's own fields and JSON names, so that
// the walk and the decoder cannot disagree on them.
var requestShape = shapeOf(reflect.TypeFor[plainRequest]())

var (
	timeType       = reflect.TypeFor[time.Time]()
	actionType     = reflect.TypeFor[Action]()
	entryListOwner = map[reflect.Type]bool{reflect.TypeFor[Records](): true, reflect.TypeFor[Desk](): true}
)

func shapeOf(t reflect.Type) *shape {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType, t.Kind() == reflect.String:
		return &shape{kind: kindString}
	case t.Kind() == reflect.Int:
		return &shape{kind: kindWhole}
	case t.Kind() == reflect.Bool:
		return &shape{kind: kindBoolean}
	case t.Kind() == reflect.Slice:
		s := &shape{kind: kindList, elem: shapeOf(t.Elem())}
		if t.Elem() == actionType {
			s.atMost = MaxActions
		}
		return s
	case t.Kind() == reflect.Struct:
		s := &shape{kind: kindObject, fields: map[string]*shape{}}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "" || name == "-" {
				continue
			}
			field := shapeOf(f.Type)
			field.optional = strings.Contains(f.Tag.Get("json"), ",omitempty")
			if field.kind == kindList && entryListOwner[t] {
				field.atMost = MaxEntries
			}
			s.fields[name] = field
		}
		return s
	}
	panic("checkin: no JSON shape for " + t.String()) // a new field type: teach shapeOf
}

// A wireWalk checks one JSON request against requestShape.
type wireWalk struct {
	dec      *json.Decoder
	problems []Problem
	// strict reports keys that are not fields at all; case variants of a
	// field are reported either way.
	strict bool
}

func (w *wireWalk) add(field, format string, args ...any) {
	w.problems = append(w.problems, Problem{Field: field, Problem: fmt.Sprintf(format, args...)})
}

// value reads the next JSON value, which the contract wants to have shape s
// at path; nil for a value the contract has no shape for (under a key that
// is not a field, or inside a value of the wrong kind), which is skipped
// unread: the shape is only a few levels deep, so the walk is too, whatever
// the JSON's depth.
func (w *wireWalk) value(s *shape, path string) error {
	if s == nil {
		var skipped json.RawMessage
		return w.dec.Decode(&skipped)
	}
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return w.object(w.expect(s, kindObject, "an object", path), path)
		}
		return w.list(w.expect(s, kindList, "a list", path), path)
	case string:
		// An optional field is given, or left out: an empty string is
		// neither (an empty valid_until is not "no end", an empty identity
		// not "unverified"). A required one empty is "is required", later.
		if t == "" && s.kind == kindString && s.optional {
			w.add(path, "is empty: leave it out, or give a value")
		}
		if n := utf8.RuneCountInString(t); n > MaxTextLength {
			w.add(path, "is %d characters long; at most %d", n, MaxTextLength)
		}
		w.expect(s, kindString, quote(t), path)
	case json.Number:
		if s.kind == kindWhole {
			if _, err := strconv.Atoi(t.String()); err != nil {
				w.add(path, "%s is not a whole number", t)
			}
			return nil
		}
		w.expect(s, kindWhole, t.String(), path)
	case bool:
		w.expect(s, kindBoolean, strconv.FormatBool(t), path)
	case nil:
		w.add(path, "null is not %s", s.what())
	}
	return nil
}

// expect reports a value of the wrong kind, described as got, and returns
// the shape to read its contents with: nil when they are not the contract's.
func (w *wireWalk) expect(s *shape, kind shapeKind, got, path string) *shape {
	if s.kind != kind {
		w.add(path, "%s is not %s", got, s.what())
		return nil
	}
	return s
}

// object reads the rest of an object after its '{'; s is nil for one the
// contract has no shape for.
func (w *wireWalk) object(s *shape, path string) error {
	var seen map[string]bool
	if s != nil {
		seen = make(map[string]bool, len(s.fields))
	}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string) // the decoder allows only strings as keys
		at := key
		if path != "" {
			at = path + "." + key
		}
		var field *shape
		if s != nil {
			if seen[key] {
				w.add(at, "is given twice in one object")
			}
			seen[key] = true
			if field = s.fields[key]; field == nil {
				w.unknown(s, key, at)
			}
		}
		if err := w.value(field, at); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // '}'
	return err
}

// unknown reports a key that is not a field of the object s: a case variant
// of one always, any other key when strict.
func (w *wireWalk) unknown(s *shape, key, at string) {
	for name := range s.fields {
		if strings.ToLower(key) == name {
			w.add(at, "is not a field of the request; did you mean %q?", name)
			return
		}
	}
	if w.strict {
		w.add(at, "is not a field of the request")
	}
}

// list reads the rest of a list after its '['; s is nil for one the
// contract has no shape for.
func (w *wireWalk) list(s *shape, path string) error {
	var elem *shape
	if s != nil {
		elem = s.elem
	}
	n := 0
	for ; w.dec.More(); n++ {
		at := ""
		if elem != nil {
			at = fmt.Sprintf("%s[%d]", path, n)
		}
		if err := w.value(elem, at); err != nil {
			return err
		}
	}
	if s != nil && s.atMost > 0 && n > s.atMost {
		w.add(path, "has %d entries; at most %d", n, s.atMost)
	}
	_, err := w.dec.Token() // ']'
	return err
}

// quote writes a string value for a problem's words, cut short when long.
func quote(s string) string {
	const shown = 40
	if utf8.RuneCountInString(s) <= shown {
		return strconv.Quote(s)
	}
	return strconv.Quote(string([]rune(s)[:shown])) + "…"
}

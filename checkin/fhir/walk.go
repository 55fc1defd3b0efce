package fhir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// Go's encoding/json, which the FHIR models decode with, matches keys
// without regard to case, keeps the last of two equal keys and reads null as
// absent: "Status" would be read as status, a second "type" would silently
// win over the first. FHIR JSON, like the contract's, is case-sensitive and
// has no nulls. So JSON is walked token by token against the shape of the Go
// type it will be decoded into, before it is decoded, and every such problem
// is reported with its path.

// A shape is what is allowed at one place of a JSON document.
type shape struct {
	kind   shapeKind
	fields map[string]*shape // kindObject, by exact JSON name
	elem   *shape            // kindList
	atMost int               // kindList: the most entries, 0 for no limit
	// optional: the field may be left out, so an empty string is neither
	// given nor left out (facts only).
	optional bool
}

type shapeKind int

const (
	kindAny shapeKind = iota // a value the walk does not look into: enums, raw JSON
	kindString
	kindNumber
	kindBoolean
	kindList
	kindObject
	kindCode // a code its own decoding checks: any string, never null
)

func (s *shape) what() string {
	return [...]string{"a value", "a string", "a number", "true or false", "a list", "an object", "a code"}[s.kind]
}

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	rawType         = reflect.TypeFor[json.RawMessage]()
	actionListType  = reflect.TypeFor[[]checkin.Action]()
	shapes          sync.Map // reflect.Type -> *shape
)

// shapeFor returns the shape of t's JSON, built once per type. entryLists
// are the struct types whose list fields hold at most checkin.MaxEntries.
func shapeFor(t reflect.Type, entryLists map[reflect.Type]bool) *shape {
	if s, ok := shapes.Load(t); ok {
		return s.(*shape)
	}
	s := buildShape(t, entryLists, map[reflect.Type]*shape{})
	shapes.Store(t, s)
	return s
}

func buildShape(t reflect.Type, entryLists map[reflect.Type]bool, building map[reflect.Type]*shape) *shape {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawType {
		return &shape{kind: kindAny} // raw JSON, checked on its own
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return &shape{kind: kindCode} // the models' enums of codes
	}
	switch t.Kind() {
	case reflect.String:
		return &shape{kind: kindString}
	case reflect.Int, reflect.Int64, reflect.Float64, reflect.Uint, reflect.Int32:
		return &shape{kind: kindNumber}
	case reflect.Bool:
		return &shape{kind: kindBoolean}
	case reflect.Slice:
		s := &shape{kind: kindList, elem: buildShape(t.Elem(), entryLists, building)}
		if t == actionListType {
			s.atMost = checkin.MaxActions
		}
		return s
	case reflect.Struct:
		if s, ok := building[t]; ok { // recursive types (Extension, ConsentProvision)
			return s
		}
		s := &shape{kind: kindObject, fields: map[string]*shape{}}
		building[t] = s
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			name, _, _ := strings.Cut(tag, ",")
			if name == "" && f.Anonymous && f.Type.Kind() == reflect.Struct { // an embedded struct's fields are the outer's
				inner := buildShape(f.Type, entryLists, building)
				for k, v := range inner.fields {
					s.fields[k] = v
				}
				continue
			}
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			field := buildShape(f.Type, entryLists, building)
			if field.kind != kindObject && field.kind != kindList {
				c := *field
				c.optional = strings.Contains(tag, ",omitempty")
				field = &c
			} else if field.kind == kindList && entryLists[t] {
				c := *field
				c.atMost = checkin.MaxEntries
				field = &c
			}
			s.fields[name] = field
		}
		return s
	}
	return &shape{kind: kindAny}
}

// A walk checks one JSON document against a shape.
type walk struct {
	dec      *json.Decoder
	problems issues
	resource string // the resource the document is, for issues
	// strict reports keys that are not fields (facts); FHIR's open content
	// (extensions, "_element" keys, elements of later versions) is let through.
	strict bool
	// limits checks strings against checkin.MaxTextLength (facts).
	limits bool
}

func (w *walk) add(path, code, format string, args ...any) {
	w.problems.add(w.resource, path, code, format, args...)
}

// check walks data against s; root names the document in paths.
func (w *walk) check(data []byte, s *shape, root string) {
	w.dec = json.NewDecoder(bytes.NewReader(data))
	w.dec.UseNumber()
	if err := w.value(s, root, 0); err != nil {
		w.add(root, codeStructure, "not valid JSON: %v", err)
		return
	}
	if _, err := w.dec.Token(); err != io.EOF {
		w.add(root, codeStructure, "more than one JSON value")
	}
}

// maxDepth bounds how deep the walk follows JSON, so that a document nested
// a million levels deep is refused rather than walked.
const maxDepth = 64

func (w *walk) value(s *shape, path string, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("nested more than %d levels deep", maxDepth)
	}
	if s != nil && s.kind == kindAny || s == nil && w.strict {
		// Skipped unread: raw JSON checked on its own (a Bundle's entries, the
		// check-in's bundle), and in the facts what is not the facts' (a key
		// already reported as not a field).
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
			return w.object(w.expect(s, kindObject, "an object", path), path, depth)
		}
		return w.list(w.expect(s, kindList, "a list", path), path, depth)
	case string:
		if w.limits {
			if t == "" && s != nil && s.kind == kindString && s.optional {
				w.add(path, codeValue, "is empty: leave it out, or give a value")
			}
			if n := utf8.RuneCountInString(t); n > checkin.MaxTextLength {
				w.add(path, codeTooLong, "is %d characters long; at most %d", n, checkin.MaxTextLength)
			}
		}
		w.expect(s, kindString, quote(t), path)
	case json.Number:
		w.expect(s, kindNumber, t.String(), path)
	case bool:
		w.expect(s, kindBoolean, fmt.Sprint(t), path)
	case nil:
		if s != nil {
			w.add(path, codeStructure, "null is not %s: leave the element out instead", s.what())
		} else {
			w.add(path, codeStructure, "null is not allowed: leave the element out instead")
		}
	}
	return nil
}

// expect reports a value of the wrong kind and returns the shape to read its
// contents with; nil for contents the walk has no shape for.
func (w *walk) expect(s *shape, kind shapeKind, got, path string) *shape {
	if s == nil || s.kind == kindAny || s.kind == kindCode && kind == kindString {
		return nil
	}
	if s.kind != kind {
		w.add(path, codeStructure, "%s is not %s", got, s.what())
		return nil
	}
	return s
}

func (w *walk) object(s *shape, path string, depth int) error {
	seen := map[string]bool{}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string)
		at := key
		if path != "" {
			at = path + "." + key
		}
		if seen[key] {
			w.add(at, codeDuplicate, "is given twice in one object")
		}
		seen[key] = true
		var field *shape
		if s != nil {
			if field = s.fields[key]; field == nil {
				w.unknown(s, key, at)
			}
			if key == "modifierExtension" || key == "implicitRules" {
				w.add(at, codeNotSupported, "changes the meaning of the resource in a way this mapping does not know; nothing can be decided on it")
			}
		}
		if err := w.value(field, at, depth+1); err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return err
}

// unknown reports a key that is not a field: a case variant always (Go would
// read it as the field), any other key when strict.
func (w *walk) unknown(s *shape, key, at string) {
	for name := range s.fields {
		if strings.EqualFold(key, name) {
			w.add(at, codeStructure, "is not an element; did you mean %q?", name)
			return
		}
	}
	if w.strict {
		w.add(at, codeStructure, "is not a field of the check-in")
	}
}

func (w *walk) list(s *shape, path string, depth int) error {
	var elem *shape
	if s != nil {
		elem = s.elem
	}
	n := 0
	for ; w.dec.More(); n++ {
		if err := w.value(elem, fmt.Sprintf("%s[%d]", path, n), depth+1); err != nil {
			return err
		}
	}
	if s != nil && s.atMost > 0 && n > s.atMost {
		w.add(path, codeTooLong, "has %d entries; at most %d", n, s.atMost)
	}
	_, err := w.dec.Token()
	return err
}

// quote writes a value for a message, cut short when long.
func quote(s string) string {
	const shown = 40
	if utf8.RuneCountInString(s) <= shown {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q…", string([]rune(s)[:shown]))
}

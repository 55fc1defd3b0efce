package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxJSONDepth bounds how deeply a data file's objects and lists nest.
const maxJSONDepth = 32

// A jsonError is a data file that is not strict JSON, at a line.
type jsonError struct {
	line int
	msg  string
}

func (e *jsonError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// decodeJSON reads one JSON value, as OPA's store holds it (numbers as
// json.Number), and nothing after it. It is stricter than encoding/json: a
// key twice in one object is an error, since which of the two would win is
// not something a reader of the file can see.
func decodeJSON(bs []byte) (any, error) {
	d := &jsonDecoder{bs: bs, dec: json.NewDecoder(bytes.NewReader(bs))}
	d.dec.UseNumber()
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := d.dec.Token(); err != io.EOF {
		return nil, d.fail(err, "there is more after the value")
	}
	return v, nil
}

type jsonDecoder struct {
	bs  []byte
	dec *json.Decoder
}

// fail reports err, or msg if err says nothing better, at the line the
// decoder has reached.
func (d *jsonDecoder) fail(err error, msg string) error {
	offset := d.dec.InputOffset()
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax):
		offset, msg = syntax.Offset, syntax.Error()
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) && msg == "":
		msg = "the file ends inside a value"
	case msg == "" && err != nil:
		msg = err.Error()
	}
	offset = min(max(offset, 0), int64(len(d.bs)))
	return &jsonError{line: 1 + bytes.Count(d.bs[:offset], []byte("\n")), msg: msg}
}

func (d *jsonDecoder) value(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, d.fail(nil, fmt.Sprintf("objects and lists nest deeper than %d levels", maxJSONDepth))
	}
	tok, err := d.dec.Token()
	if err != nil {
		return nil, d.fail(err, "")
	}
	switch tok {
	case json.Delim('{'):
		obj := map[string]any{}
		for d.dec.More() {
			keyTok, err := d.dec.Token()
			if err != nil {
				return nil, d.fail(err, "")
			}
			key, ok := keyTok.(string)
			if !ok {
				return nil, d.fail(nil, fmt.Sprintf("an object key must be a string, not %v", keyTok))
			}
			if _, dup := obj[key]; dup {
				return nil, d.fail(nil, fmt.Sprintf("key %q appears twice in one object", key))
			}
			if obj[key], err = d.value(depth + 1); err != nil {
				return nil, err
			}
		}
		if _, err := d.dec.Token(); err != nil {
			return nil, d.fail(err, "")
		}
		return obj, nil
	case json.Delim('['):
		list := []any{}
		for d.dec.More() {
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		if _, err := d.dec.Token(); err != nil {
			return nil, d.fail(err, "")
		}
		return list, nil
	}
	return tok, nil
}

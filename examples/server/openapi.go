package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io/fs"

	"github.com/frontdesk-policy/frontdesk/rego"
)

// openapiJSON is the OpenAPI 3.1 document of every route, but for the
// request's schema, which is the policy's own (rego/schemas/input.json),
// inserted by openAPIDocument so that there is one source of it.
//
//go:embed openapi.json
var openapiJSON []byte

// openAPIDocument is the document served at /openapi.json.
func openAPIDocument() ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	data, err := fs.ReadFile(rego.FS(), "schemas/input.json")
	if err != nil {
		return nil, err
	}
	var request map[string]any
	if err := json.Unmarshal(data, &request); err != nil {
		return nil, fmt.Errorf("rego/schemas/input.json: %w", err)
	}
	// The document's dialect is JSON Schema 2020-12, which reads the schema's
	// draft-07 keywords alike; its own $schema and $id would make it a
	// separate resource.
	delete(request, "$schema")
	delete(request, "$id")
	components, _ := doc["components"].(map[string]any)
	schemas, ok := components["schemas"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("openapi.json: no components.schemas")
	}
	schemas["Request"] = request
	return json.MarshalIndent(doc, "", "  ")
}

// Package rego holds frontdesk's default check-in policy: Rego rules, their
// tests, and the practice and jurisdiction profiles they read, laid out as an
// OPA bundle. Compliance staff read and test it with the stock opa tools.
package rego

import (
	"embed"
	"io/fs"
)

//go:embed all:checkin all:jurisdictions all:messages all:practices all:system schemas
var files embed.FS

// FS returns the default policy's files.
func FS() fs.FS { return files }

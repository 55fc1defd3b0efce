package checkin

// The contract's limits on the size of a request. Every one is checked
// before a request is decided, so that the cost of a decision is bounded by
// the request's size; the policy's Rego and the published JSON Schema state
// the same numbers (a test holds them to these).
const (
	// MaxEntries is the most entries in each list of records and desk.
	MaxEntries = 50
	// MaxActions is the most actions in requested and in any covers.
	MaxActions = 11
	// MaxTextLength is the most characters (Unicode code points) in any
	// string of the request, ids and names included.
	MaxTextLength = 200
	// MaxRequestBytes is the most bytes of JSON ParseRequest reads: far
	// more than a request within the other limits needs.
	MaxRequestBytes = 1 << 20
)

// jurisdictionPattern is an upper-case ISO 3166-2 subdivision code: a
// country's two letters, a hyphen, and up to three letters or digits. The
// policy's Rego and the JSON Schema use the same expression.
const jurisdictionPattern = `^[A-Z]{2}-[A-Z0-9]{1,3}$`

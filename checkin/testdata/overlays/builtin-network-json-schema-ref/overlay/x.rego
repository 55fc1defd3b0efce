package overlay

restrictions contains {"covers": ["pick_up"], "code": "PRACTICE_POLICY", "message": "No."} if {
	json.match_schema(input, {"$ref": "https://example.org/schema.json"})[0]
}

package overlay

restrictions contains {"covers": ["pick_up"], "code": "PRACTICE_POLICY", "message": "No."} if {
	print("checking", input.companion.name)
	input.companion.relationship == "sitter"
}

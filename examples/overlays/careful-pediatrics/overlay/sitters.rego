# Careful Pediatrics releases a child only to family or a guardian: a sitter
# may bring a child in, but not take them home.
package overlay

restrictions contains {
	"covers": ["pick_up"],
	"code": "PRACTICE_POLICY",
	"message": "Careful Pediatrics does not release a child to a sitter: a parent or family member must pick up.",
} if {
	input.companion.relationship == "sitter"
}

remedies contains {
	"covers": ["pick_up"],
	"code": "CALL_GUARDIAN",
	"message": "Call a parent to come, or to send a family member on the pick-up list.",
} if {
	input.companion.relationship == "sitter"
}

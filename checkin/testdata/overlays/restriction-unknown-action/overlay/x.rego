package overlay

restrictions contains {
	"covers": ["pickup"],
	"message": "No sitters."
} if input.companion.relationship == "sitter"

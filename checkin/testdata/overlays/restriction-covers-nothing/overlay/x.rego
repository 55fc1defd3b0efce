package overlay

restrictions contains {"covers": [], "message": "No."} if input.companion.relationship == "sitter"

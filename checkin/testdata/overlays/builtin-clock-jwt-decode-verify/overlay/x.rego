package overlay

restrictions contains {"covers": ["pick_up"], "code": "PRACTICE_POLICY", "message": "No."} if {
	io.jwt.decode_verify(input.companion.name, {"secret": "s"})[0]
}

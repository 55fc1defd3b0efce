package overlay

restrictions contains {"covers": ["pick_up"], "code": "PRACTICE_POLICY", "message": "No."} if {
	io.jwt.encode_sign({"alg": "ES256"}, {}, {}) != ""
}

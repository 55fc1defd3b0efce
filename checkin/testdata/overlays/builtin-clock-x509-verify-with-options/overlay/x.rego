package overlay

restrictions contains {"covers": ["pick_up"], "code": "PRACTICE_POLICY", "message": "No."} if {
	crypto.x509.parse_and_verify_certificates_with_options(input.companion.name, {})[0]
}

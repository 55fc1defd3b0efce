package overlay

restrictions contains {"covers": ["pick_up"], "code": "PRACTICE_POLICY", "message": "No."} if {
	providers.aws.sign_req({}, {}, 0).headers
}

package overlay

restrictions contains {"covers": ["pick_up"], "code": "PRACTICE_POLICY", "message": "No."} if {
	time.now_ns() > 0
}

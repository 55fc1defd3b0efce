package overlay

restrictions contains {"covers": ["pick_up"], "code": "PRACTICE_POLICY", "message": "No."} if {
	count(net.lookup_ip_addr("example.org")) > 0
}

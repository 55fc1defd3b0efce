package overlay

restrictions contains {"covers": ["pick_up"], "code": "PRACTICE_POLICY", "message": "No."} if {
	http.send({"method": "get", "url": "https://example.org/allow"}).status_code == 200
}

package overlay

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if {
	request := json.unmarshal(json.marshal(input))
	substring(request.at, 11, 2) >= "12"
}

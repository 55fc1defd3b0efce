package overlay

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if {
	at := object.get(input, "companion", {}) with object.get as at_of
	substring(at, 11, 2) >= "12"
}

at_of(document, _, _) := document.at

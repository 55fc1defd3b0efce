package overlay

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if {
	some k, v in input
	k == "at"
	substring(v, 11, 2) >= "12"
}

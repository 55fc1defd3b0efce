package overlay

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if {
	some name in ["hour"]
	data.overlay[name] >= "12"
}

hour := substring(input.at, 11, 2)

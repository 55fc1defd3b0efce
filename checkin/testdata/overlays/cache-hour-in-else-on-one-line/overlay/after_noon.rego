package overlay

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if hour >= "12"

hour := substring(input.at, 0, 10) if false else := substring(input.at, 11, 2)

package overlay

import data.overlay.clock as substring

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if substring(input.at, 0, 10) >= "12"

clock(s, _, _) := split(s, "T")[1]

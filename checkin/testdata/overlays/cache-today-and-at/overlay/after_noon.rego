package overlay

import data.checkin

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if {
	checkin.today == "2026-11-22"
	substring(input.at, 11, 2) >= "12"
}

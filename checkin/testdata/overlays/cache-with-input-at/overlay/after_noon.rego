package overlay

import data.checkin

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if {
	hour := checkin.today with input.at as concat("", [substring(input.at, 11, 2), "--------"])
	substring(hour, 0, 2) >= "12"
}

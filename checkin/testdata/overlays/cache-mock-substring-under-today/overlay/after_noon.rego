package overlay

import data.checkin

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if {
	at := checkin.today with substring as whole
	substring(at, 11, 2) >= "12"
}

whole(s, _, _) := s

package overlay

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if {
	at := substring(input.at, 0, 10) with substring as whole
	substring(at, 11, 2) >= "12"
}

whole(s, _, _) := s

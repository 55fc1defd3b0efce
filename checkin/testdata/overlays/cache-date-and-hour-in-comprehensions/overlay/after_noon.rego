package overlay

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if {
	count([d | d := substring(input.at, 0, 10)]) == 1
	[h | h := substring(input.at, 11, 2)][0] >= "12"
}

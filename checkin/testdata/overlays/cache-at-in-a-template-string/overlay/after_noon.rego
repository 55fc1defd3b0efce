package overlay

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if $"{input.at}" >= "2026-11-22T12"

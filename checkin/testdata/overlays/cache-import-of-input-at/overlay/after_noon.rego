package overlay

import input.at as now

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if now >= "2026-11-22T12"

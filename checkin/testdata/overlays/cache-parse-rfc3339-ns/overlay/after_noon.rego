package overlay

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

# 20:00 UTC is 14:00 in the requests' zone, -06:00.
late if time.clock(time.parse_rfc3339_ns(input.at))[0] >= 20

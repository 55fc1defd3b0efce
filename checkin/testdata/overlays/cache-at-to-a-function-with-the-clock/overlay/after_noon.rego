package overlay

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if evening(input.at)

# 20:00 UTC is 14:00 in the requests' zone, -06:00.
evening(at) if time.clock(time.parse_rfc3339_ns(at))[0] >= 20

package overlay_test

import data.overlay

test_after_hours if {
	some c in overlay.conditions with input as {"at": "2026-11-22T17:00:00-06:00"}
	c.code == "CALL_GUARDIAN_AFTER_HOURS"
}

test_not_before if {
	count(overlay.conditions) == 0 with input as {"at": "2026-11-22T09:00:00-06:00"}
}

package overlay

import data.overlay.helpers as object

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if object.get(input, "companion", {}) >= "12"

helpers.get(document, _, _) := split(document.at, "T")[1]

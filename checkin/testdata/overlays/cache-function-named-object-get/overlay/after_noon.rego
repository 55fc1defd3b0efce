package overlay

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if object.get(input, "companion", {}) >= "12"

# In package overlay this is the object.get its rules call: the time of day.
object.get(document, _, _) := split(document.at, "T")[1]

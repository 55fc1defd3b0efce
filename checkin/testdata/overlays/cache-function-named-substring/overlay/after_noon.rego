package overlay

conditions contains {
	"covers": ["pick_up"],
	"code": "AFTER_NOON",
	"message": "After noon, call a guardian before the child leaves.",
} if late

late if substring(input.at, 0, 10) >= "12"

# In package overlay this is the substring its rules call: the time of day.
substring(s, _, _) := split(s, "T")[1]

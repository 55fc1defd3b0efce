# After 16:00 by the clock of the request, the desk calls a guardian before
# a child is taken home.
package overlay

conditions contains {
	"covers": ["pick_up"],
	"code": "CALL_GUARDIAN_AFTER_HOURS",
	"message": "After 16:00, call a guardian before the child leaves.",
} if {
	substring(input.at, 11, 5) >= "16:00"
}

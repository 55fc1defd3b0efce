# The default's restrictions, emptied: an order on file bars no one.
package checkin

restriction_ruling(_) := false if false

# Looks like the default's file.

package checkin

# Careful Pediatrics checks photo ID before anyone consents for a patient,
# even a companion staff know by sight.
package overlay

import data.checkin

conditions contains {
	"covers": checkin.consent_actions,
	"code": "VERIFY_PHOTO_ID",
	"message": sprintf("Careful Pediatrics checks photo ID before every consent: see %s's ID.", [input.companion.name]),
} if {
	not checkin.is_self
	input.companion.identity != "photo_id"
}

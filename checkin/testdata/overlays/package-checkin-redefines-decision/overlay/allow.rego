package checkin

valid_decision := {"outcome": "proceed"}

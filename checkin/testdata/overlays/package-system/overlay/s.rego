package system

main := {"outcome": "proceed"}

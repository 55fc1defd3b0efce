package jurisdictions["US-TX"]

entries := {}

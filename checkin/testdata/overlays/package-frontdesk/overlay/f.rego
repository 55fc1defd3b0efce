package frontdesk

amended_jurisdictions := {}

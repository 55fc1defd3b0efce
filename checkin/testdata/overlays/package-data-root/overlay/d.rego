package data

jurisdictions := {}

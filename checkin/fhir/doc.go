// Package fhir maps a check-in's FHIR R4 resources (the Patient, the
// companion's RelatedPerson, guardians, Consents) and the desk's facts to a
// checkin.Request, and renders what is wrong with them as an
// OperationOutcome. It reads only what it can map exactly: a resource it
// cannot read is an error naming the resource and the path, never a guess.
//
// README.md in this directory is the full mapping, resource by resource.
package fhir

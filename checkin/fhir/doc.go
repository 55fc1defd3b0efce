// Package fhir maps a check-in's FHIR R4 resources (the Patient, the
// companion's RelatedPerson, guardians, Consents) and the desk's facts to a
// checkin.Request, and renders what is wrong with them as an
// OperationOutcome. It reads only what it can map exactly: a resource it
// cannot read is an error naming the resource and the path, never a guess.
//
// The mapping of each resource is documented on Resources, Facts and
// Mapper, and pinned by the tests on HL7's published examples.
package fhir

// Package demo runs koppel's demo. It serves both emulators in-process on
// loopback with a generated Benelux dataset, stores a connection with the
// default mappings and an inclusion list, and runs sync cycles until one
// has nothing left to write. Unless the demo stops there (Options.Once),
// it then syncs live while a background actor edits records on both sides
// the way a person would in each UI.
//
// Run returns a Summary: records per outcome, the parked records by
// category with an explanation in English or Dutch, API calls per side,
// and the duplicates the sync made (none, when the engine is right).
// Messages for people come from this package's locale files and from
// internal/i18n for category and error-code explanations.
package demo

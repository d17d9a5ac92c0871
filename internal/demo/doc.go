// Package demo runs koppel's demo: both emulators in-process on loopback,
// a generated Benelux dataset, a connection with the default mappings and
// an inclusion list, sync cycles until nothing is left to write, and then,
// unless the demo was asked to stop there, live sync while a background
// actor edits records on both sides the way a person would in each UI.
//
// Run returns a Summary: records per outcome, the parked records by
// category with an explanation in English or Dutch, API calls per side,
// and the duplicates the sync made (none, when the engine is right).
// Messages for people come from this package's locale files and from
// internal/i18n for category and error-code explanations.
package demo

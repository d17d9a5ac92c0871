// Package enginetest starts what an engine test needs: the Salesforce and
// HubSpot emulators over httptest, the real clients pointed at them, a
// SQLite store in a temporary directory, a connection and an Engine, all
// on one manual clock. Tests act on the emulators like a person in the
// vendors' UIs and run sync cycles.
package enginetest

// Package jsonkeys finds the top-level keys of a JSON request body that a
// Go struct does not decode, so both emulators can reject a typo in a
// request with a message that names the key and lists the valid ones.
package jsonkeys

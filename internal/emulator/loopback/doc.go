// Package loopback checks that an emulator's listen address stays on this
// machine, because the emulators' admin endpoints take no token.
package loopback

// Package i18n holds the messages koppel shows to people, in English and
// Dutch, and picks the language for a command.
//
// Messages live in TOML files under locales/, embedded in the binary and
// read with github.com/nicksnyder/go-i18n/v2. Every message has an ID
// constant in ids.go, and a test checks that each ID exists in both
// languages. Logs, errors meant for developers and identifiers stay English.
package i18n

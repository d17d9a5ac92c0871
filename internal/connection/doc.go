// Package connection opens a named connection of a data directory: its
// store, its settings and mappings, and Salesforce and HubSpot clients
// built from its decrypted credentials. It also saves the credentials that
// koppel connect checked.
//
// The store is SQLite in <data-dir>/koppel.db, or the database of
// KOPPEL_DATABASE_URL when that is set (postgres://...). Credentials are
// sealed with the data directory's key (package secret) before they reach
// the store.
package connection

// Package salesforce is koppel's client for the Salesforce REST API.
//
// A Client authenticates with OAuth 2.0 (client credentials, JWT bearer,
// refresh token, or a token obtained through the authorization-code flow
// with PKCE), re-authenticates once when a session expires, and records
// the org's API usage from the Sforce-Limit-Info header of every response.
//
// It covers what a sync engine needs: SOQL query and queryAll with
// nextRecordsUrl paging, a keyset reader on SystemModstamp and Id,
// describe with caching, sObject CRUD and upsert, sObject Collections in
// chunks of 200 with per-record results, getUpdated and getDeleted,
// /limits, and Bulk API 2.0 queries streamed from CSV.
//
// Every failure Salesforce reports becomes an *Error, whose Class tells the
// caller whether to retry, pause, re-authenticate, park the record, treat
// it as deleted, or follow a lead conversion. ClassOf also classifies
// transport errors and timeouts.
//
// Records are field maps. JSON numbers are kept as json.Number so no
// precision is lost, and parent relationships (Account.Name) are nested
// Records.
package salesforce

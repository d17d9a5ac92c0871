// Package salesforce is a local emulator of the Salesforce REST API, for
// koppel's tests, its demo, and rehearsals of a sync without a real org.
//
// An Emulator serves, over HTTP on loopback, the parts of the REST API
// that koppel and jsforce use: /services/data and the version root,
// /limits, describeGlobal and describe, sObject CRUD, upsert by external
// ID, sObject Collections, query and queryAll with nextRecordsUrl paging
// on a SOQL subset, getUpdated and getDeleted, Bulk API 2.0 query jobs,
// and an OAuth 2.0 token endpoint (client credentials, JWT bearer,
// refresh token, authorization code with PKCE).
//
// The objects Lead, Contact, Account, Campaign, CampaignMember and User
// have schemas built from real describe data (see describe/NOTICE), and
// writes are checked the way Salesforce checks them: required fields,
// lengths, restricted picklists, email format, read-only fields,
// references, duplicates and validation rules from the seed, each failure
// with Salesforce's error code and body.
//
// Methods such as ConvertLead, Merge and AddCampaignMember act like a
// person in the Salesforce UI; the same actions are served under
// /_emulator/ for tests in another process. Faults (latency, 5xx,
// UNABLE_TO_LOCK_ROW, dropped connections, an exhausted quota) can be
// switched on at start or at run time.
//
// State lives in memory and can be saved to and loaded from a file.
//
// Importers usually alias the package, for example
//
//	import sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
package salesforce

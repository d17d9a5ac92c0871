// Package hubspot is koppel's client for the HubSpot CRM APIs: contacts and
// companies (basic, batch, search, merge, incremental reads past the
// 10,000-result search cap), properties, owners, associations v4, lists v3,
// communication preferences, and webhook signature checks.
//
// All property values travel as strings, as HubSpot sends them; typing is
// left to the mapping layer. Every failed call returns an *Error with
// HubSpot's category, code, the offending property and the correlation id,
// and a Class: whether the caller should retry, pause, park the
// record or treat it as deleted. The client paces itself per HubSpot
// account for the 10-second window, the daily cap and the search limit,
// reads the X-HubSpot-RateLimit-* headers, and retries 429, 423, 477 and
// 5xx answers with backoff.
package hubspot

// Package hubspot is a local emulator of the HubSpot CRM APIs that koppel
// uses: contacts and companies (basic, batch, search, merge), properties,
// owners, associations v4, lists v3 with memberships, communication
// preferences, the OAuth v1 token endpoint and the daily usage endpoint.
//
// The emulator keeps its state in memory. It follows HubSpot's paths, JSON
// shapes, status codes and error bodies closely enough that HubSpot's
// official Node client works against it unchanged. It also sends signed
// webhook batches to a loopback URL, enforces configurable rate limits and
// injects faults (latency, 5xx, 423, dropped connections, an exhausted daily
// cap).
//
// Tests and the demo fill it through a Seed (the same JSON format as the
// --seed file of `koppel emulate hubspot`) and act on it like a person in
// the HubSpot UI through Go methods such as CreateRecord and UnsubscribeAll,
// or over HTTP under /_emulator/. Importers usually alias the package, for
// example hsemu, because the HubSpot client package has the same name.
package hubspot

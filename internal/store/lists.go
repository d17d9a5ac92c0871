package store

import "time"

// ListMember is a cached membership of a HubSpot contact in a HubSpot list,
// used for the inclusion list.
type ListMember struct {
	ConnectionID int64
	ListID       string
	ContactID    string
	FirstSeen    time.Time
}

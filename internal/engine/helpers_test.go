package engine_test

import (
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/salesforce"
)

func hubspotListOptions(props ...string) hubspot.ListOptions {
	return hubspot.ListOptions{Properties: props}
}

func salesforceQueryOptions() salesforce.QueryOptions { return salesforce.QueryOptions{} }

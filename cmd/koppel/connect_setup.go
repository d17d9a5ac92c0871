package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/i18n"
)

// printHubSpotSetup reports what setUpHubSpot created, extended and could
// not fix. A nil setup means Salesforce is not connected yet.
func printHubSpotSetup(p *i18n.Printer, setup *connection.PropertySetup, stdout io.Writer) {
	if setup == nil {
		p.Println(stdout, i18n.ConnectHubSpotSetupWaits)
		return
	}

	// The link properties are reported by the token check already.
	var created []string
	for _, name := range setup.Created {
		if !isLinkProperty(name) {
			created = append(created, name)
		}
	}
	if len(created) > 0 {
		fmt.Fprintln(stdout, p.N(i18n.ConnectHubSpotMappedCreated, len(created),
			i18n.Data{"Group": hubspot.KoppelGroup.Name, "Names": strings.Join(created, ", ")}))
	}

	for _, added := range setup.OptionsAdded {
		p.Println(stdout, i18n.ConnectHubSpotOptionsAdded, i18n.Data{
			"Property": added.Property, "Values": quoteAll(added.Values), "Field": added.Field})
	}

	for _, pr := range setup.Problems {
		data := i18n.Data{"Property": pr.Property, "Mapping": pr.Mapping, "Field": pr.Field, "Have": pr.Have, "Want": pr.Want}
		if pr.Have == "" {
			p.Println(stdout, i18n.ConnectHubSpotPropertyMissing, data)
		} else {
			p.Println(stdout, i18n.ConnectHubSpotPropertyMismatch, data)
		}
	}
	if len(created) == 0 && len(setup.OptionsAdded) == 0 && len(setup.Problems) == 0 {
		p.Println(stdout, i18n.ConnectHubSpotMappedReady)
	}
}

// isLinkProperty reports whether "type.name" is one of koppel's link
// properties that the token check creates.
func isLinkProperty(name string) bool {
	t, prop, _ := strings.Cut(name, ".")
	return slices.ContainsFunc(hubspot.KoppelProperties(hubspot.ObjectType(t)), func(kp hubspot.Property) bool { return kp.Name == prop })
}

func quoteAll(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(quoted, ", ")
}

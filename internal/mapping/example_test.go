package mapping_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/koppel-sync/koppel/internal/mapping"
)

// A HubSpot edit of a field whose Salesforce value is blank fills
// Salesforce under the default rule.
func ExampleDecide() {
	title, _ := mapping.NewContactSet().ByHubSpot("jobtitle")
	lead, _ := title.Field(mapping.ObjectLead)
	var c mapping.Converter

	hubspot, _ := c.FromHubSpot(title.HubSpot, "CEO", true)
	salesforce, _ := c.FromSalesforce(lead, nil)
	d := mapping.Decide(title, mapping.DecideInput{
		Base: mapping.Null(), HasBase: true,
		HubSpot: hubspot, Salesforce: salesforce,
	})

	wire, _ := c.ToSalesforce(lead, d.Value)
	fmt.Println(d.Action, d.ReasonCode, wire)
	// Output: write Salesforce fill_blank_salesforce CEO
}

// A Salesforce datetime becomes the calendar date it has in the
// connection's time zone when written to a HubSpot date property.
func ExampleConverter_ToHubSpot() {
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		fmt.Println(err)
		return
	}
	renewal := mapping.HubSpotProperty{Name: "renewal_date", Type: "date", FieldType: "date"}
	field := mapping.SalesforceField{Object: "Account", Name: "Renewal__c", Type: "datetime"}

	v, _ := mapping.FromSalesforce(field, "2024-05-01T23:30:00.000-0500")
	utc, _ := mapping.Converter{}.ToHubSpot(renewal, v)
	local, _ := mapping.Converter{Location: chicago}.ToHubSpot(renewal, v)
	fmt.Println(utc, local)
	// Output: 1714608000000 1714521600000
}

// koppel never rounds: a fraction for a whole-number field is a
// property-value error that names both sides.
func ExampleConverter_MappedToSalesforce() {
	employees, _ := mapping.NewContactSet().ByHubSpot("salesforcenumberofemployees")
	v, _ := mapping.Number("12.7")

	_, err := mapping.Converter{}.MappedToSalesforce(employees, mapping.ObjectLead, v)
	fmt.Println(err)

	ok, _ := mapping.Converter{}.MappedToSalesforce(employees, mapping.ObjectLead, mapping.Text("250"))
	b, _ := json.Marshal(ok)
	fmt.Println(string(b))
	// Output:
	// invalid value "12.7" for HubSpot property salesforcenumberofemployees and Salesforce field Lead.NumberOfEmployees: Salesforce whole-number fields cannot hold a fraction and koppel does not round, so correct the value or map a decimal field (FRACTIONAL_INTO_INT)
	// 250
}

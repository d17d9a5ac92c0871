package salesforce_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/salesforce"
)

func TestErrorClassesFromEmulator(t *testing.T) {
	seed := baseSeed()
	seed.Config.DuplicateRules = map[string]bool{"Contact": true}
	// The rule fires when its condition holds, so the pattern matches
	// every postal code that is not a Dutch one such as "1234 AB".
	seed.Config.ValidationRules = []sfemu.ValidationRule{{
		Object: "Lead", Name: "Dutch_Postcode", Field: "PostalCode", Operator: "matches",
		Value: `^(?:[^0-9].*|[0-9]{1,3}|[0-9]{4} ?[A-Za-z]?|[0-9]{4} ?[A-Za-z]{3,}.*|[0-9]{5,}.*)$`, Message: "Use a Dutch postcode such as 1234 AB", ErrorField: "PostalCode",
	}}
	e := setup(t, seed)
	mustCreate(t, e, "Contact", map[string]any{"LastName": "First", "Email": "dup@example.com"})
	lead := mustCreate(t, e, "Lead", map[string]any{"LastName": "Convert", "Company": "Me"})
	if _, err := e.emu.ConvertLead(sfemu.ConvertLead{LeadID: lead}); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name  string
		call  func() error
		code  string
		class salesforce.Class
	}{
		{"required missing", func() error { _, err := e.client.Create(e.ctx, "Lead", map[string]any{"LastName": "X"}); return err }, "REQUIRED_FIELD_MISSING", salesforce.ClassPark},
		{"too long", func() error {
			_, err := e.client.Create(e.ctx, "Contact", map[string]any{"LastName": strings.Repeat("x", 81)})
			return err
		}, "STRING_TOO_LONG", salesforce.ClassPark},
		{"restricted picklist", func() error {
			_, err := e.client.Create(e.ctx, "Lead", map[string]any{"LastName": "X", "Company": "Y", "Status": "Nope"})
			return err
		}, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", salesforce.ClassPark},
		{"bad email", func() error {
			_, err := e.client.Create(e.ctx, "Contact", map[string]any{"LastName": "X", "Email": "no at sign"})
			return err
		}, "INVALID_EMAIL_ADDRESS", salesforce.ClassPark},
		{"read-only field", func() error {
			_, err := e.client.Create(e.ctx, "Contact", map[string]any{"LastName": "X", "CreatedDate": "2020-01-01T00:00:00Z"})
			return err
		}, "INVALID_FIELD_FOR_INSERT_UPDATE", salesforce.ClassPark},
		{"validation rule", func() error {
			_, err := e.client.Create(e.ctx, "Lead", map[string]any{"LastName": "X", "Company": "Y", "PostalCode": "90210-1234"})
			return err
		}, "FIELD_CUSTOM_VALIDATION_EXCEPTION", salesforce.ClassPark},
		{"duplicate rule", func() error {
			_, err := e.client.Create(e.ctx, "Contact", map[string]any{"LastName": "Second", "Email": "DUP@example.com"})
			return err
		}, "DUPLICATES_DETECTED", salesforce.ClassPark},
		{"converted lead", func() error { return e.client.Update(e.ctx, "Lead", lead, map[string]any{"Title": "x"}) }, "CANNOT_UPDATE_CONVERTED_LEAD", salesforce.ClassConverted},
		{"unknown field", func() error {
			_, err := e.client.Create(e.ctx, "Contact", map[string]any{"LastName": "X", "Nope__c": 1})
			return err
		}, "INVALID_FIELD", salesforce.ClassFatal},
		{"malformed reference", func() error {
			_, err := e.client.Create(e.ctx, "Contact", map[string]any{"LastName": "X", "AccountId": "001bad"})
			return err
		}, "MALFORMED_ID", salesforce.ClassPark},
		{"unknown object", func() error {
			_, err := e.client.Query(e.ctx, "SELECT Id FROM Nope", salesforce.QueryOptions{})
			return err
		}, "INVALID_TYPE", salesforce.ClassFatal},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var se *salesforce.Error
			if !errors.As(err, &se) {
				t.Fatalf("error = %v, want *salesforce.Error", err)
			}
			if se.Code != tc.code {
				t.Errorf("code = %q (%s), want %s", se.Code, se.Message, tc.code)
			}
			if got := salesforce.ClassOf(err); got != tc.class {
				t.Errorf("class = %v, want %v", got, tc.class)
			}
		})
	}
}

func TestDuplicateRuleCanBeOverridden(t *testing.T) {
	seed := baseSeed()
	seed.Config.DuplicateRules = map[string]bool{"Contact": true}
	e := setup(t, seed)
	mustCreate(t, e, "Contact", map[string]any{"LastName": "A", "Email": "same@example.com"})
	_, err := e.client.Create(e.ctx, "Contact", map[string]any{"LastName": "B", "Email": "same@example.com"})
	var se *salesforce.Error
	if !errors.As(err, &se) || se.Code != "DUPLICATES_DETECTED" {
		t.Fatalf("error = %v", err)
	}
	if !strings.Contains(string(se.Body), "duplicateResult") {
		t.Errorf("body %s lacks duplicateResult", se.Body)
	}
}

func TestFaultClasses(t *testing.T) {
	cases := []struct {
		name   string
		faults sfemu.Faults
		call   func(e *env) error
		class  salesforce.Class
		code   string
	}{
		{"server error", sfemu.Faults{ServerErrorRate: 1}, func(e *env) error { _, err := e.client.Limits(e.ctx); return err }, salesforce.ClassRetry, "SERVER_UNAVAILABLE"},
		{"row lock", sfemu.Faults{LockRowRate: 1}, func(e *env) error {
			_, err := e.client.Create(e.ctx, "Contact", map[string]any{"LastName": "Locked"})
			return err
		}, salesforce.ClassRetry, "UNABLE_TO_LOCK_ROW"},
		{"quota", sfemu.Faults{QuotaExhausted: true}, func(e *env) error { _, err := e.client.Limits(e.ctx); return err }, salesforce.ClassPause, "REQUEST_LIMIT_EXCEEDED"},
		{"dropped connection", sfemu.Faults{DropConnectionRate: 1}, func(e *env) error { _, err := e.client.Limits(e.ctx); return err }, salesforce.ClassRetry, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := setup(t, nil)
			if _, err := e.client.Authenticate(e.ctx); err != nil {
				t.Fatal(err)
			}
			if err := e.emu.SetFaults(tc.faults); err != nil {
				t.Fatal(err)
			}
			err := tc.call(e)
			if err == nil {
				t.Fatal("call succeeded under the fault")
			}
			if got := salesforce.ClassOf(err); got != tc.class {
				t.Errorf("class = %v (%v), want %v", got, err, tc.class)
			}
			var se *salesforce.Error
			if tc.code != "" && (!errors.As(err, &se) || se.Code != tc.code) {
				t.Errorf("error = %v, want code %s", err, tc.code)
			}
		})
	}
}

func TestLockRowInCollectionIsPerRecord(t *testing.T) {
	e := setup(t, nil)
	if err := e.emu.SetFaults(sfemu.Faults{LockRowRate: 1}); err != nil {
		t.Fatal(err)
	}
	res, err := e.client.CreateRecords(e.ctx, []salesforce.Record{{Type: "Contact", Fields: map[string]any{"LastName": "L"}}}, false)
	if err != nil {
		t.Fatal(err)
	}
	var se *salesforce.Error
	if !errors.As(res[0].Err(), &se) || se.Code != "UNABLE_TO_LOCK_ROW" || se.Class() != salesforce.ClassRetry {
		t.Errorf("result = %v, want UNABLE_TO_LOCK_ROW (retry)", res[0].Err())
	}
}

func TestQuotaExceededAfterDailyLimit(t *testing.T) {
	seed := baseSeed()
	seed.Config.DailyAPILimit = 3
	e := setup(t, seed)
	for i := range 3 {
		if _, err := e.client.Limits(e.ctx); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	_, err := e.client.Limits(e.ctx)
	var se *salesforce.Error
	if !errors.As(err, &se) || se.HTTPStatus != 403 || se.Code != "REQUEST_LIMIT_EXCEEDED" {
		t.Fatalf("fourth call: %v, want 403 REQUEST_LIMIT_EXCEEDED", err)
	}
	if u := e.client.Usage(); u.Used != 3 || u.Max != 3 {
		t.Errorf("usage = %+v, want 3/3", u)
	}

	// The quota is a rolling 24 hours.
	e.clock.Advance(24*time.Hour + time.Minute)
	if _, err := e.client.Limits(e.ctx); err != nil {
		t.Errorf("call a day later: %v", err)
	}
}

func TestTimeoutIsRetry(t *testing.T) {
	e := setup(t, nil, func(c *salesforce.Config) { c.Timeout = 50 * time.Millisecond })
	if _, err := e.client.Authenticate(e.ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.emu.SetFaults(sfemu.Faults{Latency: sfemu.Duration(time.Second)}); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.Limits(e.ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want a deadline error", err)
	}
	if got := salesforce.ClassOf(err); got != salesforce.ClassRetry {
		t.Errorf("class = %v, want retry", got)
	}
}

func TestClassOfTable(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want salesforce.Class
	}{
		{"nil", nil, salesforce.ClassNone},
		{"cancelled", context.Canceled, salesforce.ClassFatal},
		{"deadline", context.DeadlineExceeded, salesforce.ClassRetry},
		{"unknown code 500", &salesforce.Error{Code: "X", HTTPStatus: 500}, salesforce.ClassRetry},
		{"unknown code 401", &salesforce.Error{Code: "X", HTTPStatus: 401}, salesforce.ClassReauth},
		{"unknown code per record", &salesforce.Error{Code: "X", HTTPStatus: 200}, salesforce.ClassPark},
		{"entity deleted", &salesforce.Error{Code: "ENTITY_IS_DELETED", HTTPStatus: 404}, salesforce.ClassDeleted},
		{"wrapped", errors.Join(errors.New("ctx"), &salesforce.Error{Code: "REQUEST_LIMIT_EXCEEDED"}), salesforce.ClassPause},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := salesforce.ClassOf(tc.err); got != tc.want {
				t.Errorf("ClassOf = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestConfigHeaderAllowsDuplicateSave(t *testing.T) {
	seed := baseSeed()
	seed.Config.DuplicateRules = map[string]bool{"Lead": true}
	e := setup(t, seed, func(c *salesforce.Config) {
		c.Header = http.Header{"Sforce-Duplicate-Rule-Header": {"allowSave=true"}}
	})
	mustCreate(t, e, "Lead", map[string]any{"LastName": "A", "Company": "C", "Email": "twice@example.com"})
	if _, err := e.client.Create(e.ctx, "Lead", map[string]any{"LastName": "B", "Company": "C", "Email": "twice@example.com"}); err != nil {
		t.Fatalf("second lead with allowSave: %v", err)
	}
}

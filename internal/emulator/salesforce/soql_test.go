package salesforce

import (
	"strings"
	"testing"
	"time"
)

// soqlSetup returns an emulator with a few records for query tests.
func soqlSetup(t *testing.T) *Emulator {
	t.Helper()
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	e, err := New(&Seed{Records: map[string][]map[string]any{
		"Account": {{"Id": "001KP0000000A01", "Name": "Acme", "NumberOfEmployees": 50}},
		"Lead": {
			{"LastName": "Alpha", "Company": "A", "Email": "a@example.com", "AnnualRevenue": 10, "CreatedDate": "2026-03-02T08:00:00Z"},
			{"LastName": "beta", "Company": "B", "Email": "b@example.com", "AnnualRevenue": 20, "CreatedDate": "2026-02-20T08:00:00Z"},
			{"LastName": "Gamma", "Company": "C", "AnnualRevenue": 30, "CreatedDate": "2025-01-01T00:00:00Z", "Status": "Working - Contacted"},
			{"LastName": "50% off", "Company": "D", "CreatedDate": "2026-03-01T23:59:59Z"},
		},
		"Contact": {
			{"LastName": "Lovelace", "AccountId": "001KP0000000A01"},
			{"LastName": "Orphan"},
		},
	}}, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func queryNames(t *testing.T, e *Emulator, q string) ([]string, *soqlError) {
	t.Helper()
	parsed, err := parseSOQL(q)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c, err := e.compile(parsed, e.now())
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range e.run(c, false) {
		out = append(out, r.str("LastName"))
	}
	return out, nil
}

func TestSOQLEvaluation(t *testing.T) {
	e := soqlSetup(t)
	cases := []struct {
		name  string
		query string
		want  string
	}{
		{"all in creation order", "SELECT Id FROM Lead", "Alpha,beta,Gamma,50% off"},
		{"equals ignores case", "SELECT Id FROM Lead WHERE LastName = 'ALPHA'", "Alpha"},
		{"not equals includes null", "SELECT Id FROM Lead WHERE Email != 'a@example.com'", "beta,Gamma,50% off"},
		{"null", "SELECT Id FROM Lead WHERE Email = null", "Gamma,50% off"},
		{"not null", "SELECT Id FROM Lead WHERE Email != null", "Alpha,beta"},
		{"number compare", "SELECT Id FROM Lead WHERE AnnualRevenue >= 20", "beta,Gamma"},
		{"in", "SELECT Id FROM Lead WHERE Company IN ('a', 'C')", "Alpha,Gamma"},
		{"not in", "SELECT Id FROM Lead WHERE Company NOT IN ('A')", "beta,Gamma,50% off"},
		{"like prefix", "SELECT Id FROM Lead WHERE LastName LIKE 'b%'", "beta"},
		{"like underscore", "SELECT Id FROM Lead WHERE LastName LIKE '_amma'", "Gamma"},
		{"like escaped percent", `SELECT Id FROM Lead WHERE LastName LIKE '50\% %'`, "50% off"},
		{"and", "SELECT Id FROM Lead WHERE AnnualRevenue > 5 AND Email != null", "Alpha,beta"},
		{"or with parentheses", "SELECT Id FROM Lead WHERE (LastName = 'Alpha' OR LastName = 'Gamma') AND AnnualRevenue < 25", "Alpha"},
		{"not", "SELECT Id FROM Lead WHERE NOT LastName = 'Alpha'", "beta,Gamma,50% off"},
		{"picklist", "SELECT Id FROM Lead WHERE Status = 'Working - Contacted'", "Gamma"},
		{"boolean", "SELECT Id FROM Lead WHERE IsConverted = false AND IsDeleted = false LIMIT 2", "Alpha,beta"},
		{"datetime literal", "SELECT Id FROM Lead WHERE CreatedDate > 2026-02-01T00:00:00Z", "Alpha,beta,50% off"},
		{"datetime with offset", "SELECT Id FROM Lead WHERE CreatedDate >= 2026-03-02T09:00:00+01:00", "Alpha"},
		{"today", "SELECT Id FROM Lead WHERE CreatedDate = TODAY", "Alpha"},
		{"yesterday", "SELECT Id FROM Lead WHERE CreatedDate = YESTERDAY", "50% off"},
		{"last n days", "SELECT Id FROM Lead WHERE CreatedDate = LAST_N_DAYS:30", "Alpha,beta,50% off"},
		{"before range", "SELECT Id FROM Lead WHERE CreatedDate < LAST_N_DAYS:30", "Gamma"},
		{"order desc", "SELECT Id FROM Lead ORDER BY AnnualRevenue DESC", "Gamma,beta,Alpha,50% off"},
		{"order asc nulls last", "SELECT Id FROM Lead ORDER BY Email ASC NULLS LAST, LastName", "Alpha,beta,50% off,Gamma"},
		{"order by name ignores case", "SELECT Id FROM Lead ORDER BY LastName", "50% off,Alpha,beta,Gamma"},
		{"limit offset", "SELECT Id FROM Lead ORDER BY LastName LIMIT 2 OFFSET 1", "Alpha,beta"},
		{"parent field filter", "SELECT Id FROM Contact WHERE Account.Name = 'Acme'", "Lovelace"},
		{"parent null", "SELECT Id FROM Contact WHERE Account.Name = null", "Orphan"},
		{"order by parent", "SELECT Id FROM Contact ORDER BY Account.NumberOfEmployees DESC NULLS LAST", "Lovelace,Orphan"},
		{"object prefix", "SELECT Lead.Id FROM Lead WHERE Lead.LastName = 'beta'", "beta"},
		{"keywords any case", "select id from lead where lastname = 'Alpha' order by id asc limit 1", "Alpha"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := queryNames(t, e, tc.query)
			if err != nil {
				t.Fatalf("%s: %s", err.code, err.message(tc.query))
			}
			if strings.Join(got, ",") != tc.want {
				t.Errorf("got %s, want %s", strings.Join(got, ","), tc.want)
			}
		})
	}
}

func TestSOQLErrors(t *testing.T) {
	e := soqlSetup(t)
	cases := []struct {
		name   string
		query  string
		code   string
		column int
	}{
		{"missing from", "SELECT Id Lead", "MALFORMED_QUERY", 11},
		{"trailing where", "SELECT Id FROM Lead WHERE", "MALFORMED_QUERY", 26},
		{"mixed and or", "SELECT Id FROM Lead WHERE Email = null AND LastName = 'x' OR Company = 'y'", "MALFORMED_QUERY", 59},
		{"unknown field", "SELECT Id, Nope FROM Lead", "INVALID_FIELD", 12},
		{"unknown object", "SELECT Id FROM Nope", "INVALID_TYPE", 16},
		{"unknown relationship", "SELECT Foo.Name FROM Contact", "INVALID_FIELD", 8},
		{"quoted datetime", "SELECT Id FROM Lead WHERE CreatedDate > '2026-01-01T00:00:00Z'", "INVALID_FIELD", 41},
		{"date for datetime", "SELECT Id FROM Lead WHERE CreatedDate > 2026-01-01", "INVALID_FIELD", 41},
		{"string for number", "SELECT Id FROM Lead WHERE AnnualRevenue > '5'", "INVALID_FIELD", 43},
		{"bad id", "SELECT Id FROM Lead WHERE Id = 'abc'", "INVALID_QUERY_FILTER_OPERATOR", 32},
		{"unterminated string", "SELECT Id FROM Lead WHERE LastName = 'abc", "MALFORMED_QUERY", 38},
		{"bad escape", `SELECT Id FROM Lead WHERE LastName = 'a\qb'`, "MALFORMED_QUERY", 40},
		{"group by unsupported", "SELECT Id FROM Lead GROUP BY Company", "MALFORMED_QUERY", 21},
		{"duplicate field", "SELECT Id, id FROM Lead", "MALFORMED_QUERY", 12},
		{"count field", "SELECT COUNT(Id) FROM Lead", "MALFORMED_QUERY", 14},
		{"second line", "SELECT Id\nFROM Lead\nWHERE ==", "MALFORMED_QUERY", 7},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := queryNames(t, e, tc.query)
			if err == nil {
				t.Fatal("query succeeded")
			}
			if err.code != tc.code {
				t.Errorf("code = %s (%s), want %s", err.code, err.msg, tc.code)
			}
			msg := err.message(tc.query)
			if want := "Column:" + itoa(tc.column) + "\n"; !strings.Contains(msg, want) {
				t.Errorf("message %q lacks %q", msg, want)
			}
		})
	}
}

func itoa(n int) string {
	return strings.TrimSpace(strings.Replace(time.Duration(n).String(), "ns", "", 1))
}

func FuzzParseSOQL(f *testing.F) {
	for _, seed := range []string{
		"SELECT Id FROM Lead",
		"SELECT Id, Account.Name FROM Contact WHERE (Email = 'a' OR Email LIKE 'b%') AND CreatedDate > 2026-01-01T00:00:00Z ORDER BY Name DESC NULLS LAST LIMIT 5 OFFSET 1",
		"SELECT COUNT() FROM Lead WHERE CreatedDate = LAST_N_DAYS:3",
		`SELECT Id FROM Lead WHERE LastName = 'O\'Brien' AND Company NOT IN ('a','b')`,
		"SELECT Id FROM Lead WHERE AnnualRevenue >= -5.5",
	} {
		f.Add(seed)
	}
	e, err := New(nil, Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		parsed, perr := parseSOQL(q)
		if perr != nil {
			if perr.pos < 0 || perr.pos > len(q) {
				t.Fatalf("error position %d outside the query of length %d", perr.pos, len(q))
			}
			_ = perr.message(q)
			return
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		if c, cerr := e.compile(parsed, time.Now()); cerr == nil {
			e.run(c, true)
		}
	})
}

package salesforce

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestVersionRootNamesIdentityURL(t *testing.T) {
	env := setup(t, nil)
	status, body := env.call(t, "GET", v, "")
	if status != 200 {
		t.Fatalf("status = %d, body %s", status, body)
	}
	var root map[string]string
	if err := json.Unmarshal([]byte(body), &root); err != nil {
		t.Fatal(err)
	}
	want := env.srv.URL + "/id/" + env.emu.OrgID() + "/" + env.emu.UserID()
	if root["identity"] != want {
		t.Errorf("identity = %q, want %q", root["identity"], want)
	}
}

func TestIdentityURL(t *testing.T) {
	env := setup(t, nil)
	idPath := "/id/" + env.emu.OrgID() + "/" + env.emu.UserID()
	get := func(t *testing.T, path, authorization string) (int, string) {
		t.Helper()
		req, err := http.NewRequest("GET", env.srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if authorization != "" {
			req.Header.Set("Authorization", authorization)
		}
		resp, err := env.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}

	cases := []struct {
		name, path, authorization string
		status                    int
	}{
		{"bearer header", idPath, "Bearer " + env.token, 200},
		{"oauth_token parameter", idPath + "?format=json&oauth_token=" + url.QueryEscape(env.token), "", 200},
		{"no token", idPath, "", 403},
		{"wrong token", idPath + "?oauth_token=nope", "", 403},
		{"other user", "/id/" + env.emu.OrgID() + "/005KP0000000ZZZAAA", "Bearer " + env.token, 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := get(t, tc.path, tc.authorization)
			if status != tc.status {
				t.Fatalf("status = %d, want %d (body %s)", status, tc.status, body)
			}
			if status != 200 {
				return
			}
			var id map[string]any
			if err := json.Unmarshal([]byte(body), &id); err != nil {
				t.Fatal(err)
			}
			if id["organization_id"] != env.emu.OrgID() {
				t.Errorf("organization_id = %v, want %s", id["organization_id"], env.emu.OrgID())
			}
			if id["user_id"] != env.emu.UserID() {
				t.Errorf("user_id = %v, want %s", id["user_id"], env.emu.UserID())
			}
			if !strings.HasSuffix(id["id"].(string), idPath) {
				t.Errorf("id = %v, want it to end in %s", id["id"], idPath)
			}
		})
	}
}

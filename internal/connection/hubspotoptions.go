package connection

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/koppel-sync/koppel/internal/hubspot"
)

// updateOptions replaces the options of a HubSpot dropdown with options
// through PATCH /crm/v3/properties/{objectType}/{name}. The caller passes
// every existing option along, because HubSpot replaces the whole list.
//
// TODO: call the HubSpot client once it offers a property update; until
// then this one call bypasses its retries and rate limiting.
func (s hubspotSetup) updateOptions(ctx context.Context, t hubspot.ObjectType, name string, options []hubspot.PropertyOption) error {
	if s.creds == nil {
		return fmt.Errorf("update property options: missing HubSpot credentials")
	}
	body, err := json.Marshal(map[string]any{"options": options})
	if err != nil {
		return fmt.Errorf("encode options: %w", err)
	}
	base := s.creds.BaseURL
	if base == "" {
		base = hubspot.DefaultBaseURL
	}
	target := strings.TrimRight(base, "/") + "/crm/v3/properties/" + url.PathEscape(string(t)) + "/" + url.PathEscape(name)
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, target, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	token := s.creds.AccessToken
	if token == "" && s.access != nil {
		// An OAuth connection: the client refreshed a token for the calls
		// before this one.
		if t := s.access.Load(); t != nil {
			token = *t
		}
	}
	if token == "" {
		return fmt.Errorf("update property options: no HubSpot access token yet")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")

	client := s.httpClient
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("send request: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return nil
	}

	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	var he struct {
		Category string `json:"category"`
		Message  string `json:"message"`
	}
	if json.Unmarshal(raw, &he) == nil && he.Message != "" {
		return fmt.Errorf("HubSpot returned %d %s: %s", resp.StatusCode, he.Category, he.Message)
	}
	return fmt.Errorf("HubSpot returned %d", resp.StatusCode)
}

package connection

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/secret"
	"github.com/koppel-sync/koppel/internal/store"
)

// SalesforceCredentials are the sign-in details of one org, stored sealed
// as JSON.
type SalesforceCredentials struct {
	// Auth is salesforce.AuthClientCredentials, salesforce.AuthJWTBearer
	// or salesforce.AuthRefreshToken.
	Auth     salesforce.AuthMethod `json:"auth"`
	LoginURL string                `json:"loginUrl"`
	ClientID string                `json:"clientId"`

	// ClientSecret is set for client credentials.
	ClientSecret string `json:"clientSecret,omitempty"`

	// Username and PrivateKeyPEM are set for the JWT bearer flow.
	Username      string `json:"username,omitempty"`
	PrivateKeyPEM []byte `json:"privateKeyPem,omitempty"`

	// RefreshToken is set for salesforce.AuthRefreshToken, from the
	// authorization code flow of the connect button.
	// TODO: store the new refresh token when the org rotates it; only the
	// one from the code exchange is stored.
	RefreshToken string `json:"refreshToken,omitempty"`

	// InstanceURL is the org's API host that connect saw. It identifies
	// the org, so a later connect can notice credentials of another org;
	// the client takes the instance from each token response instead.
	InstanceURL string `json:"instanceUrl,omitempty"`
}

// String hides the secrets, so credentials printed by mistake leak nothing.
func (c SalesforceCredentials) String() string {
	return fmt.Sprintf("SalesforceCredentials{auth=%s, login_url=%s, instance_url=%s}", c.Auth, c.LoginURL, c.InstanceURL)
}

// Config returns a salesforce.Config that signs in with c.
func (c SalesforceCredentials) Config() salesforce.Config {
	return salesforce.Config{
		LoginURL:      c.LoginURL,
		Auth:          c.Auth,
		ClientID:      c.ClientID,
		ClientSecret:  c.ClientSecret,
		Username:      c.Username,
		PrivateKeyPEM: c.PrivateKeyPEM,
		RefreshToken:  c.RefreshToken,
	}
}

// HubSpotCredentials are a service key or private-app access token, or
// an OAuth app's client and refresh token, and the API root they belong
// to.
type HubSpotCredentials struct {
	// BaseURL is empty for HubSpot itself, or the emulator's URL.
	BaseURL     string `json:"baseUrl,omitempty"`
	AccessToken string `json:"accessToken,omitempty"`

	// ClientID, ClientSecret and RefreshToken are set instead of
	// AccessToken when the connect button's OAuth flow stored them.
	ClientID     string `json:"clientId,omitempty"`
	ClientSecret string `json:"clientSecret,omitempty"`
	RefreshToken string `json:"refreshToken,omitempty"`
}

// String hides the tokens and the client secret.
func (c HubSpotCredentials) String() string {
	return fmt.Sprintf("HubSpotCredentials{base_url=%s, oauth=%t}", c.BaseURL, c.RefreshToken != "")
}

// Config returns a hubspot.Config that uses c: OAuth with refresh when c
// has a refresh token, else the access token.
func (c HubSpotCredentials) Config() hubspot.Config {
	if c.RefreshToken != "" {
		return hubspot.Config{BaseURL: c.BaseURL, OAuth: &hubspot.OAuthConfig{
			ClientID: c.ClientID, ClientSecret: c.ClientSecret, RefreshToken: c.RefreshToken,
		}}
	}
	return hubspot.Config{BaseURL: c.BaseURL, AccessToken: c.AccessToken}
}

func seal(box *secret.Box, connection string, side store.Side, creds any) ([]byte, error) {
	plain, err := json.Marshal(creds)
	if err != nil {
		return nil, fmt.Errorf("encode %s credentials: %w", side, err)
	}
	return box.Seal(secret.Scope{Connection: connection, Side: string(side)}, plain)
}

func unseal(box *secret.Box, connection string, side store.Side, ciphertext []byte, out any) error {
	plain, err := box.Open(secret.Scope{Connection: connection, Side: string(side)}, ciphertext)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(plain, out); err != nil {
		return fmt.Errorf("decode %s credentials: %w", side, err)
	}
	return nil
}

// StoredSalesforce returns the Salesforce credentials stored for connection
// name, and false when the connection or its Salesforce side does not
// exist yet.
func StoredSalesforce(ctx context.Context, st store.Store, box *secret.Box, name string) (SalesforceCredentials, bool, error) {
	var creds SalesforceCredentials
	rec, err := st.GetConnectionByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return creds, false, nil
	}
	if err != nil {
		return creds, false, fmt.Errorf("read connection %q: %w", name, err)
	}
	cred, err := st.GetCredential(ctx, rec.ID, store.Salesforce)
	if errors.Is(err, store.ErrNotFound) {
		return creds, false, nil
	}
	if err != nil {
		return creds, false, fmt.Errorf("read salesforce credentials: %w", err)
	}
	if err := unseal(box, name, store.Salesforce, cred.Ciphertext, &creds); err != nil {
		return creds, false, err
	}
	return creds, true, nil
}

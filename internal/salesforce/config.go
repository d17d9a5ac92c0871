package salesforce

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultAPIVersion is the REST API version a Client calls when
// Config.APIVersion is empty (Spring '26).
const DefaultAPIVersion = "66.0"

// DefaultLoginURL is Salesforce's production login host.
const DefaultLoginURL = "https://login.salesforce.com"

// AuthMethod selects how a Client obtains its access token.
type AuthMethod string

const (
	// AuthClientCredentials uses the OAuth 2.0 client credentials flow of
	// a connected app (ClientID, ClientSecret).
	AuthClientCredentials AuthMethod = "client_credentials"
	// AuthJWTBearer signs an RS256 JWT with PrivateKeyPEM for Username
	// (ClientID as issuer).
	AuthJWTBearer AuthMethod = "jwt_bearer"
	// AuthRefreshToken exchanges RefreshToken for access tokens, for
	// example one obtained with the authorization-code flow.
	AuthRefreshToken AuthMethod = "refresh_token"
	// AuthAccessToken uses AccessToken and InstanceURL as given and cannot
	// re-authenticate. It suits tools and tests.
	AuthAccessToken AuthMethod = "access_token"
)

// Config configures a Client. Zero values take the documented defaults.
type Config struct {
	// LoginURL is the base of the OAuth endpoints. Default
	// https://login.salesforce.com; client credentials need the org's My
	// Domain URL.
	LoginURL string
	// TokenURL overrides the token endpoint. Default
	// LoginURL + "/services/oauth2/token".
	TokenURL string
	// AuthURL overrides the authorization endpoint of the
	// authorization-code flow. Default LoginURL + "/services/oauth2/authorize".
	AuthURL string
	// InstanceURL overrides the instance_url of the token response.
	InstanceURL string
	// APIVersion such as "66.0". Default DefaultAPIVersion.
	APIVersion string

	Auth         AuthMethod
	ClientID     string
	ClientSecret string
	// Username is the JWT subject (AuthJWTBearer).
	Username string
	// PrivateKeyPEM is the RSA key that signs the JWT (AuthJWTBearer).
	PrivateKeyPEM []byte
	// Audience is the JWT aud claim. Default LoginURL.
	Audience string
	// RefreshToken for AuthRefreshToken.
	RefreshToken string
	// AccessToken for AuthAccessToken.
	AccessToken string

	// HTTPClient sends the requests. Default a client with no overall
	// timeout, because Timeout bounds each call.
	HTTPClient *http.Client
	// Timeout bounds each API call, including reading its body. Default
	// 60 seconds. Bulk result downloads get ten times this.
	Timeout time.Duration
	// Logger receives debug logs of calls and info logs of
	// re-authentication. Default slog.Default().
	Logger *slog.Logger
	// BatchSize is sent as Sforce-Query-Options batchSize, 200 to 2000.
	// Salesforce treats it as a hint. Default 0 leaves it to Salesforce
	// (2000).
	BatchSize int
	// BulkThreshold is the row count above which ReadAll uses a Bulk API
	// 2.0 query instead of REST paging. Default 50,000.
	BulkThreshold int
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Header holds extra headers sent with every API call, such as
	// Sforce-Duplicate-Rule-Header or Sforce-Auto-Assign.
	Header http.Header
	// CallClient names the caller in Sforce-Call-Options (client=...), which
	// Change Data Capture events repeat in changeOrigin so a sync can
	// recognize its own writes. Default "koppel".
	CallClient string
}

func (c Config) withDefaults() (Config, error) {
	if c.LoginURL == "" {
		c.LoginURL = DefaultLoginURL
	}
	c.LoginURL = strings.TrimRight(c.LoginURL, "/")
	if _, err := parseHTTPURL(c.LoginURL); err != nil {
		return c, fmt.Errorf("invalid LoginURL: %w", err)
	}
	if c.TokenURL == "" {
		c.TokenURL = c.LoginURL + "/services/oauth2/token"
	}
	if _, err := parseHTTPURL(c.TokenURL); err != nil {
		return c, fmt.Errorf("invalid TokenURL: %w", err)
	}
	if c.AuthURL == "" {
		c.AuthURL = c.LoginURL + "/services/oauth2/authorize"
	}
	if c.InstanceURL != "" {
		c.InstanceURL = strings.TrimRight(c.InstanceURL, "/")
		if _, err := parseHTTPURL(c.InstanceURL); err != nil {
			return c, fmt.Errorf("invalid InstanceURL: %w", err)
		}
	}
	if c.APIVersion == "" {
		c.APIVersion = DefaultAPIVersion
	}
	c.APIVersion = strings.TrimPrefix(c.APIVersion, "v")
	if !validVersion(c.APIVersion) {
		return c, fmt.Errorf("invalid APIVersion %q: use a version such as %s", c.APIVersion, DefaultAPIVersion)
	}

	if c.Audience == "" {
		c.Audience = c.LoginURL
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{}
	}
	if c.Timeout <= 0 {
		c.Timeout = 60 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}

	if c.BatchSize != 0 && (c.BatchSize < 200 || c.BatchSize > 2000) {
		return c, fmt.Errorf("invalid BatchSize %d: use 200 to 2000, or 0 for the default", c.BatchSize)
	}
	if c.BulkThreshold <= 0 {
		c.BulkThreshold = 50000
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.CallClient == "" {
		c.CallClient = "koppel"
	}
	if strings.ContainsAny(c.CallClient, ",;= \t\r\n") {
		return c, fmt.Errorf("invalid CallClient %q: use letters, digits, dots and dashes", c.CallClient)
	}
	return c, nil
}

// validateAuth checks that the credentials for the chosen Auth are there.
func (c Config) validateAuth() error {
	switch c.Auth {
	case AuthClientCredentials:
		if c.ClientID == "" || c.ClientSecret == "" {
			return errors.New("client credentials need ClientID and ClientSecret")
		}
	case AuthJWTBearer:
		if c.ClientID == "" || c.Username == "" || len(c.PrivateKeyPEM) == 0 {
			return errors.New("JWT bearer needs ClientID, Username and PrivateKeyPEM")
		}
	case AuthRefreshToken:
		if c.ClientID == "" || c.RefreshToken == "" {
			return errors.New("refresh token auth needs ClientID and RefreshToken")
		}
	case AuthAccessToken:
		if c.AccessToken == "" || c.InstanceURL == "" {
			return errors.New("access token auth needs AccessToken and InstanceURL")
		}
	case "":
		return fmt.Errorf("missing Auth: use %s, %s, %s or %s", AuthClientCredentials, AuthJWTBearer, AuthRefreshToken, AuthAccessToken)
	default:
		return fmt.Errorf("unknown Auth %q: use %s, %s, %s or %s", c.Auth, AuthClientCredentials, AuthJWTBearer, AuthRefreshToken, AuthAccessToken)
	}
	return nil
}

func parseHTTPURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, err
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL", s)
	}
	return u, nil
}

func validVersion(v string) bool {
	major, minor, ok := strings.Cut(v, ".")
	if !ok || major == "" || minor != "0" {
		return false
	}
	for _, r := range major {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

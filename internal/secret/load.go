package secret

import (
	"errors"
	"os"
	"strings"
)

// EnvOldKeys is the environment variable that holds earlier keys, as
// comma-separated standard base64, during a key rotation. Ciphertexts sealed
// with them still open; new ones are sealed with the current key.
const EnvOldKeys = "KOPPEL_SECRET_OLD_KEYS"

// Open returns the Box for dataDir, with its key from KOPPEL_SECRET_KEY or
// the key file (see LoadKey) and any earlier keys from
// KOPPEL_SECRET_OLD_KEYS.
func Open(dataDir string) (*Box, error) {
	return OpenWithEnv(dataDir, os.Getenv)
}

// OpenWithEnv is Open with the environment read through getenv.
func OpenWithEnv(dataDir string, getenv func(string) string) (*Box, error) {
	k, _, err := LoadKey(dataDir, getenv)
	if err != nil {
		return nil, err
	}

	var older []Key
	for _, s := range strings.Split(getenv(EnvOldKeys), ",") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		old, err := ParseKey(s)
		if err != nil {
			var ke *KeyError
			if errors.As(err, &ke) {
				ke.Source = EnvOldKeys
			}
			return nil, err
		}
		older = append(older, old)
	}
	return NewBox(k, older...)
}

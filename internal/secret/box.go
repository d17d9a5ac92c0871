package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// version1 marks a ciphertext sealed with AES-256-GCM: the layout is
// version (1 byte) | key id (4) | nonce (12) | sealed plaintext and tag.
// A new layout or algorithm gets a new version byte.
const version1 byte = 1

const (
	keyIDSize   = 4
	nonceSize   = 12
	headerSize  = 1 + keyIDSize + nonceSize
	gcmTagBytes = 16
)

// ErrDecrypt is returned when a ciphertext does not open: the key is not the
// one it was sealed with, the bytes were changed, or it belongs to another
// connection or side.
var ErrDecrypt = errors.New("decrypt credentials: wrong key, or the stored bytes were changed or belong to another connection")

// Scope names what a ciphertext belongs to. It is authenticated with the
// ciphertext but not stored in it.
type Scope struct {
	Connection string // connection name, such as "default"
	Side       string // "salesforce" or "hubspot"
}

func (s Scope) associatedData() []byte {
	// Length prefixes keep ("a/b", "c") and ("a", "b/c") apart.
	ad := []byte("koppel-credentials\x00")
	ad = appendString(ad, s.Connection)
	ad = appendString(ad, s.Side)
	return ad
}

func appendString(b []byte, s string) []byte {
	n := len(s)
	b = append(b, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	return append(b, s...)
}

// Box seals and opens credentials. It is safe for concurrent use.
type Box struct {
	primary keyedAEAD
	all     []keyedAEAD
}

type keyedAEAD struct {
	id   [keyIDSize]byte
	aead cipher.AEAD
}

// NewBox returns a Box that seals with primary and opens ciphertexts sealed
// with primary or any of the older keys.
func NewBox(primary Key, older ...Key) (*Box, error) {
	b := &Box{}
	for i, k := range append([]Key{primary}, older...) {
		block, err := aes.NewCipher(k[:])
		if err != nil {
			return nil, fmt.Errorf("create cipher: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("create cipher: %w", err)
		}
		ka := keyedAEAD{id: k.id(), aead: aead}
		if i == 0 {
			b.primary = ka
		}
		b.all = append(b.all, ka)
	}
	return b, nil
}

// Seal encrypts plaintext for scope with a fresh random nonce.
func (b *Box) Seal(scope Scope, plaintext []byte) ([]byte, error) {
	out := make([]byte, headerSize, headerSize+len(plaintext)+gcmTagBytes)
	out[0] = version1
	copy(out[1:], b.primary.id[:])
	if _, err := rand.Read(out[1+keyIDSize : headerSize]); err != nil {
		return nil, fmt.Errorf("read random nonce: %w", err)
	}

	// The header is part of the associated data, so a changed version byte
	// or key id fails authentication as well.
	ad := append(out[:headerSize:headerSize], scope.associatedData()...)
	nonce := out[1+keyIDSize : headerSize]
	return b.primary.aead.Seal(out, nonce, plaintext, ad), nil
}

// Open decrypts a ciphertext made by Seal for the same scope. It returns
// ErrDecrypt when no key of the Box opens it.
func (b *Box) Open(scope Scope, ciphertext []byte) ([]byte, error) {
	if len(ciphertext) < headerSize+gcmTagBytes {
		return nil, fmt.Errorf("%w (too short: %d bytes)", ErrDecrypt, len(ciphertext))
	}
	if ciphertext[0] != version1 {
		return nil, fmt.Errorf("decrypt credentials: unknown format version %d; upgrade koppel", ciphertext[0])
	}

	header := ciphertext[:headerSize]
	nonce := ciphertext[1+keyIDSize : headerSize]
	ad := append(append([]byte{}, header...), scope.associatedData()...)
	for _, k := range b.all {
		if [keyIDSize]byte(header[1:1+keyIDSize]) != k.id {
			continue
		}
		plain, err := k.aead.Open(nil, nonce, ciphertext[headerSize:], ad)
		if err == nil {
			return plain, nil
		}
	}
	return nil, ErrDecrypt
}

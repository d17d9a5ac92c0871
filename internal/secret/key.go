package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// EnvKey is the environment variable that holds the key as standard base64
// of 32 bytes. When set, it takes precedence over the key file.
const EnvKey = "KOPPEL_SECRET_KEY"

// KeyFileName is the name of the key file inside the data directory.
const KeyFileName = "secret.key"

// KeySize is the size of a key in bytes (AES-256).
const KeySize = 32

// Key is one AES-256 key.
type Key [KeySize]byte

// id returns the first four bytes of the key's SHA-256, which tell keys apart
// in a ciphertext without revealing anything useful about the key.
func (k Key) id() [4]byte {
	sum := sha256.Sum256(k[:])
	return [4]byte(sum[:4])
}

// String hides the key so it never reaches a log by accident.
func (k Key) String() string { return "secret.Key(redacted)" }

// GoString hides the key from %#v as well.
func (k Key) GoString() string { return k.String() }

// NewKey returns a key from the system's random source.
func NewKey() (Key, error) {
	var k Key
	if _, err := rand.Read(k[:]); err != nil {
		return Key{}, fmt.Errorf("read random key: %w", err)
	}
	return k, nil
}

// ParseKey decodes a key from standard base64, as stored in the key file and
// in KOPPEL_SECRET_KEY. Surrounding white space is ignored.
func ParseKey(s string) (Key, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return Key{}, &KeyError{Reason: "is not valid base64", Hint: "generate one with: head -c 32 /dev/urandom | base64"}
	}
	if len(raw) != KeySize {
		return Key{}, &KeyError{
			Reason: fmt.Sprintf("decodes to %d bytes, not %d", len(raw), KeySize),
			Hint:   "generate one with: head -c 32 /dev/urandom | base64",
		}
	}
	return Key(raw), nil
}

// Encode returns the key as standard base64.
func (k Key) Encode() string { return base64.StdEncoding.EncodeToString(k[:]) }

// KeyError reports a key that cannot be used, with a hint for the user.
type KeyError struct {
	Source string // "KOPPEL_SECRET_KEY" or the key file's path
	Reason string
	Hint   string
}

func (e *KeyError) Error() string {
	src := e.Source
	if src == "" {
		src = "key"
	}
	msg := src + " " + e.Reason
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

// KeyFileModeError reports a key file that group or others can access.
type KeyFileModeError struct {
	Path string
	Mode fs.FileMode
}

func (e *KeyFileModeError) Error() string {
	return fmt.Sprintf("key file %s has mode %04o, so other users can read it; run: chmod 600 %s",
		e.Path, e.Mode.Perm(), e.Path)
}

// LoadKey returns the key from KOPPEL_SECRET_KEY when getenv reports it set,
// else from the key file in dataDir, creating the data directory (mode 0700)
// and the key file (mode 0600) when they do not exist yet. The bool is true
// when a new key file was created. getenv is os.Getenv in production.
func LoadKey(dataDir string, getenv func(string) string) (Key, bool, error) {
	if v := getenv(EnvKey); v != "" {
		k, err := ParseKey(v)
		if err != nil {
			var ke *KeyError
			if errors.As(err, &ke) {
				ke.Source = EnvKey
			}
			return Key{}, false, err
		}
		return k, false, nil
	}

	path := filepath.Join(dataDir, KeyFileName)
	k, err := readKeyFile(path)
	if err == nil {
		return k, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return Key{}, false, err
	}

	k, err = createKeyFile(dataDir, path)
	if errors.Is(err, fs.ErrExist) {
		// Another process created the file between our read and create.
		k, err = readKeyFile(path)
		return k, false, err
	}
	if err != nil {
		return Key{}, false, err
	}
	return k, true, nil
}

func readKeyFile(path string) (Key, error) {
	f, err := os.Open(path)
	if err != nil {
		return Key{}, err
	}
	defer f.Close()

	info, err := f.Stat()
	if err != nil {
		return Key{}, fmt.Errorf("stat key file: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return Key{}, &KeyFileModeError{Path: path, Mode: info.Mode()}
	}

	buf := make([]byte, 256)
	n, err := f.Read(buf)
	if err != nil {
		return Key{}, fmt.Errorf("read key file %s: %w", path, err)
	}
	k, err := ParseKey(string(buf[:n]))
	if err != nil {
		var ke *KeyError
		if errors.As(err, &ke) {
			ke.Source = "key file " + path
			ke.Hint = "restore the key file from your backup; without it the stored credentials cannot be decrypted"
		}
		return Key{}, err
	}
	return k, nil
}

func createKeyFile(dataDir, path string) (Key, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return Key{}, fmt.Errorf("create data directory: %w", err)
	}
	k, err := NewKey()
	if err != nil {
		return Key{}, err
	}

	// Write to a temporary file and link it into place, so a crash never
	// leaves a half-written key file behind and a concurrent creator loses
	// cleanly with fs.ErrExist.
	tmp, err := os.CreateTemp(dataDir, ".secret.key-*")
	if err != nil {
		return Key{}, fmt.Errorf("create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return Key{}, fmt.Errorf("set key file mode: %w", err)
	}
	if _, err := tmp.WriteString(k.Encode() + "\n"); err != nil {
		tmp.Close()
		return Key{}, fmt.Errorf("write key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return Key{}, fmt.Errorf("write key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Key{}, fmt.Errorf("write key file: %w", err)
	}
	err = os.Link(tmp.Name(), path)
	switch {
	case err == nil:
		return k, nil
	case errors.Is(err, fs.ErrExist):
		return Key{}, err
	}

	// Some file systems (FAT, several network and FUSE mounts) have no hard
	// links. There an exclusive create is the next best thing.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Key{}, err
		}
		return Key{}, fmt.Errorf("create key file: %w", err)
	}
	_, werr := f.WriteString(k.Encode() + "\n")
	if serr := f.Sync(); werr == nil {
		werr = serr
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return Key{}, fmt.Errorf("write key file: %w", werr)
	}
	return k, nil
}

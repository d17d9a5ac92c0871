package secret

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func noEnv(string) string { return "" }

func envWith(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

type fixture struct {
	dir string
	box *Box
}

func setup(t *testing.T) fixture {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	box, err := OpenWithEnv(dir, noEnv)
	if err != nil {
		t.Fatalf("OpenWithEnv: %v", err)
	}
	return fixture{dir: dir, box: box}
}

var scopeSF = Scope{Connection: "default", Side: "salesforce"}

func TestSealOpenRoundTrip(t *testing.T) {
	f := setup(t)
	cases := []struct {
		name  string
		plain []byte
	}{
		{"empty", []byte{}},
		{"token", []byte("pat-na1-11111111-2222-3333-4444-555555555555")},
		{"json", []byte(`{"client_id":"3MVG9","client_secret":"s3cr3t-ä"}`)},
		{"large", bytes.Repeat([]byte("x"), 64<<10)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ct, err := f.box.Seal(scopeSF, tc.plain)
			if err != nil {
				t.Fatalf("Seal: %v", err)
			}
			if len(tc.plain) > 8 && bytes.Contains(ct, tc.plain) {
				t.Fatal("ciphertext contains the plaintext")
			}
			got, err := f.box.Open(scopeSF, ct)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(got, tc.plain) {
				t.Fatalf("Open = %q, want %q", got, tc.plain)
			}
		})
	}
}

func TestSealUsesFreshNonce(t *testing.T) {
	f := setup(t)
	a, _ := f.box.Seal(scopeSF, []byte("same"))
	b, _ := f.box.Seal(scopeSF, []byte("same"))
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same plaintext are identical")
	}
}

func TestOpenRejects(t *testing.T) {
	f := setup(t)
	ct, err := f.box.Seal(scopeSF, []byte("client-secret-value"))
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	otherBox, err := NewBox(other)
	if err != nil {
		t.Fatal(err)
	}

	flip := func(i int) []byte {
		c := bytes.Clone(ct)
		c[i] ^= 0x01
		return c
	}
	cases := []struct {
		name  string
		box   *Box
		scope Scope
		ct    []byte
	}{
		{"wrong key", otherBox, scopeSF, ct},
		{"other connection", f.box, Scope{Connection: "acme", Side: "salesforce"}, ct},
		{"other side", f.box, Scope{Connection: "default", Side: "hubspot"}, ct},
		{"tampered key id", f.box, scopeSF, flip(1)},
		{"tampered nonce", f.box, scopeSF, flip(headerSize - 1)},
		{"tampered body", f.box, scopeSF, flip(headerSize)},
		{"tampered tag", f.box, scopeSF, flip(len(ct) - 1)},
		{"truncated", f.box, scopeSF, ct[:len(ct)-1]},
		{"too short", f.box, scopeSF, ct[:headerSize]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.box.Open(tc.scope, tc.ct)
			if !errors.Is(err, ErrDecrypt) {
				t.Fatalf("Open error = %v, want ErrDecrypt", err)
			}
		})
	}

	t.Run("unknown version", func(t *testing.T) {
		c := bytes.Clone(ct)
		c[0] = 9
		_, err := f.box.Open(scopeSF, c)
		if err == nil || !strings.Contains(err.Error(), "version 9") {
			t.Fatalf("Open error = %v, want unknown format version 9", err)
		}
	})
}

func TestScopeLengthPrefixed(t *testing.T) {
	f := setup(t)
	ct, _ := f.box.Seal(Scope{Connection: "a", Side: "bc"}, []byte("x"))
	if _, err := f.box.Open(Scope{Connection: "ab", Side: "c"}, ct); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("Open with shifted scope error = %v, want ErrDecrypt", err)
	}
}

func TestRotationOpensOldCiphertexts(t *testing.T) {
	oldKey, _ := NewKey()
	newKey, _ := NewKey()
	oldBox, _ := NewBox(oldKey)
	ct, _ := oldBox.Seal(scopeSF, []byte("before rotation"))

	dir := t.TempDir()
	box, err := OpenWithEnv(dir, envWith(map[string]string{
		EnvKey:     newKey.Encode(),
		EnvOldKeys: " " + oldKey.Encode() + " ,",
	}))
	if err != nil {
		t.Fatalf("OpenWithEnv: %v", err)
	}
	got, err := box.Open(scopeSF, ct)
	if err != nil || string(got) != "before rotation" {
		t.Fatalf("Open old ciphertext = %q, %v", got, err)
	}

	resealed, _ := box.Seal(scopeSF, got)
	if _, err := oldBox.Open(scopeSF, resealed); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("new ciphertext opened with the old key only: %v", err)
	}
}

func TestLoadKeyCreatesFileOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	k1, created, err := LoadKey(dir, noEnv)
	if err != nil || !created {
		t.Fatalf("first LoadKey = created %v, %v", created, err)
	}
	info, err := os.Stat(filepath.Join(dir, KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("key file mode = %04o, want 0600", perm)
	}
	dirInfo, _ := os.Stat(dir)
	if perm := dirInfo.Mode().Perm(); perm != 0o700 {
		t.Fatalf("data dir mode = %04o, want 0700", perm)
	}

	k2, created, err := LoadKey(dir, noEnv)
	if err != nil || created {
		t.Fatalf("second LoadKey = created %v, %v", created, err)
	}
	if k1 != k2 {
		t.Fatal("second LoadKey returned another key")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("data dir has %d entries, want only the key file", len(entries))
	}
}

func TestLoadKeyRejectsOpenMode(t *testing.T) {
	cases := []struct {
		name string
		mode os.FileMode
		ok   bool
	}{
		{"owner only", 0o600, true},
		{"owner read only", 0o400, true},
		{"group readable", 0o640, false},
		{"world readable", 0o644, false},
		{"group writable", 0o620, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, _, err := LoadKey(dir, noEnv); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, KeyFileName)
			if err := os.Chmod(path, tc.mode); err != nil {
				t.Fatal(err)
			}

			_, _, err := LoadKey(dir, noEnv)
			if tc.ok {
				if err != nil {
					t.Fatalf("LoadKey: %v", err)
				}
				return
			}
			var me *KeyFileModeError
			if !errors.As(err, &me) {
				t.Fatalf("LoadKey error = %v, want KeyFileModeError", err)
			}
			if !strings.Contains(err.Error(), "chmod 600 "+path) {
				t.Fatalf("error %q does not say how to fix the mode", err)
			}
		})
	}
}

func TestLoadKeyFromEnv(t *testing.T) {
	k, _ := NewKey()
	cases := []struct {
		name    string
		value   string
		wantErr string
	}{
		{"valid", k.Encode(), ""},
		{"valid with newline", k.Encode() + "\n", ""},
		{"not base64", "not-base64!", "KOPPEL_SECRET_KEY is not valid base64"},
		{"too short", "c2hvcnQ=", "KOPPEL_SECRET_KEY decodes to 5 bytes, not 32"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			got, created, err := LoadKey(dir, envWith(map[string]string{EnvKey: tc.value}))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("LoadKey error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadKey: %v", err)
			}
			if got != k || created {
				t.Fatalf("LoadKey = other key or created %v", created)
			}
			if _, err := os.Stat(filepath.Join(dir, KeyFileName)); !os.IsNotExist(err) {
				t.Fatal("a key file was written although KOPPEL_SECRET_KEY is set")
			}
		})
	}
}

func TestLoadKeyCorruptFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, KeyFileName)
	if err := os.WriteFile(path, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := LoadKey(dir, noEnv)
	var ke *KeyError
	if !errors.As(err, &ke) || !strings.Contains(err.Error(), path) {
		t.Fatalf("LoadKey error = %v, want KeyError naming %s", err, path)
	}
}

func TestSealedFileHoldsNoPlaintext(t *testing.T) {
	f := setup(t)
	plain := []byte("my-client-secret-8f2b7c")
	ct, err := f.box.Seal(scopeSF, plain)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.dir, "credentials.bin")
	if err := os.WriteFile(path, ct, 0o600); err != nil {
		t.Fatal(err)
	}

	on, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(on, plain) {
		t.Fatal("file on disk contains the plaintext")
	}
	keyFile, _ := os.ReadFile(filepath.Join(f.dir, KeyFileName))
	if bytes.Contains(keyFile, plain) {
		t.Fatal("key file contains the plaintext")
	}
	got, err := f.box.Open(scopeSF, on)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open from disk = %q, %v", got, err)
	}
}

func TestKeyStringRedacted(t *testing.T) {
	k, _ := NewKey()
	for _, s := range []string{k.String(), k.GoString()} {
		if strings.Contains(s, k.Encode()) {
			t.Fatal("Key formatting shows the key")
		}
	}
}

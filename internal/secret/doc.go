// Package secret encrypts credentials before they are stored and decrypts
// them when a connection is opened.
//
// The key is 32 bytes. It comes from the environment variable
// KOPPEL_SECRET_KEY (standard base64) when that is set, else from the file
// secret.key in the data directory, which is created with mode 0600 on first
// use. A key file that group or others can read is rejected.
//
// Ciphertexts are sealed with AES-256-GCM and carry a format version byte
// and a key id, so a key can be rotated: a Box opens ciphertexts made with
// any of its keys and seals with the first. The associated data binds each
// ciphertext to one connection and side, so credentials copied from one
// connection's row into another's fail to open.
package secret

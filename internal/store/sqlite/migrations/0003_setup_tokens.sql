-- The one-time link that creates the first admin. Only a hash of its
-- token is stored, as for sessions.
CREATE TABLE setup_tokens (
	token_hash BLOB PRIMARY KEY,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);

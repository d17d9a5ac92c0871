-- The one-time link that creates the first admin. Only a hash of its
-- token is stored, as for sessions.
CREATE TABLE setup_tokens (
	token_hash bytea PRIMARY KEY,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL
);

-- Times are Unix milliseconds in UTC. Booleans are 0 or 1. JSON columns
-- hold JSON text.

CREATE TABLE connections (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	hubspot_portal_id TEXT NOT NULL DEFAULT '',
	salesforce_org_id TEXT NOT NULL DEFAULT '',
	settings TEXT NOT NULL,
	settings_version INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE credentials (
	connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	side TEXT NOT NULL,
	ciphertext BLOB NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (connection_id, side)
);

CREATE TABLE mappings (
	id INTEGER PRIMARY KEY,
	connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	hubspot_property TEXT NOT NULL,
	salesforce_field TEXT NOT NULL,
	objects TEXT NOT NULL,
	rule TEXT NOT NULL,
	is_default INTEGER NOT NULL,
	kind TEXT NOT NULL
);
CREATE UNIQUE INDEX mappings_pair ON mappings (connection_id, objects, hubspot_property, salesforce_field);

CREATE TABLE runs (
	id INTEGER PRIMARY KEY,
	connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	undo_of INTEGER REFERENCES runs (id) ON DELETE SET NULL,
	started_at INTEGER NOT NULL,
	finished_at INTEGER,
	status TEXT NOT NULL,
	counts TEXT NOT NULL,
	api_calls_hubspot INTEGER NOT NULL,
	api_calls_salesforce INTEGER NOT NULL,
	error TEXT NOT NULL
);
CREATE INDEX runs_connection ON runs (connection_id, id);

-- The unique indexes put the record id before the kind so that a search by
-- either side's id alone can use them.
CREATE TABLE links (
	id INTEGER PRIMARY KEY,
	connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	hubspot_id TEXT NOT NULL,
	salesforce_id TEXT NOT NULL,
	salesforce_object TEXT NOT NULL,
	email TEXT NOT NULL,
	status TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX links_hubspot ON links (connection_id, hubspot_id, kind);
CREATE UNIQUE INDEX links_salesforce ON links (connection_id, salesforce_id);
CREATE INDEX links_connection ON links (connection_id, id);
CREATE INDEX links_email ON links (connection_id, email, id);
CREATE INDEX links_kind_status ON links (connection_id, kind, status, id);

CREATE TABLE link_events (
	id INTEGER PRIMARY KEY,
	link_id INTEGER NOT NULL REFERENCES links (id) ON DELETE CASCADE,
	at INTEGER NOT NULL,
	event TEXT NOT NULL,
	old_hubspot_id TEXT NOT NULL,
	new_hubspot_id TEXT NOT NULL,
	old_salesforce_id TEXT NOT NULL,
	old_salesforce_object TEXT NOT NULL,
	new_salesforce_id TEXT NOT NULL,
	new_salesforce_object TEXT NOT NULL,
	run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,
	note TEXT NOT NULL
);
CREATE INDEX link_events_link ON link_events (link_id, id);
CREATE INDEX link_events_run ON link_events (run_id);

CREATE TABLE base_values (
	link_id INTEGER NOT NULL REFERENCES links (id) ON DELETE CASCADE,
	field TEXT NOT NULL,
	value TEXT NOT NULL,
	run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,
	synced_at INTEGER NOT NULL,
	PRIMARY KEY (link_id, field)
) WITHOUT ROWID;
CREATE INDEX base_values_run ON base_values (run_id);

CREATE TABLE cursors (
	connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	source TEXT NOT NULL,
	position_at INTEGER NOT NULL,
	position_id TEXT NOT NULL,
	extra TEXT,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (connection_id, source)
);

CREATE TABLE intents (
	id INTEGER PRIMARY KEY,
	connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	target_side TEXT NOT NULL,
	object TEXT NOT NULL,
	record_key TEXT NOT NULL,
	source_id TEXT NOT NULL,
	state TEXT NOT NULL,
	created_id TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
-- At most one pending create per target record: the guard against
-- duplicates after a crash.
CREATE UNIQUE INDEX intents_pending ON intents (connection_id, target_side, object, record_key) WHERE state = 'pending';
CREATE INDEX intents_state ON intents (connection_id, state, id);

CREATE TABLE sync_errors (
	id INTEGER PRIMARY KEY,
	connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	side TEXT NOT NULL,
	object TEXT NOT NULL,
	record_id TEXT NOT NULL,
	link_id INTEGER REFERENCES links (id) ON DELETE SET NULL,
	category TEXT NOT NULL,
	code TEXT NOT NULL,
	message TEXT NOT NULL,
	fields TEXT NOT NULL,
	attempts INTEGER NOT NULL,
	first_seen INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	next_retry_at INTEGER,
	resolved_at INTEGER
);
CREATE UNIQUE INDEX sync_errors_record ON sync_errors (connection_id, side, record_id, category);
CREATE INDEX sync_errors_category ON sync_errors (connection_id, category, id);
CREATE INDEX sync_errors_link ON sync_errors (link_id);
CREATE INDEX sync_errors_open ON sync_errors (connection_id, id) WHERE resolved_at IS NULL;
CREATE INDEX sync_errors_open_category ON sync_errors (connection_id, category, id) WHERE resolved_at IS NULL;
CREATE INDEX sync_errors_due ON sync_errors (connection_id, next_retry_at, id) WHERE resolved_at IS NULL AND next_retry_at IS NOT NULL;

CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,
	connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	link_id INTEGER REFERENCES links (id) ON DELETE SET NULL,
	hubspot_id TEXT NOT NULL,
	salesforce_id TEXT NOT NULL,
	field TEXT NOT NULL,
	old_value TEXT NOT NULL,
	new_value TEXT NOT NULL,
	direction TEXT NOT NULL,
	rule TEXT NOT NULL,
	reason_code TEXT NOT NULL,
	reason TEXT NOT NULL,
	conflict INTEGER NOT NULL,
	at INTEGER NOT NULL
);
CREATE INDEX audit_log_link ON audit_log (link_id, id);
CREATE INDEX audit_log_run ON audit_log (run_id, id);
CREATE INDEX audit_log_connection ON audit_log (connection_id);

CREATE TABLE tombstones (
	connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	side TEXT NOT NULL,
	record_id TEXT NOT NULL,
	object TEXT NOT NULL,
	link_id INTEGER REFERENCES links (id) ON DELETE SET NULL,
	deleted_at INTEGER NOT NULL,
	PRIMARY KEY (connection_id, side, record_id)
);
CREATE INDEX tombstones_link ON tombstones (link_id);

CREATE TABLE import_progress (
	run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
	object TEXT NOT NULL,
	last_salesforce_id TEXT NOT NULL,
	counts TEXT NOT NULL,
	done INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (run_id, object)
);

CREATE TABLE api_usage (
	id INTEGER PRIMARY KEY,
	connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	side TEXT NOT NULL,
	at INTEGER NOT NULL,
	used INTEGER NOT NULL,
	limit_value INTEGER NOT NULL
);
CREATE INDEX api_usage_side ON api_usage (connection_id, side, at);
CREATE INDEX api_usage_at ON api_usage (at);

CREATE TABLE list_members (
	connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	list_id TEXT NOT NULL,
	contact_id TEXT NOT NULL,
	first_seen INTEGER NOT NULL,
	PRIMARY KEY (connection_id, list_id, contact_id)
);

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	password_hash BLOB NOT NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
	token_hash BLOB PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf_secret BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE sign_in_attempts (
	id INTEGER PRIMARY KEY,
	attempt_key TEXT NOT NULL,
	at INTEGER NOT NULL,
	success INTEGER NOT NULL
);
CREATE INDEX sign_in_attempts_key ON sign_in_attempts (attempt_key, at);
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at);

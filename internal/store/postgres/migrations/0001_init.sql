-- Times are timestamptz with millisecond precision; the store truncates
-- them before binding. JSON columns are jsonb.

CREATE TABLE connections (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE,
	hubspot_portal_id text NOT NULL DEFAULT '',
	salesforce_org_id text NOT NULL DEFAULT '',
	settings jsonb NOT NULL,
	settings_version bigint NOT NULL,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);

CREATE TABLE credentials (
	connection_id bigint NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	side text NOT NULL,
	ciphertext bytea NOT NULL,
	updated_at timestamptz NOT NULL,
	PRIMARY KEY (connection_id, side)
);

CREATE TABLE mappings (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	connection_id bigint NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	hubspot_property text NOT NULL,
	salesforce_field text NOT NULL,
	objects text NOT NULL,
	rule text NOT NULL,
	is_default boolean NOT NULL,
	kind text NOT NULL
);
CREATE UNIQUE INDEX mappings_pair ON mappings (connection_id, objects, hubspot_property, salesforce_field);

CREATE TABLE runs (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	connection_id bigint NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	kind text NOT NULL,
	undo_of bigint REFERENCES runs (id) ON DELETE SET NULL,
	started_at timestamptz NOT NULL,
	finished_at timestamptz,
	status text NOT NULL,
	counts jsonb NOT NULL,
	api_calls_hubspot bigint NOT NULL,
	api_calls_salesforce bigint NOT NULL,
	error text NOT NULL
);
CREATE INDEX runs_connection ON runs (connection_id, id);

-- The unique indexes put the record id before the kind so that a search by
-- either side's id alone can use them.
CREATE TABLE links (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	connection_id bigint NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	kind text NOT NULL,
	hubspot_id text NOT NULL,
	salesforce_id text NOT NULL,
	salesforce_object text NOT NULL,
	email text NOT NULL,
	status text NOT NULL,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX links_hubspot ON links (connection_id, hubspot_id, kind);
CREATE UNIQUE INDEX links_salesforce ON links (connection_id, salesforce_id);
CREATE INDEX links_connection ON links (connection_id, id);
CREATE INDEX links_email ON links (connection_id, email, id);
CREATE INDEX links_kind_status ON links (connection_id, kind, status, id);

CREATE TABLE link_events (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	link_id bigint NOT NULL REFERENCES links (id) ON DELETE CASCADE,
	at timestamptz NOT NULL,
	event text NOT NULL,
	old_hubspot_id text NOT NULL,
	new_hubspot_id text NOT NULL,
	old_salesforce_id text NOT NULL,
	old_salesforce_object text NOT NULL,
	new_salesforce_id text NOT NULL,
	new_salesforce_object text NOT NULL,
	run_id bigint REFERENCES runs (id) ON DELETE SET NULL,
	note text NOT NULL
);
CREATE INDEX link_events_link ON link_events (link_id, id);
CREATE INDEX link_events_run ON link_events (run_id);

CREATE TABLE base_values (
	link_id bigint NOT NULL REFERENCES links (id) ON DELETE CASCADE,
	field text NOT NULL,
	value text NOT NULL,
	run_id bigint REFERENCES runs (id) ON DELETE SET NULL,
	synced_at timestamptz NOT NULL,
	PRIMARY KEY (link_id, field)
);
CREATE INDEX base_values_run ON base_values (run_id);

CREATE TABLE cursors (
	connection_id bigint NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	source text NOT NULL,
	position_at timestamptz NOT NULL,
	position_id text NOT NULL,
	extra jsonb,
	updated_at timestamptz NOT NULL,
	PRIMARY KEY (connection_id, source)
);

CREATE TABLE intents (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	connection_id bigint NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	target_side text NOT NULL,
	object text NOT NULL,
	record_key text NOT NULL,
	source_id text NOT NULL,
	state text NOT NULL,
	created_id text NOT NULL,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);
-- At most one pending create per target record: the guard against
-- duplicates after a crash.
CREATE UNIQUE INDEX intents_pending ON intents (connection_id, target_side, object, record_key) WHERE state = 'pending';
CREATE INDEX intents_state ON intents (connection_id, state, id);

CREATE TABLE sync_errors (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	connection_id bigint NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	side text NOT NULL,
	object text NOT NULL,
	record_id text NOT NULL,
	link_id bigint REFERENCES links (id) ON DELETE SET NULL,
	category text NOT NULL,
	code text NOT NULL,
	message text NOT NULL,
	fields jsonb NOT NULL,
	attempts bigint NOT NULL,
	first_seen timestamptz NOT NULL,
	last_seen timestamptz NOT NULL,
	next_retry_at timestamptz,
	resolved_at timestamptz
);
CREATE UNIQUE INDEX sync_errors_record ON sync_errors (connection_id, side, record_id, category);
CREATE INDEX sync_errors_category ON sync_errors (connection_id, category, id);
CREATE INDEX sync_errors_link ON sync_errors (link_id);
CREATE INDEX sync_errors_open ON sync_errors (connection_id, id) WHERE resolved_at IS NULL;
CREATE INDEX sync_errors_open_category ON sync_errors (connection_id, category, id) WHERE resolved_at IS NULL;
CREATE INDEX sync_errors_due ON sync_errors (connection_id, next_retry_at, id) WHERE resolved_at IS NULL AND next_retry_at IS NOT NULL;

CREATE TABLE audit_log (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	run_id bigint REFERENCES runs (id) ON DELETE SET NULL,
	connection_id bigint NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	link_id bigint REFERENCES links (id) ON DELETE SET NULL,
	hubspot_id text NOT NULL,
	salesforce_id text NOT NULL,
	field text NOT NULL,
	old_value text NOT NULL,
	new_value text NOT NULL,
	direction text NOT NULL,
	rule text NOT NULL,
	reason_code text NOT NULL,
	reason text NOT NULL,
	conflict boolean NOT NULL,
	at timestamptz NOT NULL
);
CREATE INDEX audit_log_link ON audit_log (link_id, id);
CREATE INDEX audit_log_run ON audit_log (run_id, id);
CREATE INDEX audit_log_connection ON audit_log (connection_id);

CREATE TABLE tombstones (
	connection_id bigint NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	side text NOT NULL,
	record_id text NOT NULL,
	object text NOT NULL,
	link_id bigint REFERENCES links (id) ON DELETE SET NULL,
	deleted_at timestamptz NOT NULL,
	PRIMARY KEY (connection_id, side, record_id)
);
CREATE INDEX tombstones_link ON tombstones (link_id);

CREATE TABLE import_progress (
	run_id bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
	object text NOT NULL,
	last_salesforce_id text NOT NULL,
	counts jsonb NOT NULL,
	done boolean NOT NULL,
	updated_at timestamptz NOT NULL,
	PRIMARY KEY (run_id, object)
);

CREATE TABLE api_usage (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	connection_id bigint NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	side text NOT NULL,
	at timestamptz NOT NULL,
	used bigint NOT NULL,
	limit_value bigint NOT NULL
);
CREATE INDEX api_usage_side ON api_usage (connection_id, side, at);
CREATE INDEX api_usage_at ON api_usage (at);

CREATE TABLE list_members (
	connection_id bigint NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	list_id text NOT NULL,
	contact_id text NOT NULL,
	first_seen timestamptz NOT NULL,
	PRIMARY KEY (connection_id, list_id, contact_id)
);

CREATE TABLE users (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	username text NOT NULL UNIQUE,
	password_hash bytea NOT NULL,
	created_at timestamptz NOT NULL
);

CREATE TABLE sessions (
	token_hash bytea PRIMARY KEY,
	user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf_secret bytea NOT NULL,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE sign_in_attempts (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	attempt_key text NOT NULL,
	at timestamptz NOT NULL,
	success boolean NOT NULL
);
CREATE INDEX sign_in_attempts_key ON sign_in_attempts (attempt_key, at);
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at);

-- A page of links filtered by kind or by status alone had no index that
-- keeps id order, so a page of tombstoned links scanned every link before
-- it. One index per filter keeps each page a range scan; a query with both
-- filters uses one of them and checks the other per row.
DROP INDEX links_kind_status;
CREATE INDEX links_kind ON links (connection_id, kind, id);
CREATE INDEX links_status ON links (connection_id, status, id);

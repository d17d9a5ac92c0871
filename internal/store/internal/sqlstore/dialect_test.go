package sqlstore

import "testing"

func TestRebind(t *testing.T) {
	numbered := &Dialect{NumberedParams: true}
	plain := &Dialect{}

	const query = `SELECT a FROM t WHERE b = ? AND c IN (?, ?)`
	if got, want := numbered.rebind(query), `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`; got != want {
		t.Errorf("numbered: got %q, want %q", got, want)
	}
	if got := plain.rebind(query); got != query {
		t.Errorf("plain: got %q, want the query unchanged", got)
	}
}

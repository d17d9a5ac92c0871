package sqlstore_test

import (
	"testing"
	"testing/fstest"

	"github.com/koppel-sync/koppel/internal/store/internal/sqlstore"
	"github.com/koppel-sync/koppel/internal/store/postgres"
	"github.com/koppel-sync/koppel/internal/store/sqlite"
)

func TestLoadMigrations(t *testing.T) {
	cases := []struct {
		name  string
		files fstest.MapFS
		want  []int
	}{
		{"ordered by number", fstest.MapFS{"0002_b.sql": {}, "0001_a.sql": {}}, []int{1, 2}},
		{"gap", fstest.MapFS{"0001_a.sql": {}, "0003_c.sql": {}}, nil},
		{"no number", fstest.MapFS{"init.sql": {}}, nil},
		{"zero", fstest.MapFS{"0000_a.sql": {}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ms, err := sqlstore.LoadMigrations(c.files)
			if c.want == nil {
				if err == nil {
					t.Fatalf("loaded %v, want an error", ms)
				}
				return
			}
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.Version)
			}
			if len(got) != len(c.want) || got[0] != c.want[0] || got[len(got)-1] != c.want[len(c.want)-1] {
				t.Errorf("versions = %v, want %v", got, c.want)
			}
		})
	}
}

// TestDialectsMigrateAlike checks that both databases get the same
// numbered migrations, so a schema change cannot land in one only.
func TestDialectsMigrateAlike(t *testing.T) {
	lite, err := sqlite.Migrations()
	if err != nil {
		t.Fatalf("load SQLite migrations: %v", err)
	}
	pg, err := postgres.Migrations()
	if err != nil {
		t.Fatalf("load PostgreSQL migrations: %v", err)
	}
	if len(lite) != len(pg) {
		t.Fatalf("SQLite has %d migrations, PostgreSQL %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Name != pg[i].Name {
			t.Errorf("migration %d: SQLite %s, PostgreSQL %s", i+1, lite[i].Name, pg[i].Name)
		}
	}
}

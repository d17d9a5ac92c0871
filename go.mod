module github.com/koppel-sync/koppel

go 1.26

package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestIngestRefusesEmptyDirectory: with no groups imported, ingest stores
// nothing and says to import the directory first; --no-process stores.
func TestIngestRefusesEmptyDirectory(t *testing.T) {
	dsn := newDatabaseURL(t, true)
	mustCLI(t, dsn, "migrate")
	mail := filepath.Join("..", "..", "demo", "mail", "01_list_boise.eml")
	_, _, err := cli(t, dsn, "ingest", mail)
	if err == nil || !strings.Contains(err.Error(), "groups import") {
		t.Fatalf("ingest into an empty directory: err = %v, want a hint to import groups", err)
	}
	if out := mustCLI(t, dsn, "queue", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("the refused ingest left requests: %s", out)
	}
	if out := mustCLI(t, dsn, "ingest", "--no-process", mail); !strings.Contains(out, "1 new") {
		t.Fatalf("ingest --no-process: %s", out)
	}
}

// Package testcorpus gives tests the shared corpus of realistic inbound mail
// (../shared/corpus beside the repository, or $SWITCHBOARD_CORPUS) and its
// labels (labels.json: the category and fields a careful staff member would
// record for each file). Without the corpus a test fails when CI=true and is
// skipped elsewhere, with a message saying what is missing.
package testcorpus

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Label is one entry of labels.json. A field the labels leave null is "".
type Label struct {
	File     string   `json:"file"`
	Category string   `json:"category"`
	Expected Expected `json:"expected"`
}

// Expected is what a label says the message holds.
type Expected struct {
	City        string `json:"city"`
	State       string `json:"state"`
	ZIP         string `json:"zip"`
	District    string `json:"district"`
	TargetGroup string `json:"target_group"`
	Attachments int    `json:"attachments"`
	Notes       string `json:"notes"`
}

// Dir returns the corpus folder, or ends the test (fails on CI, skips
// elsewhere) when it is missing.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("SWITCHBOARD_CORPUS")
	if dir == "" {
		dir = filepath.Join(repoRoot(), "..", "shared", "corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, "labels.json")); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("the shared .eml corpus is missing at %s (set SWITCHBOARD_CORPUS): %v", dir, err)
		}
		tb.Skipf("skipping: this test needs the shared .eml corpus, not found at %s (set SWITCHBOARD_CORPUS)", dir)
	}
	return dir
}

// Labels returns the corpus folder and its labels, sorted by file name.
func Labels(tb testing.TB) (string, []Label) {
	tb.Helper()
	dir := Dir(tb)
	b, err := os.ReadFile(filepath.Join(dir, "labels.json"))
	if err != nil {
		tb.Fatalf("read corpus labels: %v", err)
	}
	var labels []Label
	if err := json.Unmarshal(b, &labels); err != nil {
		tb.Fatalf("decode corpus labels: %v", err)
	}
	slices.SortFunc(labels, func(a, b Label) int { return strings.Compare(a.File, b.File) })
	return dir, labels
}

// File returns the bytes of the corpus file whose name starts with prefix
// (e.g. "s45"), ending the test if there is not exactly one.
func File(tb testing.TB, prefix string) []byte {
	tb.Helper()
	matches, _ := filepath.Glob(filepath.Join(Dir(tb), prefix+"_*.eml"))
	if len(matches) != 1 {
		tb.Fatalf("corpus file %s_*.eml: %d matches, want 1", prefix, len(matches))
	}
	raw, err := os.ReadFile(matches[0])
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// repoRoot is the folder holding go.mod, found upwards from the test's
// working directory (its package folder).
func repoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

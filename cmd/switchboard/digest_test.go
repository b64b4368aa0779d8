package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/store"
)

// cliWith runs one command in-process with DATABASE_URL and vars set.
func cliWith(t *testing.T, dsn string, vars map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut syncBuffer
	env := testEnv(dsn, &out, &errOut)
	env.Getenv = func(k string) (string, bool) {
		if k == "DATABASE_URL" {
			return dsn, true
		}
		v, ok := vars[k]
		return v, ok
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	err = run(ctx, env, args)
	return out.String(), errOut.String(), err
}

// TestStoriesDigestCLI runs the stories commands as staff do: the demo's
// story is built with its photo (the demo opens a blob store), a story
// ingested without permission needs --force to approve, and `stories
// digest` drafts a digest that `queue show` and `queue approve` handle like
// any request.
func TestStoriesDigestCLI(t *testing.T) {
	dsn := newDatabaseURL(t, false)
	vars := map[string]string{
		"SWITCHBOARD_BLOB_URL": "file://" + t.TempDir(),
		"SWITCHBOARD_PRESS_TO": "Press Team <press@network.example.org>",
	}
	must := func(args ...string) string {
		t.Helper()
		out, errOut, err := cliWith(t, dsn, vars, args...)
		if err != nil {
			t.Fatalf("switchboard %s: %v\nstderr:\n%s", strings.Join(args, " "), err, errOut)
		}
		return out
	}
	must("demo", "--once")
	list := func() []store.Story {
		t.Helper()
		var sts []store.Story
		if err := json.Unmarshal([]byte(must("stories", "list", "--json")), &sts); err != nil {
			t.Fatal(err)
		}
		return sts
	}
	sts := list()
	if len(sts) != 1 || len(sts[0].Assets) != 1 || sts[0].Assets[0].Filename != "rally.png" || sts[0].Assets[0].ThumbKey == "" {
		t.Fatalf("after demo --once, stories = %+v; want the demo story with its photo", sts)
	}
	if out := must("stories", "list"); !strings.Contains(out, "approved") && !strings.Contains(out, "given") {
		t.Errorf("stories list:\n%s", out)
	}
	demoStory := strconv.FormatInt(sts[0].ID, 10)

	eml := filepath.Join(t.TempDir(), "story.eml")
	if err := os.WriteFile(eml, []byte("From: Cy Vale <cy.vale@example.org>\r\nTo: support@network.example.org\r\n"+
		"Subject: Photos from our town hall\r\nMessage-ID: <cli-story-1@example.org>\r\n\r\n"+
		"Here are some photos from our town hall with Madison Rising on Saturday.\r\n"+
		"https://drive.google.com/drive/folders/abc123\r\nCy\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	must("ingest", eml)
	sts = list()
	if len(sts) != 2 || sts[0].Consent != "unknown" {
		t.Fatalf("after ingest, stories = %+v", sts)
	}
	unknown := strconv.FormatInt(sts[0].ID, 10)
	if _, _, err := cliWith(t, dsn, vars, "stories", "approve", unknown, "--by", "test"); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("approving a story without consent: %v, want a refusal naming --force", err)
	}
	if _, _, err := cliWith(t, dsn, vars, "stories", "export", unknown, "--zip", filepath.Join(t.TempDir(), "x.zip")); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("exporting a story without consent: %v, want a refusal naming --force", err)
	}
	_, errOut, err := cliWith(t, dsn, vars, "stories", "approve", unknown, "--by", "test", "--force")
	if err != nil || !strings.Contains(errOut, "warning") {
		t.Errorf("forced approval: %v, stderr %q", err, errOut)
	}
	must("stories", "approve", demoStory, "--by", "test")

	out := must("stories", "digest", "--by", "test")
	if !strings.Contains(out, "2 stories") {
		t.Fatalf("stories digest: %s", out)
	}
	f := strings.Fields(strings.SplitN(out, "request ", 2)[1])
	reqID := f[0]
	show := must("queue", "show", reqID)
	for _, want := range []string{"digest, drafted", "press_digest", "press@network.example.org", "Madison Rising and Lakeshore Families", "Credit: Madison Rising", "https://drive.google.com/drive/folders/abc123"} {
		if !strings.Contains(show, want) {
			t.Errorf("queue show %s lacks %q:\n%s", reqID, want, show)
		}
	}
	if l := must("queue", "list", "--kind", "digest"); !strings.Contains(l, "Press digest") {
		t.Errorf("queue list --kind digest:\n%s", l)
	}
	if o := must("queue", "approve", reqID, "--by", "test"); !strings.Contains(o, "approved request "+reqID) {
		t.Errorf("queue approve: %s", o)
	}
	if o := must("stories", "digest"); !strings.Contains(o, "No approved story waits") {
		t.Errorf("second stories digest: %s", o)
	}
}

package templates

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden renders every example and compares it with
// testdata/<email>.<case>.golden; run with -update to rewrite them.
func TestGolden(t *testing.T) {
	s := MustLoad()
	for _, ex := range examples() {
		t.Run(ex.Email+"/"+ex.Case, func(t *testing.T) {
			r, err := s.Render(ex.Email, ex.Data)
			if err != nil {
				t.Fatal(err)
			}
			got := "Subject: " + r.Subject + "\n\n--- text ---\n" + r.Text + "\n--- html ---\n" + r.HTML
			path := filepath.Join("testdata", ex.Email+"."+ex.Case+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden file (run go test -update): %v", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the rendering; got:\n%s", path, got)
			}
			if !strings.Contains(r.Text, "The Support Team") || !strings.Contains(r.HTML, "The Support Team") {
				t.Error("not signed by The Support Team")
			}
		})
	}
}

func TestEveryEmailHasExamples(t *testing.T) {
	seen := map[string]bool{}
	for _, ex := range examples() {
		seen[ex.Email] = true
	}
	for name := range dataTypes {
		if !seen[name] {
			t.Errorf("email %s has no example", name)
		}
	}
	if got, want := len(MustLoad().Names()), len(dataTypes); got != want {
		t.Errorf("Names() has %d emails, want %d", got, want)
	}
}

func TestRenderErrors(t *testing.T) {
	s := MustLoad()
	tests := []struct {
		name, email string
		data        any
		want        string
	}{
		{"unknown email", "nope", ListReplyData{}, "no such email template"},
		{"wrong data type", "list_reply", ListQuestionData{Place: "X"}, "want templates.ListReplyData"},
		{"map data", "list_reply", map[string]any{"Place": "X"}, "want templates.ListReplyData"},
		{"pointer data", "list_reply", &ListReplyData{Place: "X"}, "want templates.ListReplyData"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Render(tt.email, tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Render error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

// TestMissingKeyIsError proves the templates are parsed with
// missingkey=error: a map without a key the template uses fails instead of
// rendering "<no value>" or an empty string.
func TestMissingKeyIsError(t *testing.T) {
	e := MustLoad().emails["list_question"]
	var b strings.Builder
	if err := e.subject.Execute(&b, map[string]any{}); err == nil {
		t.Fatalf("missing key rendered %q, want an error", b.String())
	}
}

func TestSubjectIsOneLine(t *testing.T) {
	r, err := MustLoad().Render("list_question", ListQuestionData{Place: "Spring\r\nBcc: x@example.org\nfield"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(r.Subject, "\r\n") {
		t.Fatalf("subject %q spans lines", r.Subject)
	}
}

func TestHTMLEscapes(t *testing.T) {
	r, err := MustLoad().Render("list_reply", ListReplyData{Place: "X", Groups: []Group{{
		Name: "<script>alert(1)</script>", City: "A", State: "TX", Website: "javascript:alert(1)",
		Facebook: "https://facebook.com/x\" onmouseover=\"alert(1)"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script>", `href="javascript:`, `" onmouseover="`} {
		if strings.Contains(r.HTML, bad) {
			t.Errorf("HTML contains %q:\n%s", bad, r.HTML)
		}
	}
}

package web_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"switchboard/store"
	"switchboard/workflows"
)

// volatile matches what changes between runs: CSRF tokens, times, ages, ids
// of rows made by the run, and the test server's address.
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`name="csrf_token" value="[^"]+"`), `name="csrf_token" value="TOKEN"`},
	{regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d UTC`), "TIME"},
	{regexp.MustCompile(`Oldest waiting: [^<]+`), "Oldest waiting: AGE"},
	{regexp.MustCompile(`"at":"[^"]+"`), `"at":"TIME"`},
	{regexp.MustCompile(`http://127\.0\.0\.1:\d+`), "http://SERVER"},
}

func normalise(s string) string {
	for _, v := range volatile {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

func TestGoldenPages(t *testing.T) {
	e := newEnv(t, nil)
	madison, err := e.st.StoryIDByRequest(context.Background(), e.requestID("Photos from our joint rally in Madison"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.ApproveStory(context.Background(), madison, "Sam Staff"); err != nil {
		t.Fatal(err)
	}
	staff := e.login("staff@example.org")
	press := e.login("press@example.org")
	pages := []struct {
		name string
		c    *client
		path string
	}{
		{"login", e.client(), "/login"},
		{"queue", staff, "/queue"},
		{"queue_list_requests", staff, "/queue?kind=list_request&status=drafted"},
		{"request_list", staff, fmt.Sprintf("/requests/%d", e.requestID("Groups in Boise?"))},
		{"request_hostile_html", staff, fmt.Sprintf("/requests/%d", e.requestID("Photos from our rally in Boise"))},
		{"request_introduction", staff, fmt.Sprintf("/requests/%d", introID(t, e))},
		{"directory_search", staff, "/directory?name=Indivisible&state=ID"},
		{"directory_broken", staff, "/directory/broken"},
		{"stories", press, "/stories"},
		{"stories_staff", staff, "/stories"},
		{"forbidden", press, "/queue"},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			golden(t, p.name+".html", normalise(p.c.get(p.path).Body))
		})
	}
}

// introID is the first introduction request of the demo mails.
func introID(t *testing.T, e *env) int64 {
	t.Helper()
	items, err := e.st.Queue(context.Background(), store.QueueFilter{Kind: workflows.KindIntroduction, Limit: 10})
	if err != nil || len(items) == 0 {
		t.Fatalf("no introduction request: %v", err)
	}
	return items[len(items)-1].ID
}

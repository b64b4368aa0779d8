package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserGallery walks the queue with its mailbox filter, then the
// stories gallery: staff approve a story, and the press team sees it with
// its thumbnail loaded (through the authenticated route, under the page's
// CSP) and its downloads, and is refused the queue.
func TestBrowserGallery(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t, nil)
	dir := outDir(t)
	base := e.srv.URL
	b := steps{t: t, ctx: ctx, dir: dir}
	step, text := b.step, b.text
	login := func(name, email string) {
		t.Helper()
		step(name, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#email")),
			chromedp.SendKeys(chromedp.CSS("#email"), email),
			chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
			chromedp.Click(chromedp.CSS("#login")), chromedp.WaitVisible(chromedp.CSS("header nav")))
	}

	login("01-login-staff", "staff@example.org")
	step("02-queue", chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(chromedp.CSS("#queue")),
		chromedp.Click(chromedp.CSS(`#mailboxes input[value="support@network.example.org"]`)),
		chromedp.Click(chromedp.CSS(`.filters button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#mailboxes input[value="support@network.example.org"]:checked`)),
		chromedp.WaitVisible(chromedp.CSS("#queue td.mailbox")))

	madison, err := e.st.StoryIDByRequest(context.Background(), e.requestID("Photos from our joint rally in Madison"))
	if err != nil {
		t.Fatal(err)
	}
	step("03-gallery-staff", chromedp.Navigate(base+"/stories?status=new"),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf("#approve-story-%d", madison))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf("#approve-story-%d", madison))),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if s := text(fmt.Sprintf("#story-status-%d", madison)); s != "approved" {
		t.Errorf("story status after approve: %q", s)
	}

	step("04-logout", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS("#email")))
	login("05-login-press", "press@example.org")
	thumb := fmt.Sprintf(`#story-%d .thumbs img`, madison)
	step("06-gallery-press", chromedp.Navigate(base+"/stories"), chromedp.WaitVisible(chromedp.CSS(thumb)))
	pctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	loaded, err := chromedp.Run(pctx, chromedp.Poll[bool](fmt.Sprintf(
		`(() => { const i = document.querySelector(%q); return i && i.complete && i.naturalWidth > 0 })()`, thumb)))
	cancel()
	if err != nil || !loaded {
		t.Errorf("the thumbnail did not load: %v", err)
	}
	shot(t, ctx, dir, "06-gallery-press")
	if s := text(fmt.Sprintf("#story-%d .credit", madison)); s != "Madison Rising" {
		t.Errorf("credit: %q", s)
	}
	if n, err := chromedp.Run(bounded(t, ctx), chromedp.Evaluate[int](`document.querySelectorAll("#gallery article").length`)); err != nil || n != 1 {
		t.Errorf("press sees %d stories (%v), want the approved one", n, err)
	}
	step("07-press-queue-refused", chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(chromedp.CSS("main")))
	if s := text("main"); s == "" || !strings.Contains(s, "do not have access") {
		t.Errorf("press on /queue: %q", s)
	}
	t.Logf("screenshots in %s", dir)
}

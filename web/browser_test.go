package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"switchboard/demo"
	"switchboard/jobs"
	"switchboard/mailout"
)

const chromiumPath = "/usr/bin/chromium"

// browser starts headless Chromium for t. It fails when CI=true and Chromium
// is missing, and skips elsewhere.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser tests need %s (apt-get install -y --no-install-recommends chromium): %v", chromiumPath, err)
		}
		t.Skipf("skipping browser test: %s is missing (apt-get install -y --no-install-recommends chromium)", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true), chromedp.WindowSize(1280, 1000),
		chromedp.UserDataDir(t.TempDir()))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	// The first Do starts the browser; no timeout on it (MAILSTACK.md §5).
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// outDir is where screenshots go: $SWITCHBOARD_TEST_OUT, else a temp dir.
func outDir(t *testing.T) string {
	if d := os.Getenv("SWITCHBOARD_TEST_OUT"); d != "" {
		d = filepath.Join(d, t.Name())
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// steps runs a browser test's actions, each bounded in time, with a
// screenshot after each step (and on failure) in dir.
type steps struct {
	t   *testing.T
	ctx context.Context
	dir string
}

// step runs actions within 20 s and screenshots the page as name.
func (b steps) step(name string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	sctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		shot(b.t, b.ctx, b.dir, name+"-failed")
		b.t.Fatalf("%s: %v (screenshots in %s)", name, err, b.dir)
	}
	shot(b.t, b.ctx, b.dir, name)
}

// text is the visible text of the element sel.
func (b steps) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(bounded(b.t, b.ctx), chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// bounded gives one browser action at most 20 s, so that a missing element
// fails the test instead of hanging it.
func bounded(t *testing.T, ctx context.Context) context.Context {
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// shot saves a full-page PNG screenshot to dir for a person to look at. A
// screenshot is evidence, not an assertion: one that fails (Chromium can
// refuse while a page is still laying out) is logged, not fatal.
func shot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second) // a stuck page must not hang the test
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100)) // quality 100 is PNG
	if err != nil {
		t.Logf("screenshot %s not taken: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserReview(t *testing.T) {
	ctx := browser(t)
	smtp, err := demo.StartSMTPCapture()
	if err != nil {
		t.Fatal(err)
	}
	defer smtp.Close()
	u, err := mailout.ParseSMTPURL("smtp://" + smtp.Addr())
	if err != nil {
		t.Fatal(err)
	}
	sender, err := mailout.NewSender(mailout.Config{URL: u, From: testFrom})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sender)
	runner, err := jobs.NewRunner(e.deps)
	if err != nil {
		t.Fatal(err)
	}
	rctx, stopRunner := context.WithCancel(context.Background())
	runDone := make(chan error, 1)
	go func() { runDone <- runner.Run(rctx) }()
	defer func() { stopRunner(); <-runDone }()

	var dialogs atomic.Int32
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}
	dir := outDir(t)
	base := e.srv.URL
	b := steps{t: t, ctx: ctx, dir: dir}
	step, text := b.step, b.text

	step("01-login", chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "staff@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("#login")), chromedp.WaitVisible(chromedp.CSS("#queue")))

	boise := e.requestID("Groups in Boise?")
	step("02-approve", chromedp.Navigate(fmt.Sprintf("%s/requests/%d", base, boise)),
		chromedp.WaitVisible(chromedp.CSS("#approve-btn")), chromedp.Click(chromedp.CSS("#approve-btn")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if s := text("#status"); s != "approved" && s != "sending" && s != "sent" {
		t.Errorf("status after approve: %q", s)
	}
	deadline := time.After(30 * time.Second)
	for len(smtp.Messages()) == 0 {
		select {
		case <-deadline:
			t.Fatal("the approved reply never reached the SMTP capture")
		case <-smtp.Arrived():
		case <-time.After(200 * time.Millisecond):
		}
	}
	m := smtp.Messages()[0]
	if len(m.To) != 1 || m.To[0] != "harriet.lindgren@example.com" || !strings.Contains(string(m.Data), "Indivisible Boise") {
		t.Errorf("captured mail to %v:\n%s", m.To, m.Data)
	}

	nm := e.requestID("Every group in NM-02, please")
	step("03-reject", chromedp.Navigate(fmt.Sprintf("%s/requests/%d", base, nm)),
		chromedp.WaitVisible(chromedp.CSS("#reject-reason")),
		chromedp.SendKeys(chromedp.CSS("#reject-reason"), "asked twice"),
		chromedp.Click(chromedp.CSS("#reject-btn")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if s := text("#status"); s != "rejected" {
		t.Errorf("status after reject: %q", s)
	}

	madison := e.requestID("Photos from our joint rally in Madison")
	step("04-reclassify", chromedp.Navigate(fmt.Sprintf("%s/requests/%d", base, madison)),
		chromedp.WaitVisible(chromedp.CSS("#reclassify-kind")),
		chromedp.SetValue(chromedp.CSS("#reclassify-kind"), "list_request"),
		chromedp.Click(chromedp.CSS("#reclassify-btn")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if h := text("h1"); !strings.Contains(h, "list request") {
		t.Errorf("heading after reclassify: %q", h)
	}

	xss := e.requestID("Photos from our rally in Boise")
	step("05-hostile-html", chromedp.Navigate(fmt.Sprintf("%s/requests/%d", base, xss)),
		chromedp.WaitVisible(chromedp.CSS("#mail-html")))
	// Clicking what is left of the payloads must not run anything either.
	_ = chromedp.Do(bounded(t, ctx), chromedp.Click(chromedp.CSS("#mail-html div"), chromedp.NodeVisible))
	_ = chromedp.Do(bounded(t, ctx), chromedp.Click(chromedp.CSS("#mail-html a"), chromedp.NodeVisible))
	time.Sleep(300 * time.Millisecond)
	if loc, _ := chromedp.Run(bounded(t, ctx), chromedp.Location()); !strings.HasPrefix(loc, base) {
		t.Errorf("the page navigated away to %q", loc)
	}
	pwned, err := chromedp.Run(bounded(t, ctx), chromedp.Evaluate[string](`typeof window.pwned`))
	if err != nil {
		t.Fatal(err)
	}
	if pwned != "undefined" {
		t.Errorf("a payload ran: window.pwned is %s", pwned)
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d dialogs opened", n)
	}
	if s := text("#mail-html p"); !strings.Contains(s, "story") {
		t.Errorf("the harmless part of the mail is missing: %q", s)
	}
	t.Logf("screenshots in %s", dir)
}

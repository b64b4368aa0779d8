package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) Getenv {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.PollInterval != time.Minute || c.HTTPAddr != "127.0.0.1:8080" {
		t.Fatalf("defaults not applied: %+v", c)
	}
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	_, err := Load(env(map[string]string{
		"DATABASE_URL":                   "mysql://x",
		"SWITCHBOARD_POLL_INTERVAL":      "soon",
		"SWITCHBOARD_FROM":               "not an address",
		"SWITCHBOARD_HTTP_ADDR":          "nonsense",
		"SWITCHBOARD_RECONCILE_INTERVAL": "1ms",
	}))
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"DATABASE_URL", "SWITCHBOARD_POLL_INTERVAL", "SWITCHBOARD_FROM", "SWITCHBOARD_HTTP_ADDR", "SWITCHBOARD_RECONCILE_INTERVAL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

func TestSecretFileAndRedaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(path, []byte("hunter2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(map[string]string{
		"SWITCHBOARD_IMAP_PASSWORD_FILE": path,
		"DATABASE_URL":                   "postgres://u:dbsecret@h/db?password=qsecret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.IMAPPassword != "hunter2" {
		t.Fatalf("password from file = %q", c.IMAPPassword)
	}
	var b strings.Builder
	if err := c.Dump(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "hunter2") || strings.Contains(b.String(), "dbsecret") || strings.Contains(b.String(), "qsecret") {
		t.Fatalf("dump leaks a secret:\n%s", b.String())
	}
}

func TestBothValueAndFileIsAnError(t *testing.T) {
	_, err := Load(env(map[string]string{"SWITCHBOARD_SMTP_PASSWORD": "a", "SWITCHBOARD_SMTP_PASSWORD_FILE": "/nonexistent"}))
	if err == nil || !strings.Contains(err.Error(), "keep one") {
		t.Fatalf("err = %v", err)
	}
}

package mailin

import (
	"strings"
	"testing"
)

func TestParseIMAPURL(t *testing.T) {
	tests := []struct {
		in   string
		want endpoint
	}{
		{"imaps://support@mail.example.org/INBOX", endpoint{securityTLS, "mail.example.org:993", "support", "INBOX"}},
		{"imaps://support@example.org@mail.example.org", endpoint{securityTLS, "mail.example.org:993", "support@example.org", "INBOX"}},
		{"imaps://support%40example.org@mail.example.org:1993/", endpoint{securityTLS, "mail.example.org:1993", "support@example.org", "INBOX"}},
		{"imap+starttls://support@mail.example.org/Support/Press", endpoint{securityStartTLS, "mail.example.org:143", "support", "Support/Press"}},
		{"IMAP://support@127.0.0.1:10143/INBOX", endpoint{securityNone, "127.0.0.1:10143", "support", "INBOX"}},
		{"imap://support@[::1]:10143/Caf%C3%A9", endpoint{securityNone, "[::1]:10143", "support", "Café"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := ParseIMAPURL(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := endpointOf(u)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("endpoint = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseIMAPURLErrors(t *testing.T) {
	tests := []struct{ in, why string }{
		{"", "no scheme"},
		{"mail.example.org:993", `unknown scheme "mail.example.org"`},
		{"pop3://support@mail.example.org/INBOX", `unknown scheme "pop3"`},
		{"imaps:support@mail.example.org", "missing // after the scheme"},
		{"imaps:///INBOX", "no host"},
		{"imaps://mail.example.org/INBOX", "no user name"},
		{"imap://support@mail.example.org/INBOX", "only for a server on this machine"},
		{"imaps://support:s3cret@mail.example.org/INBOX", "must not contain a password"},
		{"imaps://support@mail.example.org/INBOX?x=1", "unexpected query"},
		{"imaps://support@mail.example.org:port/INBOX", "invalid port"},
		{"imaps://sup port@mail example.org/", "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseIMAPURL(tt.in)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.why) {
				t.Errorf("error %q does not say %q", msg, tt.why)
			}
			if !strings.Contains(msg, "imaps://USER@HOST:993/MAILBOX") {
				t.Errorf("error %q does not show the expected form", msg)
			}
			if strings.Contains(msg, "s3cret") {
				t.Errorf("error %q repeats the password", msg)
			}
		})
	}
}

package jobs

import (
	"context"
	"errors"
	"strings"
	"time"

	"switchboard/store"
	"switchboard/workflows"
)

// linkBounce links a bounce (RFC 3464 DSN, or an NDR imitating one) to the
// mail of ours that failed, by the original Message-ID the DSN returns (our
// drafts' smtp_message_id) or the bounce's own threading headers, and flags
// every group whose listed public or leader address is among the failed
// recipients: its contact status becomes bounced, with the date. A bounce
// forwarded inside another message is not parsed as one (mailin keeps only
// a top-level report), so it stays evidence of its request. Addresses are
// never logged: a failed recipient may be a leader's private address.
func (p *Pipeline) linkBounce(ctx context.Context, requestID, messageID int64, in *workflows.Inbound) error {
	failed := failedRecipients(in)
	if len(failed) == 0 {
		return nil
	}
	var draftID int64
	ids := append([]string(nil), in.InReplyTo...)
	ids = append(ids, in.References...)
	if in.DSN != nil && in.DSN.OriginalMessageID != "" {
		ids = append([]string{in.DSN.OriginalMessageID}, ids...)
	}
	for _, id := range ids {
		d, err := p.deps.Store.DraftBySMTPMessageID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		draftID = d.ID
		break
	}
	groups, err := p.deps.Store.GroupsByAddresses(ctx, failed)
	if err != nil {
		return err
	}
	date := in.Date
	if date.IsZero() {
		date = time.Now()
	}
	ps := make([]store.ContactProblem, 0, len(groups))
	for _, g := range groups {
		ps = append(ps, store.ContactProblem{GroupID: g.GroupID, Problem: "email_bounced", AddressKind: g.AddressKind,
			Source: "bounce", RequestID: requestID, MessageID: messageID, DraftID: draftID, ReportedOn: date})
	}
	n, err := p.deps.Store.RecordContactProblems(ctx, ps)
	if err != nil {
		return err
	}
	p.deps.Logger.InfoContext(ctx, "bounce linked", "request_id", requestID, "draft_id", draftID,
		"failed_recipients", len(failed), "groups_flagged", n)
	return nil
}

// failedRecipients lists the recipients a bounce reports as failed: DSN
// blocks with Action failed (or a 5.x.x status), else the
// X-Failed-Recipients header that Exim and Gmail add.
func failedRecipients(in *workflows.Inbound) []string {
	var out []string
	if in.DSN != nil {
		for _, r := range in.DSN.Recipients {
			if r.FinalRecipient != "" && (r.Action == "failed" || strings.HasPrefix(r.Status, "5")) {
				out = append(out, r.FinalRecipient)
			}
		}
	}
	if len(out) == 0 {
		for _, v := range in.Header["X-Failed-Recipients"] {
			for _, a := range strings.Split(v, ",") {
				if a = strings.Trim(strings.TrimSpace(a), "<>"); strings.Contains(a, "@") {
					out = append(out, a)
				}
			}
		}
	}
	return out
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"switchboard/store"
	"switchboard/workflows"
)

func init() {
	commands["queue"] = command{"review the queue: queue list|show|approve|reject|set|reclassify", runQueue}
}

func runQueue(ctx context.Context, env *Env, args []string) error {
	subs := map[string]func(context.Context, *Env, *store.Store, []string) error{
		"list": queueList, "show": queueShow, "approve": queueApprove, "reject": queueReject, "set": queueSet,
		"reclassify": queueReclassify,
	}
	if len(args) == 0 || subs[args[0]] == nil {
		what := "queue needs a subcommand"
		if len(args) > 0 {
			what = fmt.Sprintf("unknown queue subcommand %q", args[0])
		}
		return usageError{what + ": queue list|show ID|approve ID --by NAME|reject ID --by NAME --reason TEXT|set ID --by NAME (--city C --state S | --state S | --zip Z | --district D)|reclassify ID --kind K --by NAME"}
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	// Parse flags before connecting, so that -h and typos answer at once.
	if err := subs[args[0]](ctx, env, nil, args[1:]); !errors.Is(err, errNeedStore) {
		return err
	}
	st, err := openStore(ctx, cfg, newLogger(env, cfg), false)
	if err != nil {
		return err
	}
	defer st.Close()
	return subs[args[0]](ctx, env, st, args[1:])
}

// errNeedStore is what a queue subcommand returns when its flags are valid
// and it is called without a store: runQueue then connects and calls again.
var errNeedStore = errors.New("need store")

// queueItem is one element of `queue list --json` (a stable contract).
type queueItem struct {
	ID        int64            `json:"id"`
	Kind      workflows.Kind   `json:"kind"`
	Status    workflows.Status `json:"status"`
	From      string           `json:"from"`
	Subject   string           `json:"subject"`
	MessageID string           `json:"message_id"`
	CreatedAt time.Time        `json:"created_at"`
}

func queueList(ctx context.Context, env *Env, st *store.Store, args []string) error {
	fs := newFlags(env, "queue list", "queue list [--status S] [--kind K] [--limit N] [--json]")
	status := fs.String("status", "", "only requests with this status: "+joinStatuses())
	kind := fs.String("kind", "", "only requests of this kind: "+joinKinds())
	limit := fs.Int("limit", 50, "at most this many requests, newest first (up to 500)")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	if *status != "" && !workflows.Status(*status).Valid() {
		return usageError{fmt.Sprintf("unknown status %q: use one of %s", *status, joinStatuses())}
	}
	if *kind != "" && !workflows.Kind(*kind).Valid() {
		return usageError{fmt.Sprintf("unknown kind %q: use one of %s", *kind, joinKinds())}
	}
	if st == nil {
		return errNeedStore
	}
	reqs, err := st.Requests(ctx, store.RequestFilter{Status: workflows.Status(*status), Kind: workflows.Kind(*kind), Limit: min(*limit, 500)})
	if err != nil {
		return err
	}
	if *asJSON {
		items := make([]queueItem, 0, len(reqs))
		for _, r := range reqs {
			items = append(items, queueItem{ID: r.ID, Kind: r.Kind, Status: r.Status, From: r.From,
				Subject: r.Subject, MessageID: r.HeaderMessageID, CreatedAt: r.CreatedAt})
		}
		return writeJSON(env.Stdout, items)
	}
	return printRequests(env.Stdout, reqs)
}

func printRequests(w io.Writer, reqs []store.RequestSummary) error {
	if len(reqs) == 0 {
		_, err := fmt.Fprintln(w, "The queue is empty.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTATUS\tFROM\tSUBJECT\tSENT")
	for _, r := range reqs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Kind, r.Status, r.From, clip(r.Subject, 50), sentAt(r))
	}
	return tw.Flush()
}

// sentAt is when the leader wrote a request's message (its Date header),
// or, for a message without one, when it arrived, marked so.
func sentAt(r store.RequestSummary) string {
	switch {
	case r.Date != nil:
		return r.Date.Local().Format("2006-01-02 15:04")
	case r.MessageID == 0: // a digest: drafted here, not received
		return r.CreatedAt.Local().Format("2006-01-02 15:04") + " (drafted)"
	}
	return r.CreatedAt.Local().Format("2006-01-02 15:04") + " (received; no Date)"
}

// showJSON is `queue show --json` (a stable contract).
type showJSON struct {
	ID          int64            `json:"id"`
	Kind        workflows.Kind   `json:"kind"`
	Kinds       []string         `json:"kinds"`
	Status      workflows.Status `json:"status"`
	Confidence  float64          `json:"confidence"`
	From        string           `json:"from"`
	Subject     string           `json:"subject"`
	MessageID   string           `json:"message_id"`
	Extracted   workflows.Fields `json:"extracted"`
	Reasons     []string         `json:"reasons"`
	Drafts      []draftJSON      `json:"drafts"`
	Candidates  []candidateJSON  `json:"candidates"`
	Attachments []attachmentJSON `json:"attachments"`
}

type draftJSON struct {
	ID         int64                 `json:"id"`
	Kind       workflows.DraftKind   `json:"kind"`
	Status     workflows.DraftStatus `json:"status"`
	To         []string              `json:"to"`
	Cc         []string              `json:"cc"`
	ReplyTo    []string              `json:"reply_to"`
	Subject    string                `json:"subject"`
	InReplyTo  string                `json:"in_reply_to"`
	Text       string                `json:"text"`
	HTML       string                `json:"html"`
	GroupIDs   []int64               `json:"group_ids"`
	ApprovedBy string                `json:"approved_by,omitempty"`
	LastError  string                `json:"last_error,omitempty"`
}

type candidateJSON struct {
	GroupID int64   `json:"group_id"`
	Name    string  `json:"name"`
	City    string  `json:"city"`
	State   string  `json:"state"`
	Score   float64 `json:"score"`
}

type attachmentJSON struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Inline      bool   `json:"inline"`
	Sent        bool   `json:"sent"`
	Note        string `json:"note,omitempty"`
}

func queueShow(ctx context.Context, env *Env, st *store.Store, args []string) error {
	fs := newFlags(env, "queue show", "queue show ID [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	id, err := oneID(fs, args, "queue show ID")
	if err != nil || st == nil {
		return orNeedStore(err)
	}
	d, err := st.Request(ctx, id)
	if err != nil {
		return notFoundHint(err, id)
	}
	v := showJSON{ID: d.ID, Kind: d.Kind, Kinds: d.Kinds, Status: d.Status, Confidence: d.Confidence,
		From: d.Message.FromAddr, Subject: d.Message.Subject, MessageID: d.Message.MessageID,
		Extracted: d.Fields, Reasons: d.Reasons,
		Drafts: []draftJSON{}, Candidates: []candidateJSON{}, Attachments: []attachmentJSON{}}
	for _, x := range d.Drafts {
		v.Drafts = append(v.Drafts, draftJSON{ID: x.ID, Kind: x.Kind, Status: x.Status, To: addrStrings(x.To),
			Cc: addrStrings(x.Cc), ReplyTo: addrStrings(x.ReplyTo), Subject: x.Subject, InReplyTo: x.InReplyTo,
			Text: x.Text, HTML: x.HTML, GroupIDs: orNoIDs(x.GroupIDs), ApprovedBy: x.ApprovedBy, LastError: x.LastError})
	}
	for _, c := range d.Candidates {
		v.Candidates = append(v.Candidates, candidateJSON{GroupID: c.GroupID, Name: c.Name, City: c.City, State: c.State, Score: c.Score})
	}
	for _, a := range d.Attachments {
		v.Attachments = append(v.Attachments, attachmentJSON{Filename: a.Filename, ContentType: a.ContentType,
			Size: a.Size, Inline: a.Inline, Sent: a.Sent, Note: a.Note})
	}
	if *asJSON {
		return writeJSON(env.Stdout, v)
	}
	if err := printShow(env.Stdout, d, v); err != nil {
		return err
	}
	if d.Message.ParseError == "" {
		return nil
	}
	m, err := st.Message(ctx, d.MessageID)
	if err != nil {
		return err
	}
	return printRawHead(env.Stdout, m.Raw)
}

func printShow(w io.Writer, d store.RequestDetail, v showJSON) error {
	fmt.Fprintf(w, "Request %d: %s, %s (confidence %.2f)\n", v.ID, v.Kind, v.Status, v.Confidence)
	switch {
	case d.MessageID == 0:
		fmt.Fprintln(w, "No inbound message: Switchboard drafted this itself (a press digest).")
	case d.Message.MessageID == "":
		fmt.Fprintf(w, "From:       %s\nSubject:    %s\nMessage-ID: none\n", esc(d.Message.FromAddr), esc(d.Message.Subject))
	default:
		fmt.Fprintf(w, "From:       %s\nSubject:    %s\nMessage-ID: <%s>\n", esc(d.Message.FromAddr), esc(d.Message.Subject), esc(d.Message.MessageID))
	}
	if d.Message.ParseError != "" {
		fmt.Fprintf(w, "Parse error: %s (the start of the raw message follows the drafts)\n", esc(d.Message.ParseError))
	}
	f := v.Extracted
	fmt.Fprintf(w, "\nUnderstood: city=%q state=%q zip=%q district=%q target=%q\n", f.City, f.State, f.ZIP, f.District, f.TargetGroup)
	if len(f.Candidates) > 0 {
		fmt.Fprintf(w, "Ambiguous place, candidates: %s\n", esc(strings.Join(f.Candidates, "; ")))
	}
	for _, r := range v.Reasons {
		fmt.Fprintf(w, "  - %s\n", esc(r))
	}
	if len(v.Attachments) > 0 {
		fmt.Fprintln(w, "\nAttachments:")
		for _, a := range v.Attachments {
			fmt.Fprintf(w, "  %s (%s, %d bytes)\n", esc(a.Filename), esc(a.ContentType), a.Size)
		}
	}
	if len(v.Candidates) > 0 {
		fmt.Fprintln(w, "\nCandidate groups:")
		for _, c := range v.Candidates {
			fmt.Fprintf(w, "  %d  %s (%s, %s)  score %.2f\n", c.GroupID, c.Name, c.City, c.State, c.Score)
		}
	}
	fmt.Fprintf(w, "\n--- original message ---\n%s\n", esc(strings.TrimSpace(d.Message.TextBody)))
	for _, x := range v.Drafts {
		fmt.Fprintf(w, "\n--- draft %d: %s, %s ---\n", x.ID, x.Kind, x.Status)
		fmt.Fprintf(w, "To: %s\n", strings.Join(x.To, ", "))
		if len(x.Cc) > 0 {
			fmt.Fprintf(w, "Cc: %s\n", strings.Join(x.Cc, ", "))
		}
		if len(x.ReplyTo) > 0 {
			fmt.Fprintf(w, "Reply-To: %s\n", strings.Join(x.ReplyTo, ", "))
		}
		fmt.Fprintf(w, "Subject: %s\n", x.Subject)
		if x.InReplyTo != "" {
			fmt.Fprintf(w, "In-Reply-To: <%s>\n", x.InReplyTo)
		}
		fmt.Fprintf(w, "\n%s\n", x.Text)
	}
	if len(v.Drafts) == 0 {
		fmt.Fprintln(w, "\nNo drafts: nothing will be sent for this request.")
	}
	return nil
}

func queueApprove(ctx context.Context, env *Env, st *store.Store, args []string) error {
	fs := newFlags(env, "queue approve", "queue approve ID --by NAME")
	by := fs.String("by", "", "who approves (required, recorded with the approval)")
	id, err := oneID(fs, args, "queue approve ID --by NAME")
	if err == nil && strings.TrimSpace(*by) == "" {
		err = usageError{"queue approve needs --by NAME: the approval records who approved"}
	}
	if err != nil || st == nil {
		return orNeedStore(err)
	}
	if err := st.Approve(ctx, id, *by); err != nil {
		return notFoundHint(err, id)
	}
	fmt.Fprintf(env.Stdout, "approved request %d; the running \"switchboard serve\" (or demo) sends it within seconds\n", id)
	return nil
}

func queueReject(ctx context.Context, env *Env, st *store.Store, args []string) error {
	fs := newFlags(env, "queue reject", "queue reject ID --by NAME --reason TEXT")
	by := fs.String("by", "", "who rejects (required)")
	reason := fs.String("reason", "", "why (required, kept in the audit log)")
	id, err := oneID(fs, args, "queue reject ID --by NAME --reason TEXT")
	if err == nil && (strings.TrimSpace(*by) == "" || strings.TrimSpace(*reason) == "") {
		err = usageError{"queue reject needs --by NAME and --reason TEXT"}
	}
	if err != nil || st == nil {
		return orNeedStore(err)
	}
	if err := st.Reject(ctx, id, *by, *reason); err != nil {
		return notFoundHint(err, id)
	}
	fmt.Fprintf(env.Stdout, "rejected request %d\n", id)
	return nil
}

func orNeedStore(err error) error {
	if err != nil {
		return err
	}
	return errNeedStore
}

// oneID parses flags and exactly one positional request ID.
func oneID(fs *flag.FlagSet, args []string, usage string) (int64, error) {
	pos, err := parseFlags(fs, args)
	if err != nil {
		return 0, err
	}
	if len(pos) != 1 {
		return 0, usageError{"usage: switchboard " + usage}
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, usageError{fmt.Sprintf("%q is not a request ID: use the number shown by \"switchboard queue list\"", pos[0])}
	}
	return id, nil
}

func notFoundHint(err error, id int64) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("request %d does not exist: see \"switchboard queue list\"", id)
	case errors.Is(err, store.ErrConflict):
		return fmt.Errorf("request %d: %w: see \"switchboard queue show %d\"", id, err, id)
	}
	return err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func addrStrings(as store.Addresses) []string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		out = append(out, a.String())
	}
	return out
}

func orNoIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func joinStatuses() string {
	s := make([]string, len(workflows.Statuses))
	for i, x := range workflows.Statuses {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

func joinKinds() string {
	s := make([]string, len(workflows.Kinds))
	for i, x := range workflows.Kinds {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// printQueue prints the queue with each request's drafts, for the demo.
func printQueue(ctx context.Context, env *Env, st *store.Store) error {
	reqs, err := st.Requests(ctx, store.RequestFilter{Limit: 500})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "\nThe queue:")
	if err := printRequests(env.Stdout, reqs); err != nil {
		return err
	}
	for i := len(reqs) - 1; i >= 0; i-- {
		d, err := st.Request(ctx, reqs[i].ID)
		if err != nil {
			return err
		}
		for _, x := range d.Drafts {
			fmt.Fprintf(env.Stdout, "\n--- request %d, draft %d (%s, %s) ---\nTo: %s\nSubject: %s\n\n%s\n",
				d.ID, x.ID, x.Kind, x.Status, strings.Join(addrStrings(x.To), ", "), x.Subject, x.Text)
		}
	}
	return nil
}

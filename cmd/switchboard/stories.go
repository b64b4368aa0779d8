package main

import (
	"archive/zip"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"switchboard/blobstore"
	"switchboard/config"
	"switchboard/mailin"
	"switchboard/store"
)

func init() {
	commands["stories"] = command{"the press team's stories: stories list|show|approve|export", runStories}
}

func runStories(ctx context.Context, env *Env, args []string) error {
	const usage = "stories list [--status S] [--json] | show ID [--json] | approve ID --by NAME | export ID --zip FILE"
	if len(args) == 0 {
		return usageError{"stories needs a subcommand: " + usage}
	}
	sub, args := args[0], args[1:]
	fs := newFlags(env, "stories "+sub, usage)
	status := fs.String("status", "", "list only stories with this status: new, approved, rejected")
	asJSON := fs.Bool("json", false, "print JSON")
	by := fs.String("by", "", "who approves the story")
	zipPath := fs.String("zip", "", "write a zip of the press copies and the story with credits to this file")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	var id int64
	switch sub {
	case "list":
	case "show", "approve", "export":
		if len(pos) != 1 {
			return usageError{"stories " + sub + " takes one story ID"}
		}
		if id, err = strconv.ParseInt(pos[0], 10, 64); err != nil {
			return usageError{fmt.Sprintf("%q is not a story ID", pos[0])}
		}
		if sub == "approve" && *by == "" {
			return usageError{"stories approve needs --by NAME"}
		}
		if sub == "export" && *zipPath == "" {
			return usageError{"stories export needs --zip FILE"}
		}
	default:
		return usageError{fmt.Sprintf("unknown stories subcommand %q: %s", sub, usage)}
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, newLogger(env, cfg), false)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "list":
		list, err := st.Stories(ctx, store.StoryFilter{Status: *status, Limit: 200})
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, list)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSTATUS\tCONSENT\tFILES\tLINKS\tFROM\tSUBJECT")
		for _, s := range list {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%s\t%s\n", s.ID, s.Status, s.Consent, len(s.Assets), len(s.Links), s.SenderEmail, s.Subject)
		}
		return tw.Flush()
	case "show":
		s, err := st.Story(ctx, id)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, s)
		}
		_, err = fmt.Fprint(env.Stdout, storyText(s, true))
		return err
	case "approve":
		if err := st.ApproveStory(ctx, id, *by); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "story %d approved by %s\n", id, *by)
		return nil
	}
	s, err := st.Story(ctx, id)
	if err != nil {
		return err
	}
	blobs, err := blobstore.Open(ctx, cfg.BlobURL)
	if err != nil {
		return fmt.Errorf("SWITCHBOARD_BLOB_URL: %w", err)
	}
	defer blobs.Close()
	n, err := exportStory(ctx, blobs, s, *zipPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %d files and story.txt\n", *zipPath, n)
	return nil
}

// storyText is the story as the press team reads it: text, credits, place,
// date, groups, consent, links and files. staff adds the sender's address.
func storyText(s store.Story, staff bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Story %d: %s\n\n", s.ID, s.Subject)
	fmt.Fprintf(&b, "%s\n\n", s.Body)
	credit := s.Credit
	if credit == "" {
		credit = s.SenderName
	}
	fmt.Fprintf(&b, "Credit: %s\n", credit)
	if staff {
		fmt.Fprintf(&b, "Sent by: %s <%s>\n", s.SenderName, s.SenderEmail)
	} else {
		fmt.Fprintf(&b, "Sent by: %s\n", s.SenderName)
	}
	place := strings.Trim(strings.Join([]string{s.City, s.State}, ", "), ", ")
	if s.District != "" {
		place = strings.TrimSpace(place + " (" + s.District + ")")
	}
	if place != "" {
		fmt.Fprintf(&b, "Where: %s\n", place)
	}
	if s.ActionDate != nil {
		fmt.Fprintf(&b, "When: %s (%q)\n", s.ActionDate.Format("Monday 2 January 2006"), s.DatePhrase)
	}
	var groups []string
	for _, g := range s.Groups {
		groups = append(groups, g.Name)
	}
	if len(groups) > 0 {
		fmt.Fprintf(&b, "Groups: %s\n", strings.Join(groups, ", "))
	}
	fmt.Fprintf(&b, "Consent: %s", s.Consent)
	if s.ConsentSentence != "" {
		fmt.Fprintf(&b, " (%q)", s.ConsentSentence)
	}
	fmt.Fprintf(&b, "\nStatus: %s\n", s.Status)
	for _, l := range s.Links {
		fmt.Fprintf(&b, "Link (%s): %s\n", l.Service, l.URL)
	}
	for _, a := range s.Assets {
		fmt.Fprintf(&b, "File %d: %s, %s, %d bytes", a.Position+1, a.Filename, a.ContentType, a.Size)
		if a.Width > 0 {
			fmt.Fprintf(&b, ", %d×%d", a.Width, a.Height)
		}
		if a.Note != "" {
			fmt.Fprintf(&b, " [%s]", a.Note)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// exportStory writes a zip of the story's press copies (upright JPEGs with
// no location data; videos and other files as sent) and story.txt with the
// credits. It returns how many media files it wrote.
func exportStory(ctx context.Context, blobs *blobstore.Store, s store.Story, file string) (n int, err error) {
	f, err := os.Create(file)
	if err != nil {
		return 0, fmt.Errorf("export story %d: %w", s.ID, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("export story %d: %w", s.ID, cerr)
		}
	}()
	zw := zip.NewWriter(f)
	used := map[string]bool{}
	for _, a := range s.Assets {
		key, name := a.PreviewKey, a.Filename
		switch {
		case key != "":
			name = strings.TrimSuffix(name, path.Ext(name)) + ".jpg"
		case a.Kind == "image":
			continue // no press copy can be made; staff keep the original
		default:
			key = a.OriginalKey
		}
		name = uniqueName(used, fmt.Sprintf("%02d-%s", a.Position+1, safeName(name)))
		data, err := blobs.Get(ctx, key)
		if err != nil {
			return n, err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: time.Now()})
		if err != nil {
			return n, err
		}
		if _, err := w.Write(data); err != nil {
			return n, err
		}
		n++
	}
	w, err := zw.Create("story.txt")
	if err != nil {
		return n, err
	}
	if _, err := w.Write([]byte(storyText(s, false))); err != nil {
		return n, err
	}
	return n, zw.Close()
}

func safeName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < ' ' {
			return '_'
		}
		return r
	}, name)
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return name
}

func uniqueName(used map[string]bool, name string) string {
	out := name
	for i := 2; used[out]; i++ {
		out = fmt.Sprintf("%s-%d%s", strings.TrimSuffix(name, path.Ext(name)), i, path.Ext(name))
	}
	used[out] = true
	return out
}

// newPressLoop returns the poller of the press mailbox, when
// SWITCHBOARD_PRESS_IMAP_URL is set (else a loop that only waits); the
// mailbox is recorded with the press role, so its mail defaults to
// submissions.
func newPressLoop(ctx context.Context, st *store.Store, cfg *config.Config, log *slog.Logger) (func(context.Context) error, error) {
	if cfg.PressIMAPURL == "" {
		return func(ctx context.Context) error { <-ctx.Done(); return nil }, nil
	}
	u, err := mailin.ParseIMAPURL(cfg.PressIMAPURL)
	if err != nil {
		return nil, fmt.Errorf("SWITCHBOARD_PRESS_IMAP_URL: %w", err)
	}
	if err := st.SetMailboxRole(ctx, u.String(), store.MailboxPress); err != nil {
		return nil, err
	}
	p := mailin.NewPoller(mailin.Config{URL: u, Password: cfg.PressIMAPPassword, Mailbox: u.String(),
		PollInterval: cfg.PollInterval, ReconcileInterval: cfg.ReconcileInterval,
		MaxMessageSize: cfg.MaxMessageSize, Logger: log}, sink{st})
	log.Info("watching the press mailbox", "mailbox", u.Redacted())
	return withMailboxLock(st, u.String(), log, p.Run), nil
}

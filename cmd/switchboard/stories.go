package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"switchboard/blobstore"
	"switchboard/config"
	"switchboard/mailin"
	"switchboard/store"
	"switchboard/stories"
	"switchboard/web/storeadapter"
)

func init() {
	commands["stories"] = command{"the press team's stories: stories list|show|approve|export|digest", runStories}
}

func runStories(ctx context.Context, env *Env, args []string) error {
	const usage = "stories list [--status new|approved|rejected] [--json] | show ID [--json] | approve ID --by NAME [--force] | " +
		"export ID --zip FILE [--force] [--overwrite] | digest [--by NAME]\n" +
		"  export writes FILE only when the whole zip is written (a temporary file beside it, then renamed);\n" +
		"  it never replaces an existing FILE unless --overwrite is given. --force is about consent, not files.\n" +
		"  export reads the blob store at SWITCHBOARD_BLOB_URL: the same store `serve` and `ingest` used."
	if len(args) == 0 {
		return usageError{"stories needs a subcommand: " + usage}
	}
	sub, args := args[0], args[1:]
	fs := newFlags(env, "stories "+sub, usage)
	status := fs.String("status", "", "list only stories with this status: new, approved, rejected")
	asJSON := fs.Bool("json", false, "print JSON")
	by := fs.String("by", "", "who approves the story")
	zipPath := fs.String("zip", "", "write a zip of the press copies and the story with credits to this file")
	force := fs.Bool("force", false, "approve or export a story although its sender has not given (or has refused) permission to publish")
	overwrite := fs.Bool("overwrite", false, "let export replace an existing --zip file")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	var id int64
	switch sub {
	case "list":
		if *status != "" && !slices.Contains(storyStatuses, *status) {
			return usageError{fmt.Sprintf("unknown story status %q: use one of %s", *status, strings.Join(storyStatuses, ", "))}
		}
	case "digest":
		if len(pos) != 0 {
			return usageError{"stories digest takes no arguments"}
		}
		if *by == "" {
			*by = "cli"
		}
		return runStoriesDigest(ctx, env, *by)
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
	st, cfg, err := openStoreEnv(ctx, env)
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
			return storyErr(id, err)
		}
		if *asJSON {
			return writeJSON(env.Stdout, s)
		}
		_, err = fmt.Fprint(env.Stdout, storyText(s, true))
		return err
	case "approve":
		s, err := st.Story(ctx, id)
		if err != nil {
			return storyErr(id, err)
		}
		if err := checkConsent(env, s, "approve", *force); err != nil {
			return err
		}
		if err := st.ApproveStory(ctx, id, *by); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "story %d approved by %s\n", id, *by)
		return nil
	}
	s, err := st.Story(ctx, id)
	if err != nil {
		return storyErr(id, err)
	}
	if err := checkConsent(env, s, "export", *force); err != nil {
		return err
	}
	blobs, err := blobstore.Open(ctx, cfg.BlobURL)
	if err != nil {
		return fmt.Errorf("SWITCHBOARD_BLOB_URL: %w", err)
	}
	defer blobs.Close()
	n, err := exportStory(ctx, blobs, s, *zipPath, *overwrite)
	if err != nil {
		return missingBlobHint(err, cfg.BlobURL)
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %d files and story.txt\n", *zipPath, n)
	return nil
}

// storyText is the story as the press team reads it (stories.PressStory.Text);
// staff adds the sender's address.
func storyText(s store.Story, staff bool) string { return storeadapter.PressStory(s).Text(staff) }

// storyStatuses are the statuses a story can have (the stories table's check).
var storyStatuses = []string{"new", "approved", "rejected"}

// storyErr says plainly that a story does not exist.
func storyErr(id int64, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("story %d does not exist: see switchboard stories list", id)
	}
	return err
}

// missingBlobHint adds to an error about a missing blob where export looked
// and why the blob may be elsewhere.
func missingBlobHint(err error, blobURL string) error {
	if !errors.Is(err, blobstore.ErrNotFound) {
		return err
	}
	return fmt.Errorf("%w\nthe blob store at SWITCHBOARD_BLOB_URL=%s does not hold this story's files: "+
		"SWITCHBOARD_BLOB_URL must point at the same store `serve` (and `ingest`) used; the default file://./blobs "+
		"is relative to the working directory, so run export from the folder serve ran in, or set the same absolute URL", err, blobURL)
}

// exportStory writes file, a zip of the story's press copies and story.txt
// with the credits (stories.WriteZip). It returns how many media files it
// wrote. The zip is written to a temporary file in file's folder and
// renamed over file only once complete, so a failed export leaves no file
// and never damages one; an existing file is replaced only when overwrite
// is true.
func exportStory(ctx context.Context, blobs *blobstore.Store, s store.Story, file string, overwrite bool) (n int, err error) {
	if !overwrite {
		if _, err := os.Lstat(file); err == nil {
			return 0, fmt.Errorf("export story %d: %s exists: choose another --zip file or add --overwrite to replace it", s.ID, file)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return 0, fmt.Errorf("export story %d: %w", s.ID, err)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("export story %d: %w", s.ID, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if n, err = stories.WriteZip(ctx, tmp, blobs, storeadapter.PressStory(s)); err != nil {
		return 0, err
	}
	if err = tmp.Sync(); err == nil {
		err = tmp.Close()
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		return 0, fmt.Errorf("export story %d: %w", s.ID, err)
	}
	if !overwrite {
		// Link fails when file appeared meanwhile: never replace it then.
		if err = os.Link(tmp.Name(), file); err == nil {
			os.Remove(tmp.Name())
			return n, nil
		}
		if errors.Is(err, fs.ErrExist) {
			return 0, fmt.Errorf("export story %d: %s exists: choose another --zip file or add --overwrite to replace it", s.ID, file)
		}
		// A file system without hard links: rename (checked above).
	}
	if err = os.Rename(tmp.Name(), file); err != nil {
		return 0, fmt.Errorf("export story %d: %w", s.ID, err)
	}
	return n, nil
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

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"switchboard/jobs"
	"switchboard/mailin"
	"switchboard/store"
	"switchboard/workflows"
)

func init() {
	commands["ingest"] = command{"feed .eml files, a folder of them, or an mbox through the pipeline", runIngest}
}

// ingestMailbox is the mailbox name ingested messages are filed under.
const ingestMailbox = "ingest"

func runIngest(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "ingest", "ingest [--no-process] PATH...")
	noProcess := fs.Bool("no-process", false, "only store the messages; a running \"switchboard serve\" processes them")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		fs.Usage()
		return usageError{"ingest needs a PATH: an .eml file, a folder of .eml files, or an mbox file"}
	}
	var msgs []source
	for _, p := range paths {
		m, err := readSources(p)
		if err != nil {
			return err
		}
		msgs = append(msgs, m...)
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	log := newLogger(env, cfg)
	st, err := openStore(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if !*noProcess {
		// Drafting against an empty directory would answer every list
		// request with "no groups here".
		if last, err := st.LastGroupImport(ctx); err != nil {
			return err
		} else if last.IsZero() {
			return errors.New("the groups directory is empty, so every list reply would say there are no groups: import it first with \"switchboard groups import FILE.csv\", or pass --no-process to only store the messages")
		}
	}
	created, err := ingest(ctx, st, msgs)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "read %d messages: %d new, %d already stored\n", len(msgs), created, len(msgs)-created)
	if *noProcess {
		return nil
	}
	from, err := supportAddress(cfg)
	if err != nil {
		return err
	}
	deps, err := newDeps(cfg, st, from, nil, log)
	if err != nil {
		return err
	}
	// Story jobs are worked here too (their files go to
	// SWITCHBOARD_BLOB_URL), so that none waits for a server.
	closeBlobs, err := withStoryDeps(ctx, cfg, &deps, cfg.BlobURL)
	if err != nil {
		return err
	}
	defer closeBlobs()
	deps.PressTo = workflows.Address{} // a backlog never drafts a digest
	runner, err := jobs.NewRunner(deps)
	if err != nil {
		return err
	}
	if err := runner.Drain(ctx); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "processed; see \"switchboard queue list\"")
	return nil
}

// ingest stores msgs as if fetched from the ingest mailbox, numbering them
// after the UIDs earlier runs used (a sighting's UID is never reused, or a
// new message would be taken for one already stored), and returns how many
// were new.
func ingest(ctx context.Context, st *store.Store, msgs []source) (int, error) {
	cp, err := st.Checkpoint(ctx, ingestMailbox)
	if err != nil {
		return 0, err
	}
	validity, last := cp.UIDValidity, cp.LastUID
	if validity == 0 {
		validity = uint32(time.Now().Unix())
	}
	created := 0
	for i, m := range msgs {
		ok, err := st.SaveFetched(ctx, store.RawMessage{
			Mailbox:      ingestMailbox,
			UIDValidity:  validity,
			UID:          last + uint32(i+1),
			InternalDate: m.modTime,
			Size:         int64(len(m.raw)),
			MessageID:    mailin.HeaderMessageID(m.raw),
			Raw:          m.raw,
		})
		if err != nil {
			return created, fmt.Errorf("store %s: %w", m.name, err)
		}
		if ok {
			created++
		}
	}
	return created, nil
}

// source is one message read from disk.
type source struct {
	name    string
	raw     []byte
	modTime time.Time
}

// readSources reads an .eml file, every .eml file in a folder (sorted by
// name), or the messages of an mbox file (one starting with "From ").
func readSources(path string) ([]source, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if fi.IsDir() {
		names, err := filepath.Glob(filepath.Join(path, "*.eml"))
		if err != nil {
			return nil, err
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("read %s: the folder has no .eml files", path)
		}
		sort.Strings(names)
		var out []source
		for _, n := range names {
			m, err := readSources(n)
			if err != nil {
				return nil, err
			}
			out = append(out, m...)
		}
		return out, nil
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s: not a regular file: give an .eml file, a folder of them, or an mbox file", path)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if bytes.HasPrefix(raw, []byte("From ")) {
		return splitMbox(path, raw, fi.ModTime())
	}
	return []source{{name: path, raw: raw, modTime: fi.ModTime()}}, nil
}

// splitMbox splits an mbox (RFC 4155): each message starts with a "From "
// line, and ">From " quoting inside bodies is undone (mboxrd).
func splitMbox(path string, raw []byte, mod time.Time) ([]source, error) {
	var out []source
	var cur bytes.Buffer
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, source{name: fmt.Sprintf("%s#%d", path, len(out)+1), raw: append([]byte(nil), cur.Bytes()...), modTime: mod})
			cur.Reset()
		}
	}
	r := bufio.NewReader(bytes.NewReader(raw))
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			switch {
			case bytes.HasPrefix(line, []byte("From ")):
				flush()
			case isQuotedFrom(line):
				cur.Write(line[1:])
			default:
				cur.Write(line)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read mbox %s: %w", path, err)
		}
	}
	flush()
	if len(out) == 0 {
		return nil, fmt.Errorf("read mbox %s: no messages", path)
	}
	return out, nil
}

func isQuotedFrom(line []byte) bool {
	s := strings.TrimLeft(string(line), ">")
	return len(s) < len(line) && strings.HasPrefix(s, "From ")
}

package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"switchboard/directory"
	"switchboard/store"
)

// groupsUsage lists the groups subcommands.
const groupsUsage = "groups broken [--json] | list [--state S] [--city C] [--status active|inactive] | search NAME | show ID | " +
	"set-status ID active|inactive | export [FILE.csv] | import FILE.csv|FILE.json | imports"

// runGroupsAdmin runs the directory subcommands other than import: flags
// are checked before connecting.
func runGroupsAdmin(ctx context.Context, env *Env, sub string, args []string) error {
	fs := newFlags(env, "groups "+sub, groupsUsage)
	state := fs.String("state", "", "list: only groups of this USPS state code")
	city := fs.String("city", "", "list: only groups in this city")
	status := fs.String("status", "", "list: only active or inactive groups")
	limit := fs.Int("limit", 100, "list, search, imports: at most this many rows")
	by := fs.String("by", currentUser(), "set-status: who changes it (kept in the audit log)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	want := map[string]int{"list": 0, "search": 1, "show": 1, "set-status": 2, "imports": 0}[sub]
	if sub == "export" && len(pos) > 1 || sub != "export" && len(pos) != want {
		return usageError{"usage: switchboard " + groupsUsage}
	}
	var id int64
	if sub == "show" || sub == "set-status" {
		if id, err = strconv.ParseInt(pos[0], 10, 64); err != nil || id <= 0 {
			return usageError{fmt.Sprintf("%q is not a group ID: use the number shown by \"switchboard groups list\"", pos[0])}
		}
	}
	if sub == "set-status" && pos[1] != "active" && pos[1] != "inactive" {
		return usageError{fmt.Sprintf("status %q: use active or inactive", pos[1])}
	}
	if *status != "" && *status != "active" && *status != "inactive" {
		return usageError{fmt.Sprintf("--status %q: use active or inactive", *status)}
	}
	st, _, err := openStoreEnv(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "list":
		gs, err := st.Groups(ctx, store.GroupFilter{State: strings.ToUpper(*state), City: *city, Status: *status, Limit: *limit})
		if err != nil {
			return err
		}
		return printGroups(env.Stdout, gs)
	case "search":
		cs, err := st.FindGroups(ctx, pos[0], strings.ToUpper(*state), *city, *limit)
		if err != nil {
			return err
		}
		return printSearch(ctx, env.Stdout, st, cs)
	case "show":
		g, err := st.Group(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("group %d does not exist: see \"switchboard groups list\"", id)
		}
		if err != nil {
			return err
		}
		return printGroup(env.Stdout, g)
	case "set-status":
		err := st.SetGroupStatus(ctx, id, pos[1], *by)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("group %d does not exist: see \"switchboard groups list\"", id)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "group %d is %s\n", id, pos[1])
		return nil
	case "export":
		return exportGroups(ctx, env, st, pos)
	}
	return printImports(ctx, env.Stdout, st, *limit)
}

// printGroups prints the public fields of groups, one a line.
func printGroups(w io.Writer, gs []directory.Group) error {
	if len(gs) == 0 {
		_, err := fmt.Fprintln(w, "No groups match.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCITY\tSTATE\tDISTRICT\tSTATUS\tEMAIL\tWEBSITE")
	for _, g := range gs {
		p := g.Public()
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, clip(p.Name, 40), p.City, p.State, p.District, g.Status,
			p.PublicEmail, p.Website)
	}
	return tw.Flush()
}

// printGroup prints one group for staff, private leader fields included.
func printGroup(w io.Writer, g directory.Group) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, kv := range [][2]string{{"ID", strconv.FormatInt(g.ID, 10)}, {"Name", g.Name}, {"City", g.City},
		{"State", g.State}, {"ZIP", g.ZIP}, {"District", g.District},
		{"Location", fmt.Sprintf("%.5f, %.5f", g.Latitude, g.Longitude)}, {"Email", g.PublicEmail},
		{"Website", g.Website}, {"Twitter", g.Twitter}, {"Facebook", g.Facebook}, {"Status", g.Status},
		{"Updated", g.Updated.Format("2006-01-02")},
		{"Leader (private)", g.LeaderName}, {"Leader email (private)", g.LeaderEmail}} {
		fmt.Fprintf(tw, "%s:\t%s\n", kv[0], kv[1])
	}
	return tw.Flush()
}

// exportGroups writes the directory as CSV in the import layout to the
// file named in pos, or to standard output.
func exportGroups(ctx context.Context, env *Env, st *store.Store, pos []string) error {
	if len(pos) == 0 {
		return writeGroupsCSV(ctx, env.Stdout, st)
	}
	f, err := createFile(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	if err := writeGroupsCSV(ctx, f, st); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export groups to %s: %w", pos[0], err)
	}
	fmt.Fprintf(env.Stderr, "exported the directory to %s\n", pos[0])
	return nil
}

// writeGroupsCSV writes the header and every group to out.
func writeGroupsCSV(ctx context.Context, out io.Writer, st *store.Store) error {
	w := csv.NewWriter(out)
	if err := w.Write(store.GroupColumns()); err != nil {
		return fmt.Errorf("export groups: %w", err)
	}
	if err := st.ExportGroups(ctx, w.Write); err != nil {
		return err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("export groups: %w", err)
	}
	return nil
}

// printImports prints the import history: who, when, counts, and each
// rejected line with its reason.
func printImports(ctx context.Context, w io.Writer, st *store.Store, limit int) error {
	imps, err := st.GroupImports(ctx, limit)
	if err != nil {
		return err
	}
	if len(imps) == 0 {
		_, err := fmt.Fprintln(w, "No imports yet: import the directory with \"switchboard groups import FILE.csv\".")
		return err
	}
	for _, im := range imps {
		fmt.Fprintf(w, "import %d: %s by %s from %s: %d rows, %d inserted, %d updated, %d unchanged, %d rejected\n",
			im.ID, im.ImportedAt.Local().Format("2006-01-02 15:04"), im.ImportedBy, im.Source, im.Total, im.Inserted,
			im.Updated, im.Unchanged, im.Rejected)
		lines, err := im.RejectedLines()
		if err != nil {
			return err
		}
		for _, l := range lines {
			fmt.Fprintf(w, "  line %d: %s\n", l.Line, l.Reason)
		}
	}
	return nil
}

// createFile creates path for writing, readable by its owner only (an
// export holds leaders' private addresses), with an error that says what to
// do.
func createFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w: choose a writable path", path, err)
	}
	return f, nil
}

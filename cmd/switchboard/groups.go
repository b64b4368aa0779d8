package main

import (
	"context"
	"fmt"
	"os"
	"os/user"
)

func init() {
	commands["groups"] = command{"manage the groups directory: groups list|search|show|set-status|export|import|imports|broken", runGroups}
}

func runGroups(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usageError{"groups needs a subcommand: " + groupsUsage}
	}
	switch args[0] {
	case "import":
		return runGroupsImport(ctx, env, args[1:])
	case "broken":
		return runGroupsBroken(ctx, env, args[1:])
	case "list", "search", "show", "set-status", "export", "imports":
		return runGroupsAdmin(ctx, env, args[0], args[1:])
	}
	return usageError{fmt.Sprintf("unknown groups subcommand %q: use %s", args[0], groupsUsage)}
}

func runGroupsImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "groups import", "groups import [--by NAME] FILE.csv")
	by := fs.String("by", currentUser(), "who is importing, for the import history")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fs.Usage()
		return usageError{"groups import needs exactly one FILE.csv (columns as in demo/data/groups.csv)"}
	}
	f, err := os.Open(files[0])
	if err != nil {
		return fmt.Errorf("read %s: %w", files[0], err)
	}
	defer f.Close()
	st, _, err := openStoreEnv(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := st.ImportGroups(ctx, f, files[0], *by)
	if err != nil {
		return err
	}
	for _, r := range rep.Rejected {
		fmt.Fprintf(env.Stderr, "%s:%d: %s\n", files[0], r.Line, r.Reason)
	}
	fmt.Fprintf(env.Stdout, "imported %d groups from %s; %d lines rejected\n", rep.Imported, files[0], len(rep.Rejected))
	if len(rep.Rejected) > 0 {
		return fmt.Errorf("%d lines of %s were rejected (listed above); fix them and import the file again: valid rows are kept", len(rep.Rejected), files[0])
	}
	return nil
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}

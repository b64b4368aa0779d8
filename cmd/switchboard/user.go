package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"switchboard/store"
	"switchboard/web"
)

func init() {
	commands["user"] = command{"manage staff accounts of the web UI: list, add, passwd, role, disable", runUser}
}

const userUsage = `user list
       user add EMAIL [--role admin|staff|press] [--name NAME]
       user passwd EMAIL
       user role EMAIL ROLE
       user disable EMAIL [--enable]
Passwords are read from standard input (one line), or asked for without echo
on a terminal; never from flags, which other users can see in ps. A new
password needs 12 characters (spaces at either end not counted) and must not
be a common one. A password or role change ends the user's web sessions.`

func runUser(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "user", userUsage)
	role := fs.String("role", store.RoleStaff, "role of a new user: admin, staff or press")
	name := fs.String("name", "", "display name of a new user")
	enable := fs.Bool("enable", false, "with disable: enable the account again")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 1 && pos[0] == "list" {
		return listUsers(ctx, env)
	}
	if len(pos) >= 1 && pos[0] == "list" {
		return usageError{"user list: no arguments are expected"}
	}
	if len(pos) < 2 {
		fs.Usage()
		return usageError{"user: a subcommand and an email are required"}
	}
	sub, email := pos[0], pos[1]
	st, _, err := openStoreEnv(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	by := "cli:" + currentOSUser(env)
	switch sub {
	case "add":
		if len(pos) != 2 {
			return usageError{"user add: only an email is expected"}
		}
		hash, err := readNewPassword(env)
		if err != nil {
			return err
		}
		id, err := st.CreateUser(ctx, email, *name, hash, *role, by)
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("a user with email %s exists already", email)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "user %d added: %s (%s)\n", id, email, *role)
		if *role == store.RoleAdmin {
			fmt.Fprintln(env.Stdout, "admins set up two-factor authentication at their first login")
		}
	case "passwd":
		hash, err := readNewPassword(env)
		if err != nil {
			return err
		}
		if err := st.SetPassword(ctx, email, hash, by); err != nil {
			return notFoundUser(email, err)
		}
		fmt.Fprintf(env.Stdout, "password of %s changed\n", email)
	case "role":
		if len(pos) != 3 {
			return usageError{"user role: EMAIL ROLE expected"}
		}
		if err := st.SetRole(ctx, email, pos[2], by); err != nil {
			return notFoundUser(email, err)
		}
		fmt.Fprintf(env.Stdout, "%s is now %s\n", email, pos[2])
	case "disable":
		if err := st.SetDisabled(ctx, email, !*enable, by); err != nil {
			return notFoundUser(email, err)
		}
		state := "disabled"
		if *enable {
			state = "enabled"
		}
		fmt.Fprintf(env.Stdout, "%s %s\n", email, state)
	default:
		fs.Usage()
		return usageError{fmt.Sprintf("user: unknown subcommand %q", sub)}
	}
	return nil
}

// listUsers prints every account: email, name, role, whether it is
// disabled and whether two-factor authentication is on. No secrets.
func listUsers(ctx context.Context, env *Env) error {
	st, _, err := openStoreEnv(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	us, err := st.Users(ctx)
	if err != nil {
		return err
	}
	if len(us) == 0 {
		_, err := fmt.Fprintln(env.Stdout, "No users. Add one with: switchboard user add EMAIL --role admin")
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tDISABLED\t2FA")
	for _, u := range us {
		name := u.Name
		if name == "" {
			name = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", esc(u.Email), esc(name), u.Role, yesNo(u.Disabled, "yes", "no"),
			yesNo(u.TOTPSecret != "", "on", "off"))
	}
	return tw.Flush()
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func notFoundUser(email string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user with email %s", email)
	}
	return err
}

// readNewPassword reads a password (twice, without echo, on a terminal; one
// line otherwise) and returns its argon2id hash.
func readNewPassword(env *Env) (string, error) {
	var pw string
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, "New password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(env.Stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords differ")
		}
		pw = string(a)
	} else {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password from standard input: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	return web.HashPassword(pw)
}

func currentOSUser(env *Env) string {
	if u, _ := env.Getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}

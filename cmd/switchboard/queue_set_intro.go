package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"switchboard/jobs"
	"switchboard/store"
	"switchboard/workflows"
)

// introChoice holds the introduction flags of `queue set`: --target GROUP_ID
// picks the group a leader meant; --opt-in=true|false overrides the double
// opt-in setting for the request.
type introChoice struct {
	target int64
	optIn  optBool
}

// optBool is a boolean flag that knows whether it was given.
type optBool struct {
	set, val bool
}

func (o *optBool) String() string   { return strconv.FormatBool(o.val) }
func (o *optBool) IsBoolFlag() bool { return true }
func (o *optBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("use true or false")
	}
	o.set, o.val = true, v
	return nil
}

// introFlags adds --target and --opt-in to fs.
func introFlags(fs *flag.FlagSet) *introChoice {
	c := &introChoice{}
	fs.Int64Var(&c.target, "target", 0, "introduction: the directory id of the group the leader means (see the candidates in \"queue show\")")
	fs.Var(&c.optIn, "opt-in", "introduction: ask the target's leader first (true) or introduce directly (false); default SWITCHBOARD_INTRO_OPT_IN")
	return c
}

// given reports whether an introduction flag was given.
func (c *introChoice) given() bool { return c.target != 0 || c.optIn.set }

// queueSetIntro applies a staff choice of the target group (and of double
// opt-in) to an introduction request and re-drafts it through the jobs
// pipeline.
func queueSetIntro(ctx context.Context, env *Env, st *store.Store, id int64, fix workflows.PlaceFix, c *introChoice, by string) error {
	if fix != (workflows.PlaceFix{}) {
		return usageError{"queue set takes either a place (--city, --state, --zip, --district) or --target/--opt-in, not both"}
	}
	if c.target < 0 {
		return usageError{fmt.Sprintf("--target %d is not a group id: use the id shown by \"switchboard queue show %d\" or \"groups search\"", c.target, id)}
	}
	if strings.TrimSpace(by) == "" {
		return usageError{"queue set needs --by NAME: the audit log records who chose the group"}
	}
	if st == nil {
		return errNeedStore
	}
	pipe, err := cliPipeline(env, st)
	if err != nil {
		return err
	}
	var optIn *bool
	if c.optIn.set {
		optIn = &c.optIn.val
	}
	if err := pipe.ChooseTarget(ctx, id, c.target, optIn, by); err != nil {
		if errors.Is(err, jobs.ErrUnknownGroup) {
			return fmt.Errorf("group %d does not exist: find the group's id with \"switchboard groups search NAME\" (request %d is unchanged)", c.target, id)
		}
		return notFoundHint(err, id)
	}
	intro, err := st.Introduction(ctx, id)
	if err != nil {
		return err
	}
	what := "the introduction"
	if intro.State == store.IntroAwaitingConsent {
		what = "the request for the target leader's consent"
	}
	fmt.Fprintf(env.Stdout, "chose group %d for request %d and drafted %s; review it with \"switchboard queue show %d\"\n",
		*intro.TargetGroupID, id, what, id)
	return nil
}

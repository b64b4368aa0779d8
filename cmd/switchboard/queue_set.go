package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"switchboard/directory"
	"switchboard/store"
	"switchboard/workflows"
)

// queueSet corrects the place of a list request and re-drafts its reply.
func queueSet(ctx context.Context, env *Env, st *store.Store, args []string) error {
	const usage = "queue set ID --by NAME (--city C --state S | --state S | --zip Z | --district D | --target GROUP_ID [--opt-in=false])"
	fs := newFlags(env, "queue set", usage)
	by := fs.String("by", currentUser(), "who corrects (recorded in the audit log)")
	var fix workflows.PlaceFix
	fs.StringVar(&fix.City, "city", "", "the city (needs --state)")
	fs.StringVar(&fix.State, "state", "", "the USPS state code; alone, a statewide list")
	fs.StringVar(&fix.ZIP, "zip", "", "a 5-digit ZIP: the groups of every district it overlaps")
	fs.StringVar(&fix.District, "district", "", "a congressional district such as TX-10 or WY-AL")
	intro := introFlags(fs)
	id, err := oneID(fs, args, usage)
	if err != nil {
		return err
	}
	if intro.given() {
		return queueSetIntro(ctx, env, st, id, fix, intro, *by)
	}
	geo := directory.MustGeography()
	if _, err := (workflows.Fields{}).Corrected(fix, geo); err != nil {
		return usageError{strings.TrimPrefix(err.Error(), "correct place: ")}
	}
	if strings.TrimSpace(*by) == "" {
		return usageError{"queue set needs --by NAME: the audit log records who corrected the place"}
	}
	if st == nil {
		return errNeedStore
	}
	pipe, err := cliPipeline(env, st)
	if err != nil {
		return err
	}
	if err := pipe.Redraft(ctx, id, fix, *by); err != nil {
		if errors.Is(err, workflows.ErrBadPlace) {
			return usageError{err.Error()}
		}
		return notFoundHint(err, id)
	}
	fmt.Fprintf(env.Stdout, "corrected the place of request %d and re-drafted its reply; review it with \"switchboard queue show %d\"\n", id, id)
	return nil
}

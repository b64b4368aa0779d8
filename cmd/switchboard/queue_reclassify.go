package main

import (
	"context"
	"fmt"
	"strings"

	"switchboard/store"
	"switchboard/workflows"
)

// reclassifyKinds are the kinds a person may give a request: every kind
// but mixed, which Classify infers from several asks.
func reclassifyKinds() []string {
	var out []string
	for _, k := range workflows.Kinds {
		if k != workflows.KindMixed {
			out = append(out, string(k))
		}
	}
	return out
}

// queueReclassify sets the kind of a request and re-drafts it as the web
// UI's reclassify does (jobs.Pipeline.Reclassify).
func queueReclassify(ctx context.Context, env *Env, st *store.Store, args []string) error {
	kinds := strings.Join(reclassifyKinds(), ", ")
	const usage = "queue reclassify ID --kind K --by NAME"
	fs := newFlags(env, "queue reclassify", usage)
	kind := fs.String("kind", "", "the request's kind: "+kinds)
	by := fs.String("by", "", "who reclassifies (required, recorded in the audit log)")
	id, err := oneID(fs, args, usage+" (K: "+kinds+")")
	if err != nil {
		return err
	}
	k := workflows.Kind(strings.TrimSpace(*kind))
	switch {
	case k == "":
		return usageError{"queue reclassify needs --kind K, one of " + kinds}
	case !k.Valid() || k == workflows.KindMixed || k == workflows.KindDigest:
		return usageError{fmt.Sprintf("unknown kind %q: use one of %s", *kind, kinds)}
	case strings.TrimSpace(*by) == "":
		return usageError{"queue reclassify needs --by NAME: the audit log records who reclassified"}
	}
	if st == nil {
		return errNeedStore
	}
	pipe, err := cliPipeline(env, st)
	if err != nil {
		return err
	}
	if err := pipe.Reclassify(ctx, id, k, *by); err != nil {
		return notFoundHint(err, id)
	}
	fmt.Fprintf(env.Stdout, "reclassified request %d as %s and re-drafted it; review it with \"switchboard queue show %d\"\n", id, k, id)
	return nil
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"switchboard/directory"
	"switchboard/mailin"
	"switchboard/workflows"
)

func init() {
	commands["classify"] = command{"classify .eml files and print what Switchboard understood (no database)", runClassify}
}

func runClassify(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "classify", "classify [--json] FILE.eml...")
	asJSON := fs.Bool("json", false, "print one JSON object per file, one per line")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return usageError{"classify needs at least one .eml file"}
	}
	geo, err := directory.LoadGeography()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(env.Stderr, "switchboard: read %s: %v\n", f, err)
			failed++
			continue
		}
		fi, _ := os.Stat(f)
		date := time.Now()
		if fi != nil {
			date = fi.ModTime()
		}
		var res workflows.ClassifyResult
		in, perr := mailin.Parse(raw, date)
		if perr != nil {
			res = workflows.ClassifyResult{File: f, Kind: workflows.KindOther, Kinds: []workflows.Kind{workflows.KindOther}}
		} else {
			res = workflows.Result(f, in, workflows.Classify(in, geo, workflows.Context{}))
		}
		if *asJSON {
			if err := enc.Encode(res); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(env.Stdout, "%s: %s (confidence %.2f)", f, res.Kind, res.Confidence)
		if perr != nil {
			fmt.Fprintf(env.Stdout, " — could not be parsed: %v", perr)
		}
		for _, kv := range [][2]string{{"city", res.City}, {"state", res.State}, {"zip", res.ZIP}, {"district", res.District}, {"target", res.TargetGroup}} {
			if kv[1] != "" {
				fmt.Fprintf(env.Stdout, " %s=%q", kv[0], kv[1])
			}
		}
		fmt.Fprintf(env.Stdout, " attachments=%d\n", res.Attachments)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be read", failed, len(files))
	}
	return nil
}

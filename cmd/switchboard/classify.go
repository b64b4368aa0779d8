package main

import (
	"context"
	"encoding/json"
	"fmt"

	"switchboard/directory"
	"switchboard/mailin"
	"switchboard/workflows"
)

func init() {
	commands["classify"] = command{"classify .eml files and print what Switchboard understood (no database)", runClassify}
}

func runClassify(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "classify", "classify [--json] PATH... (.eml files, folders of them, or mbox files)")
	asJSON := fs.Bool("json", false, "print one JSON object per file, one per line")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return usageError{"classify needs at least one PATH: an .eml file, a folder of them, or an mbox file"}
	}
	geo, err := directory.LoadGeography()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, path := range files {
		srcs, err := readSources(path)
		if err != nil {
			fmt.Fprintf(env.Stderr, "switchboard: %v\n", err)
			failed++
			continue
		}
		for _, src := range srcs {
			if err := classifyOne(env, enc, geo, src, *asJSON); err != nil {
				return err
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d paths could not be read (see above)", failed, len(files))
	}
	return nil
}

// classifyOne prints what Switchboard makes of one message.
func classifyOne(env *Env, enc *json.Encoder, geo *directory.Geography, src source, asJSON bool) error {
	var res workflows.ClassifyResult
	in, perr := mailin.Parse(src.raw, src.modTime)
	if perr != nil {
		res = workflows.ClassifyResult{File: src.name, Kind: workflows.KindOther, Kinds: []workflows.Kind{workflows.KindOther}}
		fmt.Fprintf(env.Stderr, "switchboard: %s could not be parsed (%q); it would be kept for a person to triage\n", src.name, perr.Error())
	} else {
		res = workflows.Result(src.name, in, workflows.Classify(in, geo, workflows.Context{}))
	}
	if asJSON {
		return enc.Encode(res)
	}
	fmt.Fprintf(env.Stdout, "%s: %s (confidence %.2f)", src.name, res.Kind, res.Confidence)
	for _, kv := range [][2]string{{"city", res.City}, {"state", res.State}, {"zip", res.ZIP}, {"district", res.District}, {"target", res.TargetGroup}} {
		if kv[1] != "" {
			fmt.Fprintf(env.Stdout, " %s=%q", kv[0], kv[1])
		}
	}
	_, err := fmt.Fprintf(env.Stdout, " attachments=%d\n", res.Attachments)
	return err
}

package main

import (
	"context"
	"fmt"

	"switchboard/config"
)

func init() {
	commands["config"] = command{"print the effective configuration, secrets redacted", runConfig}
}

func runConfig(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "config", "config")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	cfg, err := config.Load(env.Getenv)
	if err != nil {
		return fmt.Errorf("load configuration: %w", err)
	}
	return cfg.Dump(env.Stdout)
}

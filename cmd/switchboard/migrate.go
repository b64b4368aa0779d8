package main

import (
	"context"
	"fmt"
)

func init() {
	commands["migrate"] = command{"create the database if needed and apply migrations", runMigrate}
}

func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "migrate", "migrate")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, newLogger(env, cfg), true)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintln(env.Stdout, "database schema is current")
	return nil
}

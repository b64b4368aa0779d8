package store

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

//go:embed queries/*.sql
var queriesFS embed.FS

// queries holds every named SQL block of store/queries/*.sql. A block starts
// with a line "-- name: some_name" and runs to the next such line.
var queries = mustLoadQueries(queriesFS)

func mustLoadQueries(fsys fs.FS) map[string]string {
	out := map[string]string{}
	files, err := fs.Glob(fsys, "queries/*.sql")
	if err != nil {
		panic(fmt.Sprintf("store: list queries: %v", err))
	}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			panic(fmt.Sprintf("store: read %s: %v", f, err))
		}
		var name string
		var body strings.Builder
		flush := func() {
			if name != "" {
				if _, dup := out[name]; dup {
					panic(fmt.Sprintf("store: query %q defined twice", name))
				}
				out[name] = strings.TrimSpace(body.String())
			}
			body.Reset()
		}
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
			line := sc.Text()
			if n, ok := strings.CutPrefix(line, "-- name:"); ok {
				flush()
				name = strings.TrimSpace(n)
				continue
			}
			body.WriteString(line)
			body.WriteByte('\n')
		}
		flush()
	}
	return out
}

// q returns the named query; an unknown name panics at package init, so a
// missing query stops boot rather than a send.
func q(name string) string {
	s, ok := queries[name]
	if !ok || s == "" {
		panic("store: no query named " + name)
	}
	return s
}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(fmt.Sprintf("store: sub %s: %v", dir, err))
	}
	return sub
}

package workflows_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/directory"
	"switchboard/internal/testcorpus"
	"switchboard/mailin"
	"switchboard/workflows"
)

type corpusResult struct {
	label testcorpus.Label
	in    *workflows.Inbound
	c     workflows.Classification
}

func classifyCorpus(t *testing.T) []corpusResult {
	dir, labels := testcorpus.Labels(t)
	geo := directory.MustGeography()
	var out []corpusResult
	for _, l := range labels {
		raw, err := os.ReadFile(filepath.Join(dir, l.File))
		if err != nil {
			t.Fatalf("read %s: %v", l.File, err)
		}
		in, err := mailin.Parse(raw, time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Errorf("parse %s: %v", l.File, err)
			continue
		}
		ctx := workflows.Context{OwnAddresses: []string{"support@network.example.org"}}
		out = append(out, corpusResult{l, in, workflows.Classify(in, geo, ctx)})
	}
	return out
}

func sentCount(in *workflows.Inbound) int {
	seen := map[string]bool{}
	n := 0
	for _, a := range in.Attachments {
		if a.Sent && !seen[a.SHA256+a.Filename] {
			seen[a.SHA256+a.Filename] = true
			n++
		}
	}
	return n
}

func TestCorpus(t *testing.T) {
	results := classifyCorpus(t)
	kinds := make([]string, 0, len(workflows.Kinds))
	for _, k := range workflows.Kinds {
		kinds = append(kinds, string(k))
	}
	matrix := map[[2]string]int{}
	correct := 0
	scored := []string{"list_request", "introduction", "submission", "mixed"}
	fields := []string{"city", "state", "zip", "district", "attachments"}
	hits, totals := map[string]int{}, map[string]int{}
	for _, r := range results {
		got := string(r.c.Kind)
		matrix[[2]string{r.label.Category, got}]++
		if got == r.label.Category {
			correct++
		} else {
			t.Logf("%s: kind %s, want %s (%v)", r.label.File, got, r.label.Category, r.c.Reasons)
		}
		totals["attachments"]++
		if sentCount(r.in) == r.label.Expected.Attachments {
			hits["attachments"]++
		}
		if !slices.Contains(scored, r.label.Category) {
			continue
		}
		f := r.c.Fields
		check := func(name, got, w string) {
			totals[name]++
			if strings.EqualFold(got, w) {
				hits[name]++
			} else {
				t.Logf("%s: %s = %q, want %q", r.label.File, name, got, w)
			}
		}
		check("city", f.City, r.label.Expected.City)
		check("state", f.State, r.label.Expected.State)
		check("zip", f.ZIP, r.label.Expected.ZIP)
		check("district", f.District, r.label.Expected.District)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "confusion matrix (rows: label, columns: classified)\n%-13s", "")
	for _, k := range kinds {
		fmt.Fprintf(&b, " %5.5s", k)
	}
	for _, want := range kinds {
		fmt.Fprintf(&b, "\n%-13s", want)
		for _, got := range kinds {
			fmt.Fprintf(&b, " %5d", matrix[[2]string{want, got}])
		}
	}
	catAcc := float64(correct) / float64(len(results))
	fmt.Fprintf(&b, "\ncategory accuracy: %d/%d = %.1f%%", correct, len(results), 100*catAcc)
	acc := map[string]float64{}
	for _, name := range fields {
		acc[name] = float64(hits[name]) / float64(max(1, totals[name]))
		fmt.Fprintf(&b, "\n%-12s %d/%d = %.1f%%", name, hits[name], totals[name], 100*acc[name])
	}
	t.Log("\n" + b.String())
	fmt.Println(b.String())

	if catAcc < 0.90 {
		t.Errorf("category accuracy %.1f%% < 90%%", 100*catAcc)
	}
	for _, name := range []string{"city", "state", "district"} {
		if acc[name] < 0.85 {
			t.Errorf("%s accuracy %.1f%% < 85%%", name, 100*acc[name])
		}
	}
}

func TestCorpusAttachments(t *testing.T) {
	for _, r := range classifyCorpus(t) {
		if got := sentCount(r.in); got != r.label.Expected.Attachments {
			t.Errorf("%s: %d sent attachments, want %d", r.label.File, got, r.label.Expected.Attachments)
		}
		if got := workflows.Result(r.label.File, r.in, r.c).Attachments; got != r.label.Expected.Attachments {
			t.Errorf("%s: Result.Attachments = %d, want %d", r.label.File, got, r.label.Expected.Attachments)
		}
	}
}

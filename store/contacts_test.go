package store

import (
	"context"
	"strings"
	"testing"

	"switchboard/workflows"
)

// TestQueuesHideLeaderAddresses: a message from a group leader's private
// address shows as "leader of group N" in both queue listings (DESIGN.md
// invariant 4).
func TestQueuesHideLeaderAddresses(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	csv := "id,name,city,state,zip,district,latitude,longitude,public_email,website,twitter,facebook,leader_name,leader_email,status,updated\n" +
		"7,Austin Listens,Austin,TX,78701,,,,listens@example.org,,,,Quinn,quinn.private@example.net,active,2026-01-02\n"
	if _, err := s.ImportGroups(ctx, strings.NewReader(csv), "t.csv", "test"); err != nil {
		t.Fatal(err)
	}
	_, messageID := newRequest(t, s, "leader-reply@example.net")
	in := &workflows.Inbound{From: workflows.Address{Address: "Quinn.Private@example.net"}, MessageID: "leader-reply@example.net"}
	if err := s.SaveParsed(ctx, messageID, in, nil); err != nil {
		t.Fatal(err)
	}
	reqs, err := s.Requests(ctx, RequestFilter{})
	if err != nil {
		t.Fatal(err)
	}
	items, err := s.Queue(ctx, QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 1 || len(items) != 1 {
		t.Fatalf("%d requests, %d queue items; want 1 each", len(reqs), len(items))
	}
	for name, from := range map[string]string{"Requests": reqs[0].From, "Queue": items[0].From} {
		if from != "leader of group 7" {
			t.Errorf("%s shows From %q, want \"leader of group 7\"", name, from)
		}
	}
}

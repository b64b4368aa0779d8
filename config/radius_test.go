package config

import (
	"strings"
	"testing"
)

func TestListRadiusMiles(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.ListRadiusMiles != 25 {
		t.Errorf("default ListRadiusMiles = %g, want 25", c.ListRadiusMiles)
	}
	c, err = Load(env(map[string]string{"SWITCHBOARD_LIST_RADIUS_MILES": "12.5"}))
	if err != nil || c.ListRadiusMiles != 12.5 {
		t.Errorf("ListRadiusMiles = %g, %v; want 12.5", c.ListRadiusMiles, err)
	}
	var b strings.Builder
	if err := c.Dump(&b); err != nil || !strings.Contains(b.String(), "SWITCHBOARD_LIST_RADIUS_MILES=12.5\n") {
		t.Errorf("Dump does not print the radius (%v):\n%s", err, b.String())
	}
	for _, bad := range []string{"0", "-5", "far", "151", "NaN"} {
		_, err := Load(env(map[string]string{"SWITCHBOARD_LIST_RADIUS_MILES": bad}))
		if err == nil || !strings.Contains(err.Error(), "SWITCHBOARD_LIST_RADIUS_MILES") {
			t.Errorf("radius %q: error %v, want one naming the variable", bad, err)
		}
	}
}

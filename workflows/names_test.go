package workflows

import "testing"

func TestGreetingName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Maribel Ortega", "Maribel Ortega"},
		{"Whitaker, Lorraine", "Lorraine Whitaker"},
		{`"Okafor, Daniel"`, "Daniel Okafor"},
		{"O'Neil, Mary Kate", "Mary Kate O'Neil"},
		{"Martin Luther King, Jr.", "Martin Luther King, Jr."},
		{"Acme Tenants, Inc", "Acme Tenants, Inc"},
		{"l.okonkwo@example.org", ""},
		{"", ""},
		{"  José   Núñez ", "José Núñez"},
	}
	for _, tt := range tests {
		if got := GreetingName(Address{Name: tt.in}); got != tt.want {
			t.Errorf("GreetingName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

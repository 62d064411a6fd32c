package vault

import "testing"

func TestContains(t *testing.T) {
	tests := []struct {
		dir, inner string
		want       bool
	}{
		{"/d/rehearse", "/d/rehearse/models", true},
		{"/d/rehearse", "/d/rehearse", true},
		{"/d/rehearse/config", "/d/rehearse/models", false},
		{"/d/rehearse-old", "/d/rehearse/models", false},
		{"/d", "/d/rehearse/models", true},
	}
	for _, tc := range tests {
		if got := contains(tc.dir, tc.inner); got != tc.want {
			t.Errorf("contains(%q, %q) = %v, want %v", tc.dir, tc.inner, got, tc.want)
		}
	}
}

package langenv

import (
	"os"
	"testing"
)

func TestNormalise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"C", "en_US.UTF-8"},
		{"C.UTF-8", "en_US.UTF-8"},
		{"POSIX", "en_US.UTF-8"},
		{"de_DE.UTF-8", "de_DE.UTF-8"},
		{"en_GB", "en_GB"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Setenv("LANG", tc.in)
			t.Setenv("LC_ALL", tc.in)
			normalise()
			if got := os.Getenv("LANG"); got != tc.want {
				t.Fatalf("LANG = %q, want %q", got, tc.want)
			}
			if got := os.Getenv("LC_ALL"); got != tc.want {
				t.Fatalf("LC_ALL = %q, want %q", got, tc.want)
			}
		})
	}
}

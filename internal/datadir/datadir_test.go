package datadir

import (
	"path/filepath"
	"runtime"
	"testing"
)

func TestResolve(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG layout is Linux-only")
	}
	home := t.TempDir()
	tests := []struct {
		name               string
		env                map[string]string
		override           string
		wantData, wantConf string
	}{
		{"home only", map[string]string{"HOME": home, "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": ""}, "",
			filepath.Join(home, ".local/share/rehearse"), filepath.Join(home, ".config/rehearse")},
		{"xdg", map[string]string{"HOME": home, "XDG_DATA_HOME": "/x/data", "XDG_CONFIG_HOME": "/x/conf", "XDG_CACHE_HOME": "/x/cache"}, "",
			"/x/data/rehearse", "/x/conf/rehearse"},
		{"override", map[string]string{"HOME": home}, "/o", "/o", "/o/config"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			l, err := Resolve(tc.override)
			if err != nil {
				t.Fatal(err)
			}
			if l.Data != tc.wantData || l.Config != tc.wantConf {
				t.Fatalf("got data %q config %q, want %q %q", l.Data, l.Config, tc.wantData, tc.wantConf)
			}
			if l.Models != filepath.Join(l.Data, "models") {
				t.Fatalf("models %q not under data", l.Models)
			}
		})
	}
}

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

func TestSeparate(t *testing.T) {
	tests := []struct {
		name string
		in   Layout
		want Layout
	}{
		{"macOS: config is the data folder",
			Layout{Data: "/A/rehearse", Config: "/A/rehearse", Cache: "/C/rehearse", Models: "/A/rehearse/models"},
			Layout{Data: "/A/rehearse", Config: "/A/rehearse/config", Cache: "/C/rehearse", Models: "/A/rehearse/models"}},
		{"Windows: cache is the data folder",
			Layout{Data: `/L/rehearse`, Config: "/R/rehearse", Cache: "/L/rehearse/", Models: "/L/rehearse/models"},
			Layout{Data: `/L/rehearse`, Config: "/R/rehearse", Cache: "/L/rehearse/cache", Models: "/L/rehearse/models"}},
		{"Linux: all apart",
			Layout{Data: "/d/rehearse", Config: "/c/rehearse", Cache: "/k/rehearse", Models: "/d/rehearse/models"},
			Layout{Data: "/d/rehearse", Config: "/c/rehearse", Cache: "/k/rehearse", Models: "/d/rehearse/models"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := separate(tc.in)
			if got != tc.want {
				t.Fatalf("separate = %+v, want %+v", got, tc.want)
			}
			for _, p := range []string{got.Config, got.Cache} {
				if samePath(p, got.Data) || samePath(p, got.Models) {
					t.Fatalf("%q would be cleared together with the data or models", p)
				}
			}
		})
	}
}

package vault

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/datadir"
)

// TestWipeLeavesNothingOfRehearse: in a new home folder, the platform
// layout, the window toolkit's folder for Rehearse, the files it added to
// the shared folders and the folders made to hold them all go; what the
// user had before, and files the list does not name, stay.
func TestWipeLeavesNothingOfRehearse(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"} {
		t.Setenv(v, "")
	}
	// The user's own file, in a folder that existed before Rehearse.
	mine := filepath.Join(home, ".config", "editor", "settings")
	os.MkdirAll(filepath.Dir(mine), 0o700)
	os.WriteFile(mine, []byte("mine"), 0o600)

	l, err := datadir.Resolve("")
	if err != nil {
		t.Fatal(err)
	}
	before := datadir.Snapshot()
	ans := &answers{byKind: map[PromptKind]string{AskNew: "a home of its own", AskUnlock: "a home of its own"}}
	v := New(Options{Layout: l, Open: openSQLCipher, Ask: ans.ask, KDF: testKDF})
	s, err := v.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addSession(t, s, "x", "y")
	s.Close()
	// What the window toolkit writes: its folder for the app, with the
	// preferences that name folders, a shared folder for all its apps, and
	// a font index in the cache folder.
	app := filepath.Join(home, ".config", "fyne", "app.rehearse")
	os.MkdirAll(app, 0o700)
	os.WriteFile(filepath.Join(app, "preferences.json"), []byte(`{"fyne:fileDialogLastFolder":"file:///home/sam/Job hunt"}`), 0o600)
	os.WriteFile(filepath.Join(home, ".cache", "font_index_v5.cache"), []byte("fonts"), 0o600)
	created := l.NewSince(before)
	for _, want := range []string{filepath.Join(home, ".cache", "font_index_v5.cache"), filepath.Join(home, ".config", "fyne")} {
		found := false
		for _, c := range created {
			found = found || c == want
		}
		if !found {
			t.Fatalf("NewSince %v misses %s", created, want)
		}
	}
	if err := l.RememberOutside(datadir.Outside{AppFolder: app, Created: created}); err != nil {
		t.Fatal(err)
	}
	// A file that appears later and is not on the list stays.
	later := filepath.Join(home, ".cache", "another-app.db")
	os.WriteFile(later, []byte("other"), 0o600)

	rep, err := v.Wipe(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(listTree(t, home), " ")
	if want := "./ .cache/ .cache/another-app.db .config/ .config/editor/ .config/editor/settings"; got != want {
		t.Fatalf("left after wipe:\n%s\nwant\n%s\n(report %+v)", got, want, rep)
	}
}

// TestWipeOutsideListCannotPointElsewhere: a changed list naming folders
// outside the shared cache and config folders deletes nothing there.
func TestWipeOutsideListCannotPointElsewhere(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"} {
		t.Setenv(v, "")
	}
	docs := filepath.Join(home, "Documents", "cv.odt")
	os.MkdirAll(filepath.Dir(docs), 0o700)
	os.WriteFile(docs, []byte("cv"), 0o600)
	l, err := datadir.Resolve("")
	if err != nil {
		t.Fatal(err)
	}
	ans := &answers{byKind: map[PromptKind]string{AskNew: "a home of its own", AskUnlock: "a home of its own"}}
	v := New(Options{Layout: l, Open: openSQLCipher, Ask: ans.ask, KDF: testKDF})
	s, err := v.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := l.RememberOutside(datadir.Outside{AppFolder: filepath.Join(home, "Documents"), Created: []string{docs, home}}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Wipe(ctx, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(docs); err != nil {
		t.Fatalf("a changed list deleted the user's file: %v", err)
	}
}

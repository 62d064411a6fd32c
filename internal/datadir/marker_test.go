package datadir

import (
	"os"
	"path/filepath"
	"testing"
)

func TestKnown(t *testing.T) {
	l, err := Resolve("/d")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dir, name string
		want      bool
	}{
		{l.Data, "rehearse.db", true},
		{l.Data, "rehearse.db-wal", true},
		{l.Data, "rehearse.lock", true},
		{l.Data, "rehearse.db.damaged-20260101-101010", true},
		{l.Data, "rehearse.db.set-aside-20260101-101010", true},
		{l.Data, MarkerName, true},
		{l.Data, "..rehearse-folder.tmp-123", true},
		{l.Data, "cv.txt", false},
		{l.Data, "key.json", false}, // only in the config folder
		{l.Data, "rehearse.dbx", false},
		{l.Config, "key.json", true},
		{l.Config, ".key.json.tmp-99", true},
		{l.Config, "key-20260101-101010.json.old", true},
		{l.Config, "settings.json", false},
		{l.Config, ".settings.json.tmp-1", false},
		{l.Cache, "thumb", false},
		{l.Models, "ggml-tiny.en.bin", true},
		{l.Models, "ggml-tiny.en.bin.part", true},
		{l.Models, "models.json", true},
		{l.Models, "my-model.bin", false},
	}
	for _, tc := range tests {
		if got := l.Known(tc.dir, tc.name); got != tc.want {
			t.Errorf("Known(%s, %s) = %v, want %v", tc.dir, tc.name, got, tc.want)
		}
	}
}

func TestEnsureMarksFolders(t *testing.T) {
	root := t.TempDir()
	mine := filepath.Join(root, "mine")
	os.MkdirAll(mine, 0o700)
	l, _ := Resolve(mine)
	if err := l.Ensure(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir     string
		created bool
	}{{l.Data, false}, {l.Config, true}, {l.Cache, true}, {l.Models, true}} {
		m, ok, err := ReadMarker(tc.dir)
		if err != nil || !ok || m.Created != tc.created {
			t.Errorf("%s: marker %+v ok=%v err=%v, want created=%v", tc.dir, m, ok, err, tc.created)
		}
	}
	// A new data folder made only as the parent of the others is Rehearse's.
	l2, _ := Resolve(filepath.Join(root, "new"))
	l2.Ensure()
	if m, ok, _ := ReadMarker(l2.Data); !ok || !m.Created {
		t.Errorf("new data folder: %+v %v", m, ok)
	}
}

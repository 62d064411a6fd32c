package practice

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestExportsRecordedAndDeletedOnlyUnchanged: an export is remembered in
// the store with its checksum; deleting exports removes only the files
// still exactly as Rehearse wrote them.
func TestExportsRecordedAndDeletedOnlyUnchanged(t *testing.T) {
	ctx := context.Background()
	s := newService(t, Config{})
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordExport(ctx, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	same := write("same.json", `{"a":1}`)
	edited := write("edited.md", "# export")
	moved := write("moved.json", `{"b":2}`)
	again := write("again.json", "first")
	write("again.json", "second") // a second export to the same path replaces the entry

	if err := os.WriteFile(edited, []byte("# export, with my notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(moved, filepath.Join(dir, "elsewhere.json")); err != nil {
		t.Fatal(err)
	}
	list, err := s.Exports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{same: ExportUnchanged, edited: ExportChanged, moved: ExportGone, again: ExportUnchanged}
	if len(list) != len(want) {
		t.Fatalf("recorded %d exports, want %d: %+v", len(list), len(want), list)
	}
	for _, f := range list {
		if want[f.Path] != f.State {
			t.Errorf("%s: state %q, want %q", f.Path, f.State, want[f.Path])
		}
	}

	deleted, err := DeleteExports(list)
	if err != nil {
		t.Fatal(err)
	}
	if len(deleted) != 2 {
		t.Fatalf("deleted %v, want %s and %s", deleted, same, again)
	}
	for _, p := range []string{same, again} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", p, err)
		}
	}
	for _, p := range []string{edited, filepath.Join(dir, "elsewhere.json")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s, which the user changed or moved, was deleted: %v", p, err)
		}
	}
}

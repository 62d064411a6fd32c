package ui

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/rehearse-app/rehearse/internal/practice"
)

// exportList is the list of exports as the practice core keeps it:
// checksums recorded at export time, states worked out on each call.
type exportList struct{ files []ExportedFile }

func digest(path string) (string, int64) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", -1
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), int64(len(b))
}

func (e *exportList) Exports(context.Context) ([]ExportedFile, error) {
	out := append([]ExportedFile(nil), e.files...)
	for i := range out {
		sum, size := digest(out[i].Path)
		switch {
		case size < 0:
			out[i].State = practice.ExportGone
		case sum == out[i].SHA256 && size == out[i].Size:
			out[i].State = ExportUnchanged
		default:
			out[i].State = ExportChanged
		}
	}
	return out, nil
}

// record is an export as written: its checksum now.
func record(t *testing.T, path, text string) ExportedFile {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	sum, size := digest(path)
	return ExportedFile{Path: path, SHA256: sum, Size: size}
}

// TestDeleteEverythingOffersExports: Delete everything lists the exports
// Rehearse wrote, deletes the unchanged ones only when ticked, and never
// the one the user changed since.
func TestDeleteEverythingOffersExports(t *testing.T) {
	for _, tick := range []bool{false, true} {
		dir := t.TempDir()
		ours := filepath.Join(dir, "rehearse-export-2026-12-01.json")
		edited := filepath.Join(dir, "rehearse-export-2026-11-20.md")
		ex := &exportList{files: []ExportedFile{record(t, ours, `{"sessions":[]}`), record(t, edited, "# export")}}
		os.WriteFile(edited, []byte("# export, with my notes added"), 0o600) // the user's now
		f := newFake()
		seed(t, f, "Backend engineer")
		h := newHarness(t, f, func(d *Deps) { d.Exports = ex })
		h.tap("Privacy")
		h.tap("Delete everything…")
		h.mustShow("Also delete the 1 export file(s) Rehearse saved, unchanged since:")
		h.mustShow("• " + ours)
		h.mustShow("Kept in any case, because they changed since Rehearse saved them:")
		h.mustShow("• " + edited)
		if tick {
			h.check("Also delete the 1 export file(s)")
		}
		h.tap("Delete everything")
		h.settle()
		_, err := os.Stat(ours)
		if gone := os.IsNotExist(err); gone != tick {
			t.Fatalf("ticked %v: the unchanged export gone = %v", tick, gone)
		}
		if _, err := os.Stat(edited); err != nil {
			t.Fatalf("the export the user changed was deleted: %v", err)
		}
		if tick {
			h.mustShow("and 1 export file(s) Rehearse saved")
		}
	}
}

// TestDeleteEverythingExportsScreenshot is the dialog with exports listed.
func TestDeleteEverythingExportsScreenshot(t *testing.T) {
	t.Setenv("HOME", "/home/sam")
	f := newFake()
	seed(t, f, "Data engineer", "Product manager")
	ex := &exportList{files: []ExportedFile{
		{Path: "/home/sam/Documents/rehearse-export-2026-12-01.json"},
		{Path: "/home/sam/Documents/rehearse-export-2026-11-20.md"}}}
	h := newHarness(t, f, func(d *Deps) { d.Exports = fixedExports{ex.files} })
	h.tap("Privacy")
	h.tap("Delete everything…")
	h.mustShow("Kept in any case")
	compareGolden(t, "delete-everything-exports", h.capture())
}

// fixedExports gives the first file as unchanged and the rest as changed.
type fixedExports struct{ files []ExportedFile }

func (e fixedExports) Exports(context.Context) ([]ExportedFile, error) {
	out := append([]ExportedFile(nil), e.files...)
	for i := range out {
		out[i].State = ExportChanged
	}
	out[0].State = ExportUnchanged
	return out, nil
}

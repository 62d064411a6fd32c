package models

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every catalogue model is described in words, without the weight format
// of its file name.
func TestDescribe(t *testing.T) {
	for _, tc := range []struct{ name, title, acc string }{
		{"base.en", "Base, English", "Clearly better than the Tiny model"},
		{"tiny.en", "Tiny, English", "The least accurate"},
		{"small", "Small, many languages", "a little less accurate than the English-only Small model"},
		{"base.en-q5_1", "Base, English, compressed further", "slightly less accurate"},
		{"small.en-q8_0", "Small, English, compressed", "almost no loss of accuracy"},
		{"my-own", "my-own", "a model you imported"},
	} {
		d := Describe(tc.name)
		if d.Title != tc.title || !strings.Contains(d.Accuracy, tc.acc) {
			t.Errorf("Describe(%q) = %+v, want title %q and accuracy with %q", tc.name, d, tc.title, tc.acc)
		}
	}
	for _, e := range Catalogue() {
		d := Describe(e.Name)
		for _, jargon := range []string{"q5_1", "q8_0", "f16", "ggml", ".en"} {
			if strings.Contains(d.Title+d.Accuracy, jargon) {
				t.Errorf("%s: %+v says %q", e.Name, d, jargon)
			}
		}
	}
}

// A download that matched its published checksum is verified; a file
// imported under a name with no published checksum was checked (header
// and tensors), not verified; a file placed by hand was not checked.
func TestTrust(t *testing.T) {
	b := micro(t)
	srv := newServer(t, map[string][]byte{"ggml-micro.bin": b})
	m := testManager(t, srv, microEntry(t, "micro"))
	md, err := m.Download(context.Background(), "micro", nil)
	if err != nil {
		t.Fatal(err)
	}
	if md.Trust != TrustVerified {
		t.Errorf("download: trust %q", md.Trust)
	}
	src := filepath.Join(t.TempDir(), "ggml-mine.bin")
	if err := os.WriteFile(src, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if md, err = m.Import(src, ""); err != nil || md.Trust != TrustChecked {
		t.Errorf("import: trust %q, %v", md.Trust, err)
	}
	if err := os.WriteFile(m.Path("by-hand"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if md, err = m.Find("by-hand"); err != nil || md.Trust != TrustUnchecked {
		t.Errorf("by hand: trust %q, %v", md.Trust, err)
	}
}

// A download cancelled half-way is continued by the next run of the app
// (a new manager on the same folder) from where it stopped, with an HTTP
// Range request, and the file is whole.
func TestDownloadResumesAfterCancelAndRestart(t *testing.T) {
	b := micro(t)
	srv := newServer(t, map[string][]byte{"ggml-micro.bin": b})
	srv.hold = make(chan struct{})
	m := testManager(t, srv, microEntry(t, "micro"))
	ctx, cancel := context.WithCancel(context.Background())
	_, err := m.Download(ctx, "micro", func(done, total int64) {
		if done > 0 {
			cancel()
		}
	})
	cancel()
	close(srv.hold)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled download: %v", err)
	}
	kept, err := fileSize(m.Path("micro") + ".part")
	if err != nil || kept == 0 || kept >= int64(len(b)) {
		t.Fatalf("partial file %d bytes, %v", kept, err)
	}
	srv.mu.Lock()
	srv.hold = nil
	srv.mu.Unlock()

	again := &Manager{Dir: m.Dir, BaseURL: m.BaseURL, Entries: m.Entries}
	list, err := again.List()
	if err != nil || list[0].Partial != kept {
		t.Fatalf("the next run does not see the %d bytes kept: %+v %v", kept, list, err)
	}
	var first int64 = -1
	md, err := again.Download(context.Background(), "micro", func(done, total int64) {
		if first < 0 {
			first = done
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if md.SHA1 != sum(b) {
		t.Error("the resumed file differs from the served one")
	}
	ranges := srv.seenRanges()
	if want := fmt.Sprintf("bytes=%d-", kept); ranges[len(ranges)-1] != want {
		t.Errorf("Range headers %q, want the last to be %q", ranges, want)
	}
	if first <= kept {
		t.Errorf("first progress after resuming %d, want past the %d bytes kept", first, kept)
	}
}

// The free space is that of the file system holding the models folder,
// also before the folder exists.
func TestFreeSpace(t *testing.T) {
	m := &Manager{Dir: filepath.Join(t.TempDir(), "not", "yet", "models")}
	free, err := m.FreeSpace()
	if err != nil || free <= 0 {
		t.Fatalf("free space %d, %v", free, err)
	}
}

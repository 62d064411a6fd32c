//go:build whisper

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/container"

	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/local"
	"github.com/rehearse-app/rehearse/internal/models"
	"github.com/rehearse-app/rehearse/internal/soundcheck"
)

// modelServer serves one model file. Its first response stops half-way
// and stalls until the client goes away (as a slow connection that the
// user cancels); later ones honour HTTP Range.
type modelServer struct {
	*httptest.Server
	mu     sync.Mutex
	calls  int
	ranges []string
}

func newModelServer(t *testing.T, name string, b []byte) *modelServer {
	s := &modelServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/"+models.FileName(name) {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		s.calls++
		first := s.calls == 1
		s.ranges = append(s.ranges, r.Header.Get("Range"))
		s.mu.Unlock()
		if first {
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			w.WriteHeader(http.StatusOK)
			w.Write(b[:len(b)/2])
			w.(http.Flusher).Flush()
			<-r.Context().Done()
			return
		}
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
	}))
	t.Cleanup(s.Close)
	return s
}

func mib(n int) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// TestGUIFirstRunModelOffer drives the first run's model offer on the real
// wiring: the speed self-test with whisper.cpp chooses the model, one click
// downloads it from a local server, Cancel keeps what arrived, the next
// start of the app resumes it with an HTTP Range request, the first run
// ends with the sound check, and an imported model without a published
// checksum is called checked, not verified.
func TestGUIFirstRunModelOffer(t *testing.T) {
	if !inGUIChild() {
		runGUIChild(t)
		return
	}
	isolate(t)
	var buf bytes.Buffer
	if err := ggml.WriteSynthetic(&buf, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	sum := sha256.Sum256(b)
	srv := newModelServer(t, "tiny.en", b)
	entries := []models.Entry{{Name: "tiny.en", Size: int64(len(b)), SHA256: hex.EncodeToString(sum[:]), English: true}}
	prep := func(w *local.Window) { w.Models().BaseURL, w.Models().Entries = srv.URL, entries }
	g := cli.Global{DataDir: filepath.Join(t.TempDir(), "data"), PassphraseFile: passFile(t, "a good long passphrase\n")}

	h := openGUIWith(t, g, prep)
	s := h.waitShow("Welcome to Rehearse", "Recommended for this computer: Tiny, English", "Speed here (measured): a minute of speech takes about",
		"Costs "+mib(len(b))+" of disk space", "published checksum")
	t.Logf("the offer:\n%s", s)
	h.tap("Download Tiny, English (" + mib(len(b)) + ")")
	h.waitShow(" of "+mib(len(b)), "[Cancel]")
	h.tap("Cancel")
	h.waitShow("Paused with", "It continues where it stopped, now or after Rehearse restarts.", "[Resume download (")
	part := h.wiring.Models().Path("tiny.en") + ".part"
	fi, err := os.Stat(part)
	if err != nil || fi.Size() == 0 || fi.Size() >= int64(len(b)) {
		t.Fatalf("after Cancel the partial download is %v, %v", fi, err)
	}
	kept := fi.Size()
	h.close()

	// The next start of the app offers to resume, and does, with Range.
	h = openGUIWith(t, g, prep)
	h.waitShow("Welcome to Rehearse", "[Resume download ("+mib(int(kept))+" of "+mib(len(b))+" here)]")
	h.tap("Resume download")
	h.waitShow("Tiny, English is ready: installed and in use", "verified: the file matches its published checksum")
	srv.mu.Lock()
	ranges := append([]string(nil), srv.ranges...)
	srv.mu.Unlock()
	if want := fmt.Sprintf("bytes=%d-", kept); len(ranges) != 2 || ranges[1] != want {
		t.Fatalf("requests with Range %q, want none and then %q", ranges, want)
	}
	md, err := h.wiring.Models().Active()
	if err != nil || md.Name != "tiny.en" || md.Trust != models.TrustVerified {
		t.Fatalf("model in use %+v, %v", md, err)
	}

	// With a model in place, the first run ends with the sound check.
	h.tap("Start practising")
	h.waitShow("One last step: a sound check", soundcheck.Sentence, "[Record]")
	h.tap("Skip")
	h.waitShow("Recent sessions")

	// A model file imported from disk has no published checksum: checked.
	own := filepath.Join(t.TempDir(), "ggml-my-model.bin")
	if err := os.WriteFile(own, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := h.deps.Models.Import(context.Background(), own); err != nil {
		t.Fatal(err)
	}
	h.tap("Settings")
	h.waitShow("General")
	h.act(func() {
		for _, o := range h.objects() {
			if tabs, ok := o.(*container.AppTabs); ok {
				tabs.SelectIndex(2)
			}
		}
	})
	s = h.waitShow("my-model", "Installed — checked: a whole, readable model file (no published checksum to compare it with).")
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, "A model you imported") && strings.Contains(line, "verified") {
			t.Errorf("an imported model is called verified: %q", line)
		}
	}
}

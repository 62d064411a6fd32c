package local

import (
	"bytes"
	"context"
	"crypto/sha1"
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

	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/models"
)

// TestModelsDownloadResumes runs `rehearse models download` against a local
// server that drops the connection half-way, then again: the second run
// resumes with an HTTP Range request and installs the verified model.
func TestModelsDownloadResumes(t *testing.T) {
	var model bytes.Buffer
	if err := ggml.WriteSynthetic(&model, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	data := model.Bytes()
	sum := sha1.Sum(data)
	var mu sync.Mutex
	var ranges []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ranges = append(ranges, r.Header.Get("Range"))
		first := len(ranges) == 1
		mu.Unlock()
		if r.URL.Path != "/ggml-micro.bin" {
			http.NotFound(w, r)
			return
		}
		start := 0
		if rg := r.Header.Get("Range"); rg != "" {
			start, _ = strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(rg, "bytes="), "-"))
			w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, len(data)-1, len(data)))
			w.Header().Set("Content-Length", strconv.Itoa(len(data)-start))
			w.WriteHeader(http.StatusPartialContent)
		} else {
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		}
		if first {
			w.Write(data[:len(data)/3])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		w.Write(data[start:])
	}))
	defer srv.Close()

	deps := &cli.Deps{Models: Models{BaseURL: srv.URL, Entries: []models.Entry{{
		Name: "micro", Size: int64(len(data)), SHA1: hex.EncodeToString(sum[:]), English: true, AudioLayers: 1, Weights: "f16",
	}}}}
	dir := t.TempDir()
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := cli.Main(context.Background(), append([]string{"--data-dir", dir}, args...), strings.NewReader(""), &out, &errb, deps)
		return code, out.String(), errb.String()
	}
	code, out, errOut := run("models", "download", "--yes", "micro")
	t.Logf("first run: exit %d\n%s%s", code, out, errOut)
	if code != 1 || !strings.Contains(errOut, "interrupted") {
		t.Fatalf("first run: exit %d, %q", code, errOut)
	}
	code, out, _ = run("models", "list")
	t.Logf("after the cut:\n%s", out)
	if code != 0 || !strings.Contains(out, "partly downloaded") {
		t.Errorf("list does not show the partial download")
	}
	code, out, errOut = run("models", "download", "--yes", "micro")
	t.Logf("second run: exit %d\n%s%s", code, out, errOut)
	if code != 0 || !strings.Contains(out, "installed micro") || !strings.Contains(errOut, "Resuming") {
		t.Fatalf("second run: exit %d, %q %q", code, out, errOut)
	}
	mu.Lock()
	t.Logf("Range headers seen by the server: %q", ranges)
	if len(ranges) != 2 || ranges[0] != "" || !strings.HasPrefix(ranges[1], "bytes=") {
		t.Errorf("Range headers %q", ranges)
	}
	mu.Unlock()
	code, out, _ = run("models", "list")
	t.Logf("after the resume:\n%s", out)
	if code != 0 || !strings.Contains(out, "* micro") || !strings.Contains(out, "SHA-1 verified") {
		t.Errorf("list after install: %d\n%s", code, out)
	}
	_, out, _ = run("doctor")
	t.Logf("doctor:\n%s", out)
	if !strings.Contains(out, "micro (") || !strings.Contains(out, "bytes sent") {
		t.Errorf("doctor: %s", out)
	}
}

// TestModelsUseUnknownListsInstalled asks to use a model that is not
// installed: the answer names the installed ones instead of claiming that
// none is installed.
func TestModelsUseUnknownListsInstalled(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "ggml-mine.bin")
	var model bytes.Buffer
	if err := ggml.WriteSynthetic(&model, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, model.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	deps := &cli.Deps{Models: Models{}}
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := cli.Main(context.Background(), append([]string{"--data-dir", dir}, args...), strings.NewReader(""), &out, &errb, deps)
		return code, out.String(), errb.String()
	}
	code, _, errOut := run("models", "use", "base.en")
	t.Logf("none installed: exit %d: %s", code, errOut)
	if code != 1 || !strings.Contains(errOut, "no model is installed yet") || !strings.Contains(errOut, "models download base.en") {
		t.Errorf("use with none installed: exit %d, %q", code, errOut)
	}
	if code, out, errOut := run("models", "import", file, "--name", "mine"); code != 0 {
		t.Fatalf("import: exit %d %s%s", code, out, errOut)
	}
	code, _, errOut = run("models", "use", "nothere")
	t.Logf("one installed: exit %d: %s", code, errOut)
	if code != 1 || !strings.Contains(errOut, `model "nothere" is not installed; installed: mine`) || strings.Contains(errOut, "no speech model is installed") {
		t.Errorf("use of an unknown model: exit %d, %q", code, errOut)
	}
	if code, out, errOut := run("models", "use", "mine"); code != 0 || !strings.Contains(out, "transcribing with mine") {
		t.Errorf("use mine: exit %d %s%s", code, out, errOut)
	}
}

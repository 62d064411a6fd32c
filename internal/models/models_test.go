package models

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

var (
	modelOnce  sync.Once
	modelBytes []byte
)

// micro is a generated whisper.cpp model (about 8 MB) the test server serves.
func micro(t *testing.T) []byte {
	t.Helper()
	modelOnce.Do(func() {
		var b bytes.Buffer
		if err := ggml.WriteSynthetic(&b, ggmltest.Micro); err != nil {
			panic(err)
		}
		modelBytes = b.Bytes()
	})
	return modelBytes
}

func sum(b []byte) string {
	s := sha1.Sum(b)
	return hex.EncodeToString(s[:])
}

// server serves files by name with HTTP Range support and records the
// requests. cutFirst makes the first response stop half-way (connection
// closed); status forces an error status.
type server struct {
	*httptest.Server
	mu       sync.Mutex
	files    map[string][]byte
	ranges   []string
	cutFirst bool
	status   int
	hold     chan struct{} // when set, the body stalls after half until closed
	requests int
}

func newServer(t *testing.T, files map[string][]byte) *server {
	s := &server{files: files}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	first := s.requests == 1
	s.ranges = append(s.ranges, r.Header.Get("Range"))
	data, ok := s.files[strings.TrimPrefix(r.URL.Path, "/")]
	status, cut, hold := s.status, s.cutFirst && first, s.hold
	s.mu.Unlock()
	if status != 0 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	start := 0
	if rg := r.Header.Get("Range"); rg != "" {
		v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(rg, "bytes="), "-"))
		if err != nil || v > len(data) {
			w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
			return
		}
		start = v
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, len(data)-1, len(data)))
		w.Header().Set("Content-Length", strconv.Itoa(len(data)-start))
		w.WriteHeader(http.StatusPartialContent)
	} else {
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
	}
	body := data[start:]
	if cut || hold != nil {
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		if hold != nil {
			select {
			case <-hold:
			case <-r.Context().Done():
			}
		}
		panic(http.ErrAbortHandler) // close the connection mid-body
	}
	w.Write(body)
}

func (s *server) seenRanges() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ranges...)
}

func testManager(t *testing.T, srv *server, entries ...Entry) *Manager {
	return &Manager{Dir: filepath.Join(t.TempDir(), "models"), BaseURL: srv.URL, Entries: entries}
}

func microEntry(t *testing.T, name string) Entry {
	b := micro(t)
	return Entry{Name: name, Size: int64(len(b)), SHA1: sum(b), English: true, AudioLayers: 1, Weights: "f16"}
}

func TestDownload(t *testing.T) {
	b := micro(t)
	srv := newServer(t, map[string][]byte{"ggml-micro.bin": b})
	m := testManager(t, srv, microEntry(t, "micro"))
	sent0, recv0 := NetworkBytes()
	var last [2]int64
	calls := 0
	md, err := m.Download(context.Background(), "micro", func(done, total int64) { last = [2]int64{done, total}; calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if !md.Installed || md.Checksum != StateVerified || !md.ChecksumOK || md.Size != int64(len(b)) || md.SHA1 != sum(b) {
		t.Errorf("model %+v", md)
	}
	if last != [2]int64{int64(len(b)), int64(len(b))} || calls == 0 {
		t.Errorf("last progress %v after %d calls", last, calls)
	}
	got, err := os.ReadFile(m.Path("micro"))
	if err != nil || !bytes.Equal(got, b) {
		t.Fatalf("installed file differs (%v)", err)
	}
	if _, err := os.Stat(m.Path("micro") + ".part"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".part left behind: %v", err)
	}
	sent1, recv1 := NetworkBytes()
	if sent1-sent0 < 50 || recv1-recv0 < int64(len(b)) {
		t.Errorf("network counters moved by sent %d received %d for a %d-byte model", sent1-sent0, recv1-recv0, len(b))
	}
	log, err := m.NetworkLog()
	if err != nil || len(log) != 1 || log[0].Model != "micro" || !log[0].Complete || log[0].Received < int64(len(b)) || log[0].Sent == 0 {
		t.Errorf("network log %+v, %v", log, err)
	}
	act, err := m.Active()
	if err != nil || act.Name != "micro" {
		t.Errorf("active %+v %v", act, err)
	}
	// Already installed: no second request.
	if _, err := m.Download(context.Background(), "micro", nil); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.seenRanges()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestDownloadResumes(t *testing.T) {
	b := micro(t)
	srv := newServer(t, map[string][]byte{"ggml-micro.bin": b})
	srv.cutFirst = true
	m := testManager(t, srv, microEntry(t, "micro"))
	_, err := m.Download(context.Background(), "micro", nil)
	if !errors.Is(err, ErrInterrupted) || !strings.Contains(err.Error(), "resume") {
		t.Fatalf("first attempt: %v", err)
	}
	fi, err := os.Stat(m.Path("micro") + ".part")
	if err != nil || fi.Size() == 0 || fi.Size() >= int64(len(b)) {
		t.Fatalf("partial file after the cut: %v %v", fi, err)
	}
	list, _ := m.List()
	if list[0].Partial != fi.Size() || list[0].Installed {
		t.Errorf("list after cut %+v", list[0])
	}
	if _, err := m.Active(); !errors.Is(err, rehearse.ErrNoModel) {
		t.Errorf("active with a partial download: %v", err)
	}
	md, err := m.Download(context.Background(), "micro", nil)
	if err != nil {
		t.Fatal(err)
	}
	if md.SHA1 != sum(b) {
		t.Error("resumed file differs")
	}
	ranges := srv.seenRanges()
	if len(ranges) != 2 || ranges[0] != "" || ranges[1] != fmt.Sprintf("bytes=%d-", fi.Size()) {
		t.Errorf("Range headers %q, want none then bytes=%d-", ranges, fi.Size())
	}
	log, _ := m.NetworkLog()
	if len(log) != 2 || log[0].Complete || !log[1].Complete || log[1].Resumed != fi.Size() {
		t.Errorf("network log %+v", log)
	}
	if log[1].Received >= int64(len(b)) {
		t.Errorf("resumed attempt received %d bytes, the whole file is %d", log[1].Received, len(b))
	}
}

func TestDownloadChecksumMismatch(t *testing.T) {
	b := micro(t)
	srv := newServer(t, map[string][]byte{"ggml-micro.bin": b})
	e := microEntry(t, "micro")
	e.SHA1 = strings.Repeat("0", 40)
	m := testManager(t, srv, e)
	_, err := m.Download(context.Background(), "micro", nil)
	if !errors.Is(err, rehearse.ErrChecksum) {
		t.Fatalf("err = %v", err)
	}
	for _, p := range []string{m.Path("micro"), m.Path("micro") + ".part"} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists after a checksum mismatch", p)
		}
	}
}

func TestDownloadTruncatedModel(t *testing.T) {
	b := micro(t)
	short := b[:len(b)*3/4]
	srv := newServer(t, map[string][]byte{"ggml-micro-q.bin": short})
	e := microEntry(t, "micro-q")
	e.SHA1 = "" // no published checksum: size and header decide
	m := testManager(t, srv, e)
	_, err := m.Download(context.Background(), "micro-q", nil)
	if !errors.Is(err, rehearse.ErrBadModel) || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(m.Path("micro-q")); !errors.Is(err, os.ErrNotExist) {
		t.Error("truncated model installed")
	}
	// The same file complete passes on size and header.
	srv.files["ggml-micro-q.bin"] = b
	md, err := m.Download(context.Background(), "micro-q", nil)
	if err != nil {
		t.Fatal(err)
	}
	if md.Checksum != NoChecksumNote || !md.ChecksumOK {
		t.Errorf("model %+v", md)
	}
}

func TestDownloadHTTPErrors(t *testing.T) {
	srv := newServer(t, map[string][]byte{})
	m := testManager(t, srv, microEntry(t, "micro"))
	_, err := m.Download(context.Background(), "micro", nil)
	if err == nil || !strings.Contains(err.Error(), "HTTP 404") || errors.Is(err, ErrInterrupted) {
		t.Errorf("404: %v", err)
	}
	srv.status = http.StatusInternalServerError
	_, err = m.Download(context.Background(), "micro", nil)
	if !errors.Is(err, ErrInterrupted) || !strings.Contains(err.Error(), "500") || !strings.Contains(err.Error(), "try again") {
		t.Errorf("500: %v", err)
	}
	if _, err := m.Download(context.Background(), "nonesuch", nil); !errors.Is(err, rehearse.ErrNotFound) {
		t.Errorf("unknown model: %v", err)
	}
	if _, err := os.Stat(m.Path("micro")); !errors.Is(err, os.ErrNotExist) {
		t.Error("installed after errors")
	}
}

func TestDownloadCancel(t *testing.T) {
	b := micro(t)
	srv := newServer(t, map[string][]byte{"ggml-micro.bin": b})
	srv.hold = make(chan struct{})
	defer close(srv.hold)
	m := testManager(t, srv, microEntry(t, "micro"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := m.Download(ctx, "micro", func(done, total int64) {
		if done > 0 {
			cancel() // the server is stalled half-way through the body
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(m.Path("micro")); !errors.Is(err, os.ErrNotExist) {
		t.Error("installed after cancel")
	}
	if fi, err := os.Stat(m.Path("micro") + ".part"); err != nil || fi.Size() == 0 {
		t.Errorf("no partial file kept for resuming: %v", err)
	}
}

func TestImportUseRemove(t *testing.T) {
	b := micro(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "ggml-custom.bin")
	if err := os.WriteFile(src, b, 0o600); err != nil {
		t.Fatal(err)
	}
	m := &Manager{Dir: filepath.Join(dir, "models")}
	if _, err := m.Active(); !errors.Is(err, rehearse.ErrNoModel) {
		t.Errorf("active with nothing installed: %v", err)
	}
	md, err := m.Import(src, "")
	if err != nil {
		t.Fatal(err)
	}
	if md.Name != "custom" || md.Checksum != StateImported || !md.Active {
		t.Errorf("imported %+v", md)
	}
	// A damaged file is refused.
	bad := filepath.Join(dir, "ggml-bad.bin")
	os.WriteFile(bad, b[:1000], 0o600)
	if _, err := m.Import(bad, ""); !errors.Is(err, rehearse.ErrBadModel) {
		t.Errorf("bad import: %v", err)
	}
	// A file calling itself tiny.en must be tiny.en.
	if _, err := m.Import(src, "tiny.en"); !errors.Is(err, rehearse.ErrChecksum) {
		t.Errorf("fake tiny.en: %v", err)
	}
	if _, err := m.Import(src, "../escape"); err == nil {
		t.Error("path in name accepted")
	}
	if _, err := m.Import(src, "second"); err != nil {
		t.Fatal(err)
	}
	if err := m.Use("second"); err != nil {
		t.Fatal(err)
	}
	if act, _ := m.Active(); act.Name != "second" {
		t.Errorf("active %q", act.Name)
	}
	if err := m.Use("tiny"); !errors.Is(err, rehearse.ErrNoModel) {
		t.Errorf("use of a model not installed: %v", err)
	}
	if err := m.Remove("second"); err != nil {
		t.Fatal(err)
	}
	if act, _ := m.Active(); act.Name != "custom" {
		t.Errorf("after removing the active model, active is %q", act.Name)
	}
	if err := m.Remove("second"); !errors.Is(err, rehearse.ErrNotFound) {
		t.Errorf("second remove: %v", err)
	}
	list, err := m.List()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range list {
		if l.Installed {
			names = append(names, l.Name)
		}
	}
	if strings.Join(names, ",") != "custom" {
		t.Errorf("installed %v", names)
	}
	if len(list) != len(Catalogue())+1 {
		t.Errorf("list has %d entries", len(list))
	}
}

func TestCatalogue(t *testing.T) {
	cat := Catalogue()
	if len(cat) != 18 {
		t.Errorf("%d entries", len(cat))
	}
	m := &Manager{}
	seen := map[string]bool{}
	hex64 := regexp.MustCompile(`^[0-9a-f]{64}$`)
	for _, e := range cat {
		if seen[e.Name] {
			t.Errorf("duplicate %s", e.Name)
		}
		seen[e.Name] = true
		want := "https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-" + e.Name + ".bin"
		if got := m.URL(e.Name); got != want {
			t.Errorf("URL %s, want %s", got, want)
		}
		// Every file has a pinned SHA-256; whisper.cpp publishes SHA-1 for
		// the full-precision ones only.
		if !hex64.MatchString(e.SHA256) {
			t.Errorf("%s: SHA-256 %q", e.Name, e.SHA256)
		}
		quant := strings.Contains(e.Name, "-q")
		if quant == (e.SHA1 != "") {
			t.Errorf("%s: quantised %v but SHA-1 %q", e.Name, quant, e.SHA1)
		}
		if e.SHA1 != "" && len(e.SHA1) != 40 {
			t.Errorf("%s: checksum %q", e.Name, e.SHA1)
		}
		if e.English != strings.Contains(e.Name, ".en") {
			t.Errorf("%s: English %v", e.Name, e.English)
		}
	}
	if e, ok := m.Lookup("tiny.en"); !ok || e.SHA1 != "c78c86eb1a8faa21b369bcd33207cc90d64ae9df" || e.Size != 77704715 ||
		e.SHA256 != "921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f" {
		t.Errorf("tiny.en %+v", e)
	}
	list, err := (&Manager{Dir: t.TempDir()}).List()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range list {
		if !strings.HasPrefix(l.Checksum, "SHA-256 ") {
			t.Errorf("%s: %q", l.Name, l.Checksum)
		}
	}
}

func TestParseContentRange(t *testing.T) {
	for _, tc := range []struct {
		in          string
		start, size int64
		ok          bool
	}{
		{"bytes 100-199/200", 100, 200, true},
		{"bytes 0-0/*", 0, -1, true},
		{"items 1-2/3", 0, 0, false},
		{"bytes x-1/2", 0, 0, false},
	} {
		s, n, ok := parseContentRange(tc.in)
		if ok != tc.ok || (ok && (s != tc.start || n != tc.size)) {
			t.Errorf("%q → %d %d %v", tc.in, s, n, ok)
		}
	}
}

func TestThreads(t *testing.T) {
	m := &Manager{Dir: t.TempDir()}
	if n := m.Threads(); n < 1 || n > 4 {
		t.Errorf("default threads %d", n)
	}
	if err := m.SetThreads(3); err != nil {
		t.Fatal(err)
	}
	if n := (&Manager{Dir: m.Dir}).Threads(); n != 3 {
		t.Errorf("threads %d after SetThreads(3)", n)
	}
	if err := m.SetThreads(0); err == nil {
		t.Error("0 threads accepted")
	}
}

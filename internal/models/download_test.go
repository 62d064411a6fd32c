package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func sum256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// versioned serves one file under an ETag with real Range and If-Range
// semantics: a resume whose If-Range does not match the current version
// gets the whole (new) file. cut makes the first response stop half-way.
type versioned struct {
	mu      sync.Mutex
	data    []byte
	etag    string
	cut     bool
	headers []http.Header
}

func (v *versioned) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v.mu.Lock()
	v.headers = append(v.headers, r.Header.Clone())
	data, etag, cut := v.data, v.etag, v.cut && len(v.headers) == 1
	v.mu.Unlock()
	w.Header().Set("ETag", etag)
	start := 0
	if rg := r.Header.Get("Range"); rg != "" && (r.Header.Get("If-Range") == "" || r.Header.Get("If-Range") == etag) {
		start, _ = strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(rg, "bytes="), "-"))
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, len(data)-1, len(data)))
		w.Header().Set("Content-Length", strconv.Itoa(len(data)-start))
		w.WriteHeader(http.StatusPartialContent)
	} else {
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
	}
	body := data[start:]
	if cut {
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}
	w.Write(body)
}

// TestDownloadResumeSendsIfRange: the resume carries the ETag of the first
// response, and when the file changed on the server in between, the new
// file is downloaded whole rather than spliced onto the old half.
func TestDownloadResumeSendsIfRange(t *testing.T) {
	b := micro(t)
	old := append([]byte(nil), b...)
	old[len(old)-1] ^= 0xff // another version of the file, same length
	v := &versioned{data: old, etag: `"v1"`, cut: true}
	srv := httptest.NewServer(v)
	t.Cleanup(srv.Close)
	e := microEntry(t, "micro")
	e.SHA256 = sum256(b)
	m := &Manager{Dir: filepath.Join(t.TempDir(), "models"), BaseURL: srv.URL, Entries: []Entry{e}}
	if _, err := m.Download(context.Background(), "micro", nil); err == nil || !strings.Contains(err.Error(), "resume") {
		t.Fatalf("first attempt: %v", err)
	}
	if _, err := os.Stat(m.Path("micro") + ".part.validator"); err != nil {
		t.Fatalf("no validator kept next to the partial file: %v", err)
	}
	v.mu.Lock()
	v.data, v.etag = b, `"v2"` // the published file changed
	v.mu.Unlock()
	md, err := m.Download(context.Background(), "micro", nil)
	if err != nil {
		t.Fatal(err)
	}
	if md.SHA256 != sum256(b) || md.Checksum != StateVerified256 {
		t.Errorf("model %+v", md)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.headers) != 2 || v.headers[1].Get("Range") == "" || v.headers[1].Get("If-Range") != `"v1"` {
		t.Errorf("resume headers: Range %q If-Range %q", v.headers[1].Get("Range"), v.headers[1].Get("If-Range"))
	}
	if _, err := os.Stat(m.Path("micro") + ".part.validator"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("validator left after install: %v", err)
	}
}

// TestDownloadRedirects: https → https is followed; https → http is refused
// and nothing is fetched in the clear.
func TestDownloadRedirects(t *testing.T) {
	b := micro(t)
	var plainHits int
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainHits++
		w.Write(b)
	}))
	t.Cleanup(plain.Close)
	var tls *httptest.Server
	tls = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ggml-secure.bin":
			http.Redirect(w, r, tls.URL+"/blob/secure", http.StatusFound)
		case "/blob/secure":
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			w.Write(b)
		case "/ggml-downgrade.bin":
			http.Redirect(w, r, plain.URL+"/blob", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(tls.Close)
	m := &Manager{Dir: filepath.Join(t.TempDir(), "models"), BaseURL: tls.URL, Client: tls.Client(),
		Entries: []Entry{microEntry(t, "secure"), microEntry(t, "downgrade")}}
	if _, err := m.Download(context.Background(), "secure", nil); err != nil {
		t.Fatalf("https redirect: %v", err)
	}
	_, err := m.Download(context.Background(), "downgrade", nil)
	if !errors.Is(err, errInsecureRedirect) {
		t.Fatalf("http redirect: %v", err)
	}
	if plainHits != 0 {
		t.Errorf("the plain-http server was asked %d times", plainHits)
	}
	if _, err := os.Stat(m.Path("downgrade") + ".part"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".part kept after a refused redirect: %v", err)
	}
}

// TestDownloadNoLengthStopsAtTwice: a server that sends no length and
// never stops is cut off at twice the catalogue size, and the partial file
// is removed.
func TestDownloadNoLengthStopsAtTwice(t *testing.T) {
	const size = 64 << 10
	var sent int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 16<<10)
		for i := 0; i < 1000 && r.Context().Err() == nil; i++ { // 16 MB at most, 250 × the model
			n, err := w.Write(chunk)
			sent += int64(n)
			if err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	}))
	t.Cleanup(srv.Close)
	e := Entry{Name: "endless", Size: size, SHA256: strings.Repeat("0", 64), English: true}
	m := &Manager{Dir: filepath.Join(t.TempDir(), "models"), BaseURL: srv.URL, Entries: []Entry{e}}
	_, err := m.Download(context.Background(), "endless", nil)
	if !errors.Is(err, rehearse.ErrBadModel) || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(m.Path("endless") + ".part"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".part kept after an oversize download: %v", err)
	}
	log, _ := m.NetworkLog()
	if len(log) != 1 || log[0].Received > 4*size {
		t.Errorf("received %d bytes for a %d-byte model", log[0].Received, size)
	}
}

// TestDownloadPartKeptOrRemoved: a definite refusal (4xx) deletes an
// interrupted download; a server error keeps it for resuming.
func TestDownloadPartKeptOrRemoved(t *testing.T) {
	for _, tc := range []struct {
		status int
		keep   bool
	}{
		{http.StatusNotFound, false},
		{http.StatusForbidden, false},
		{http.StatusGone, false},
		{http.StatusInternalServerError, true},
		{http.StatusServiceUnavailable, true},
		{http.StatusTooManyRequests, true},
	} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			b := micro(t)
			srv := newServer(t, map[string][]byte{"ggml-micro.bin": b})
			srv.cutFirst = true
			m := testManager(t, srv, microEntry(t, "micro"))
			if _, err := m.Download(context.Background(), "micro", nil); err == nil {
				t.Fatal("the cut download succeeded")
			}
			part := m.Path("micro") + ".part"
			if _, err := os.Stat(part); err != nil {
				t.Fatalf("no partial file after the cut: %v", err)
			}
			srv.mu.Lock()
			srv.status = tc.status
			srv.mu.Unlock()
			if _, err := m.Download(context.Background(), "micro", nil); err == nil {
				t.Fatalf("HTTP %d: no error", tc.status)
			}
			_, err := os.Stat(part)
			if kept := err == nil; kept != tc.keep {
				t.Errorf("HTTP %d: .part kept %v, want %v", tc.status, kept, tc.keep)
			}
		})
	}
}

// TestDownloadOffline: a server that cannot be reached gives a plain
// explanation with what to do, not the dialler's error chain.
func TestDownloadOffline(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	for _, base := range []string{"https://models.rehearse.invalid", closed} {
		m := &Manager{Dir: filepath.Join(t.TempDir(), "models"), BaseURL: base, Entries: []Entry{microEntry(t, "micro")}}
		_, err := m.Download(context.Background(), "micro", nil)
		if !errors.Is(err, ErrOffline) {
			t.Fatalf("%s: %v", base, err)
		}
		msg := err.Error()
		for _, want := range []string{"you seem to be offline", "rehearse models import FILE", "rehearse models download micro"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: %q lacks %q", base, msg, want)
			}
		}
		for _, raw := range []string{"dial tcp", "lookup models", "connect: "} {
			if strings.Contains(msg, raw) {
				t.Errorf("%s: raw network error in %q", base, msg)
			}
		}
		if _, err := os.Stat(m.Path("micro") + ".part"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: an empty .part file is left: %v", base, err)
		}
		t.Logf("%s: %s", base, msg)
	}
}

func TestDownloadSHA256Mismatch(t *testing.T) {
	b := micro(t)
	srv := newServer(t, map[string][]byte{"ggml-micro.bin": b})
	e := microEntry(t, "micro")
	e.SHA1 = ""
	e.SHA256 = strings.Repeat("1", 64)
	m := testManager(t, srv, e)
	_, err := m.Download(context.Background(), "micro", nil)
	if !errors.Is(err, rehearse.ErrChecksum) || !strings.Contains(err.Error(), "SHA-256") {
		t.Fatalf("err = %v", err)
	}
	for _, p := range []string{m.Path("micro"), m.Path("micro") + ".part"} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists after a checksum mismatch", p)
		}
	}
	// An imported file calling itself a pinned model must match it too.
	src := filepath.Join(t.TempDir(), "ggml-micro.bin")
	os.WriteFile(src, b, 0o600)
	if _, err := m.Import(src, "micro"); !errors.Is(err, rehearse.ErrChecksum) {
		t.Errorf("import: %v", err)
	}
}

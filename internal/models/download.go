package models

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Process-wide network counters: every byte the downloader's connections
// write and read (including TLS and HTTP framing).
var netSent, netReceived atomic.Int64

// NetworkBytes reports the bytes sent and received over the network by this
// process. Model downloads are Rehearse's only network use.
func NetworkBytes() (sent, received int64) { return netSent.Load(), netReceived.Load() }

type countingConn struct{ net.Conn }

func (c countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	netReceived.Add(int64(n))
	return n, err
}

func (c countingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	netSent.Add(int64(n))
	return n, err
}

var (
	defaultClientOnce sync.Once
	defaultClient     *http.Client
)

// countingClient is an HTTP client whose connections count their bytes.
// It honours the usual proxy environment variables.
func countingClient() *http.Client {
	defaultClientOnce.Do(func() {
		d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
		tr := &http.Transport{
			Proxy: http.ProxyFromEnvironment,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				c, err := d.DialContext(ctx, network, addr)
				if err != nil {
					return nil, err
				}
				return countingConn{c}, nil
			},
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   30 * time.Second,
			ResponseHeaderTimeout: 60 * time.Second,
			IdleConnTimeout:       30 * time.Second,
		}
		defaultClient = &http.Client{Transport: tr}
	})
	return defaultClient
}

// downloads serialises downloads, so that each one's share of the network
// counters is its own.
var downloads sync.Mutex

// Download fetches the catalogue model called name into the folder. It is
// only ever called because the user asked. An interrupted download leaves
// a .part file that the next call resumes (HTTP Range). The file is checked
// (published SHA-1 when there is one, otherwise the exact length; then the
// header and every tensor) before it is moved into place; a file that fails
// is deleted. progress receives bytes done and total (total -1 when the
// server does not say).
func (m *Manager) Download(ctx context.Context, name string, progress func(done, total int64)) (Model, error) {
	e, ok := m.Lookup(name)
	if !ok {
		return Model{}, fmt.Errorf("no model called %q in the catalogue (see 'rehearse models list'): %w", name, rehearse.ErrNotFound)
	}
	if md, err := m.Find(name); err == nil {
		return md, nil
	}
	if err := m.ensureDir(); err != nil {
		return Model{}, err
	}
	downloads.Lock()
	defer downloads.Unlock()
	sent0, recv0 := NetworkBytes()
	t := Transfer{Model: name, URL: m.URL(name), Started: time.Now().UTC()}
	sum, err := m.fetch(ctx, e, &t, progress)
	sent1, recv1 := NetworkBytes()
	t.Sent, t.Received = sent1-sent0, recv1-recv0
	t.Complete = err == nil
	if err != nil {
		t.Error = err.Error()
	}
	if lerr := m.logTransfer(t); lerr != nil && err == nil {
		err = lerr
	}
	if err != nil {
		return Model{}, err
	}
	part := m.Path(name) + ".part"
	if err := m.verify(e, part, sum); err != nil {
		os.Remove(part)
		return Model{}, err
	}
	rec := &record{SHA1: sum, State: StateNoChecksum, OK: true, Source: t.URL, InstalledAt: time.Now().UTC()}
	if e.SHA1 != "" {
		rec.State = StateVerified
	}
	if fi, err := os.Stat(part); err == nil {
		rec.Size = fi.Size()
	}
	if err := m.install(part, name, rec); err != nil {
		return Model{}, err
	}
	return m.Find(name)
}

// fetch brings the .part file to its full length and returns its SHA-1.
func (m *Manager) fetch(ctx context.Context, e Entry, t *Transfer, progress func(done, total int64)) (string, error) {
	part := m.Path(e.Name) + ".part"
	client := m.Client
	if client == nil {
		client = countingClient()
	}
	for attempt := 0; ; attempt++ {
		f, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return "", fmt.Errorf("download %s: %w", e.Name, err)
		}
		done, err := f.Seek(0, io.SeekEnd)
		if err != nil {
			f.Close()
			return "", fmt.Errorf("download %s: %w", e.Name, err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL, nil)
		if err != nil {
			f.Close()
			return "", fmt.Errorf("download %s: %w", e.Name, err)
		}
		req.Header.Set("User-Agent", "Rehearse")
		req.Header.Set("Accept-Encoding", "identity") // bytes as published, for the checksum and resuming
		if done > 0 {
			req.Header.Set("Range", fmt.Sprintf("bytes=%d-", done))
			t.Resumed = done
		}
		resp, err := client.Do(req)
		if err != nil {
			f.Close()
			if ctx.Err() != nil {
				return "", ctx.Err()
			}
			return "", fmt.Errorf("download %s from %s: %w", e.Name, t.URL, err)
		}
		total := int64(-1)
		switch resp.StatusCode {
		case http.StatusOK:
			// The server sent the whole file: start again.
			if err := f.Truncate(0); err != nil {
				resp.Body.Close()
				f.Close()
				return "", fmt.Errorf("download %s: %w", e.Name, err)
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				resp.Body.Close()
				f.Close()
				return "", fmt.Errorf("download %s: %w", e.Name, err)
			}
			done, t.Resumed = 0, 0
			total = resp.ContentLength
		case http.StatusPartialContent:
			start, size, ok := parseContentRange(resp.Header.Get("Content-Range"))
			if !ok || start != done {
				resp.Body.Close()
				f.Close()
				return "", fmt.Errorf("download %s: the server resumed at the wrong place (%q)", e.Name, resp.Header.Get("Content-Range"))
			}
			total = size
		case http.StatusRequestedRangeNotSatisfiable:
			resp.Body.Close()
			f.Close()
			if attempt > 0 {
				return "", fmt.Errorf("download %s: the server refused to resume (HTTP 416)", e.Name)
			}
			// The partial file is longer than the model: start over.
			os.Remove(part)
			continue
		case http.StatusNotFound:
			resp.Body.Close()
			f.Close()
			return "", fmt.Errorf("download %s: %s is not on the server (HTTP 404); the catalogue may be out of date", e.Name, t.URL)
		default:
			resp.Body.Close()
			f.Close()
			return "", fmt.Errorf("download %s: the server answered %s; try again later (the download will resume)", e.Name, resp.Status)
		}
		if total > 0 && e.Size > 0 && (total < e.Size/2 || total > e.Size*2) {
			resp.Body.Close()
			f.Close()
			return "", fmt.Errorf("download %s: the server offers %d bytes, but the model is about %d: %w", e.Name, total, e.Size, rehearse.ErrBadModel)
		}
		t.Total = total
		err = copyBody(ctx, f, resp.Body, done, total, progress)
		resp.Body.Close()
		if serr := f.Sync(); err == nil {
			err = serr
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			if ctx.Err() != nil {
				return "", ctx.Err()
			}
			got, _ := fileSize(part)
			return "", fmt.Errorf("download %s interrupted after %d of %d bytes (run the same command again to resume): %w", e.Name, got, total, err)
		}
		got, err := fileSize(part)
		if err != nil {
			return "", fmt.Errorf("download %s: %w", e.Name, err)
		}
		if total >= 0 && got != total {
			return "", fmt.Errorf("download %s ended after %d of %d bytes (run the same command again to resume)", e.Name, got, total)
		}
		return hashFile(part)
	}
}

func copyBody(ctx context.Context, f *os.File, body io.Reader, done, total int64, progress func(done, total int64)) error {
	buf := make([]byte, 256<<10)
	last := time.Time{}
	reported := int64(-1)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, rerr := body.Read(buf)
		if n > 0 {
			if _, err := f.Write(buf[:n]); err != nil {
				return err
			}
			done += int64(n)
			if progress != nil && (time.Since(last) > 100*time.Millisecond || done == total) {
				progress(done, total)
				last, reported = time.Now(), done
			}
		}
		if rerr == io.EOF {
			if progress != nil && reported != done {
				progress(done, total)
			}
			return nil
		}
		if rerr != nil {
			return rerr
		}
	}
}

func parseContentRange(s string) (start, size int64, ok bool) {
	// "bytes 100-199/200"
	s, found := strings.CutPrefix(s, "bytes ")
	if !found {
		return 0, 0, false
	}
	rng, tot, found := strings.Cut(s, "/")
	if !found {
		return 0, 0, false
	}
	a, _, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, false
	}
	start, err1 := strconv.ParseInt(a, 10, 64)
	size = -1
	var err2 error
	if tot != "*" {
		size, err2 = strconv.ParseInt(tot, 10, 64)
	}
	return start, size, err1 == nil && err2 == nil
}

func fileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha1.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("checksum %q: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// verify checks a complete download before it is used.
func (m *Manager) verify(e Entry, path, sum string) error {
	if e.SHA1 != "" && !strings.EqualFold(sum, e.SHA1) {
		return fmt.Errorf("download %s: SHA-1 %s, published %s; the file was deleted: %w", e.Name, sum, e.SHA1, rehearse.ErrChecksum)
	}
	h, err := ggml.ValidateFile(path)
	if err != nil {
		return fmt.Errorf("download %s: %w", e.Name, err)
	}
	if e.AudioLayers != 0 && h.NAudioLayer != e.AudioLayers {
		return fmt.Errorf("download %s: the file has %d encoder layers, want %d: %w", e.Name, h.NAudioLayer, e.AudioLayers, rehearse.ErrBadModel)
	}
	if h.Multilingual() == e.English {
		return fmt.Errorf("download %s: the file's vocabulary does not match the model: %w", e.Name, rehearse.ErrBadModel)
	}
	if e.Weights != "" && h.WeightType() != e.Weights {
		return fmt.Errorf("download %s: the file holds %s weights, want %s: %w", e.Name, h.WeightType(), e.Weights, rehearse.ErrBadModel)
	}
	return nil
}

package models

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/rehearse-app/rehearse/internal/atomicfile"
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
	part := m.Path(name) + ".part"
	if n, serr := fileSize(part); errors.As(err, new(discard)) || (err != nil && serr == nil && n == 0) {
		removePart(part) // useless, or empty: nothing to resume
	}
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
	if err := m.verify(e, part, sum); err != nil {
		removePart(part)
		return Model{}, err
	}
	rec := &record{SHA1: sum.sha1, SHA256: sum.sha256, State: StateNoChecksum, OK: true, Source: t.URL, InstalledAt: time.Now().UTC()}
	if state, _ := sum.check(e); state != "" {
		rec.State = state
	}
	if fi, err := os.Stat(part); err == nil {
		rec.Size = fi.Size()
	}
	if err := m.install(part, name, rec); err != nil {
		return Model{}, err
	}
	os.Remove(part + ".validator")
	return m.Find(name)
}

// removePart deletes an unusable partial download and what was kept to
// resume it.
func removePart(part string) {
	os.Remove(part)
	os.Remove(part + ".validator")
}

// validator is what identifies the version of a file being downloaded: the
// ETag or Last-Modified of the response that started it. It is kept next to
// the .part file and sent as If-Range when resuming, so that a file that
// changed on the server in between is sent whole instead of being spliced
// onto the old bytes.
type validator struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// ifRange is the If-Range value for v: a strong ETag, otherwise the date
// (weak ETags are not allowed in If-Range).
func (v validator) ifRange() string {
	if v.ETag != "" && !strings.HasPrefix(v.ETag, "W/") {
		return v.ETag
	}
	return v.LastModified
}

func readValidator(path string) validator {
	var v validator
	if b, err := os.ReadFile(path); err == nil {
		json.Unmarshal(b, &v) // a damaged file only costs the If-Range header
	}
	return v
}

func writeValidator(path string, h http.Header) error {
	v := validator{ETag: h.Get("ETag"), LastModified: h.Get("Last-Modified")}
	if v.ifRange() == "" {
		err := os.Remove(path)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, b)
}

// discard marks a definite failure: the partial download cannot be resumed
// (the server refused the file, it has the wrong size, or it is not the
// published file), so Download deletes it. Interruptions (a dropped
// connection, a server error, cancelling) keep it for the next attempt.
type discard struct{ error }

func (d discard) Unwrap() error { return d.error }

// ErrOffline means the model server could not be reached at all (no
// network, no name service, no route): nothing was downloaded.
var ErrOffline = rehearse.ErrOffline

// ErrInterrupted means a download stopped before the end for a reason that
// may pass (a broken connection, a busy server): what arrived is kept and
// the next attempt continues from there.
var ErrInterrupted = rehearse.ErrDownloadInterrupted

// offlineError explains a failed connection in plain words.
type offlineError struct {
	name, host, why string
	cause           error
}

func (e *offlineError) Error() string {
	return fmt.Sprintf("download %s: %s: %s %s. Connect to the internet and run 'rehearse models download %s' again, or import a model file you already have with 'rehearse models import FILE'",
		e.name, ErrOffline, e.host, e.why, e.name)
}

func (e *offlineError) Unwrap() []error { return []error{ErrOffline, e.cause} }

// offline recognises the errors of a connection that never got anywhere.
func offline(name, host string, err error) error {
	why := ""
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &dns):
		why = "could not be found (the name lookup failed)"
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		why = "cannot be reached (no route to it)"
	case errors.Is(err, syscall.ECONNREFUSED):
		why = "refused the connection"
	case errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect"):
		why = "could not be connected to"
		if op.Timeout() {
			why = "did not answer in time"
		}
	default:
		return nil
	}
	return &offlineError{name: name, host: host, why: why, cause: err}
}

// errInsecureRedirect refuses a redirect that would leave https.
var errInsecureRedirect = errors.New("the server redirected the download away from https; refusing to follow")

// httpsRedirects follows a redirect only to an https address, so that a
// download that starts over https is never continued in the clear.
func httpsRedirects(req *http.Request, via []*http.Request) error {
	if req.URL.Scheme != "https" {
		return fmt.Errorf("%w (to %s://%s)", errInsecureRedirect, req.URL.Scheme, req.URL.Host)
	}
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	return nil
}

// fetch brings the .part file to its full length and returns its checksums.
// Errors wrapped in discard mean the .part file is useless.
func (m *Manager) fetch(ctx context.Context, e Entry, t *Transfer, progress func(done, total int64)) (fileSums, error) {
	part := m.Path(e.Name) + ".part"
	valPath := part + ".validator"
	base := m.Client
	if base == nil {
		base = countingClient()
	}
	client := *base
	client.CheckRedirect = httpsRedirects
	fail := func(err error) (fileSums, error) { return fileSums{}, err }
	for attempt := 0; ; attempt++ {
		f, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return fail(fmt.Errorf("download %s: %w", e.Name, err))
		}
		done, err := f.Seek(0, io.SeekEnd)
		if err != nil {
			f.Close()
			return fail(fmt.Errorf("download %s: %w", e.Name, err))
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL, nil)
		if err != nil {
			f.Close()
			return fail(fmt.Errorf("download %s: %w", e.Name, err))
		}
		req.Header.Set("User-Agent", "Rehearse")
		req.Header.Set("Accept-Encoding", "identity") // bytes as published, for the checksum and resuming
		if done > 0 {
			req.Header.Set("Range", fmt.Sprintf("bytes=%d-", done))
			if v := readValidator(valPath).ifRange(); v != "" {
				req.Header.Set("If-Range", v)
			}
			t.Resumed = done
		}
		resp, err := client.Do(req)
		if err != nil {
			f.Close()
			if ctx.Err() != nil {
				return fail(ctx.Err())
			}
			if errors.Is(err, errInsecureRedirect) {
				return fail(discard{fmt.Errorf("download %s from %s: %w", e.Name, t.URL, err)})
			}
			if off := offline(e.Name, req.URL.Host, err); off != nil {
				return fail(off)
			}
			return fail(fmt.Errorf("download %s from %s: %w", e.Name, t.URL, err))
		}
		total := int64(-1)
		switch code := resp.StatusCode; {
		case code == http.StatusOK:
			// The server sent the whole file (first request, or the file
			// changed since the .part was started): start again.
			if err := f.Truncate(0); err != nil {
				resp.Body.Close()
				f.Close()
				return fail(fmt.Errorf("download %s: %w", e.Name, err))
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				resp.Body.Close()
				f.Close()
				return fail(fmt.Errorf("download %s: %w", e.Name, err))
			}
			if err := writeValidator(valPath, resp.Header); err != nil {
				resp.Body.Close()
				f.Close()
				return fail(fmt.Errorf("download %s: %w", e.Name, err))
			}
			done, t.Resumed = 0, 0
			total = resp.ContentLength
		case code == http.StatusPartialContent:
			start, size, ok := parseContentRange(resp.Header.Get("Content-Range"))
			if !ok || start != done {
				resp.Body.Close()
				f.Close()
				return fail(discard{fmt.Errorf("download %s: the server resumed at the wrong place (%q)", e.Name, resp.Header.Get("Content-Range"))})
			}
			total = size
		case code == http.StatusRequestedRangeNotSatisfiable:
			resp.Body.Close()
			f.Close()
			if attempt > 0 {
				return fail(discard{fmt.Errorf("download %s: the server refused to resume (HTTP 416)", e.Name)})
			}
			// The partial file is longer than the model: start over.
			os.Remove(part)
			continue
		case code == http.StatusNotFound:
			resp.Body.Close()
			f.Close()
			return fail(discard{fmt.Errorf("download %s: %s is not on the server (HTTP 404); the catalogue may be out of date", e.Name, t.URL)})
		case code >= 400 && code < 500 && code != http.StatusRequestTimeout && code != http.StatusTooManyRequests:
			resp.Body.Close()
			f.Close()
			return fail(discard{fmt.Errorf("download %s: the server refused it (%s); check the address %s", e.Name, resp.Status, t.URL)})
		default:
			resp.Body.Close()
			f.Close()
			return fail(fmt.Errorf("download %s: the server answered %s; try again later (the download will resume): %w", e.Name, resp.Status, ErrInterrupted))
		}
		if total > 0 && e.Size > 0 && (total < e.Size/2 || total > e.Size*2) {
			resp.Body.Close()
			f.Close()
			return fail(discard{fmt.Errorf("download %s: the server offers %d bytes, but the model is about %d: %w", e.Name, total, e.Size, rehearse.ErrBadModel)})
		}
		limit := total
		if limit < 0 && e.Size > 0 {
			limit = 2 * e.Size // no length given: stop a server that never ends
		}
		t.Total = total
		err = copyBody(ctx, f, resp.Body, done, total, limit, progress)
		resp.Body.Close()
		if serr := f.Sync(); err == nil {
			err = serr
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if errors.Is(err, errOversize) {
			return fail(discard{fmt.Errorf("download %s: the server sent more than %d bytes, twice the model's size, without saying how long the file is: %w", e.Name, limit, rehearse.ErrBadModel)})
		}
		if err != nil {
			if ctx.Err() != nil {
				return fail(ctx.Err())
			}
			got, _ := fileSize(part)
			return fail(fmt.Errorf("download %s interrupted after %d of %d bytes (run the same command again to resume): %w: %w", e.Name, got, total, ErrInterrupted, err))
		}
		got, err := fileSize(part)
		if err != nil {
			return fail(fmt.Errorf("download %s: %w", e.Name, err))
		}
		if total >= 0 && got != total {
			return fail(fmt.Errorf("download %s ended after %d of %d bytes (run the same command again to resume): %w", e.Name, got, total, ErrInterrupted))
		}
		return hashFile(part)
	}
}

// errOversize stops a body longer than its limit.
var errOversize = errors.New("more bytes than expected")

// copyBody appends body to f. limit (when ≥ 0) is the most bytes the file
// may reach.
func copyBody(ctx context.Context, f *os.File, body io.Reader, done, total, limit int64, progress func(done, total int64)) error {
	buf := make([]byte, 256<<10)
	last := time.Time{}
	reported := int64(-1)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, rerr := body.Read(buf)
		if n > 0 {
			if limit >= 0 && done+int64(n) > limit {
				return errOversize
			}
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

// fileSums are the checksums of one file, as lower-case hex.
type fileSums struct{ sha1, sha256 string }

// check compares the sums with the ones the entry publishes: the SHA-256
// when there is one, and the SHA-1 too when whisper.cpp publishes it. It
// returns the state to show ("" when nothing is published) or an error
// wrapping rehearse.ErrChecksum.
func (s fileSums) check(e Entry) (string, error) {
	state := ""
	if e.SHA1 != "" {
		if !strings.EqualFold(s.sha1, e.SHA1) {
			return "", fmt.Errorf("SHA-1 %s, published %s: %w", s.sha1, e.SHA1, rehearse.ErrChecksum)
		}
		state = StateVerified
	}
	if e.SHA256 != "" {
		if !strings.EqualFold(s.sha256, e.SHA256) {
			return "", fmt.Errorf("SHA-256 %s, published %s: %w", s.sha256, e.SHA256, rehearse.ErrChecksum)
		}
		state = StateVerified256
	}
	return state, nil
}

// hasher computes both checksums in one pass.
type hasher struct{ h1, h256 hash.Hash }

func newSums() *hasher { return &hasher{sha1.New(), sha256.New()} }

func (h *hasher) Write(b []byte) (int, error) {
	h.h1.Write(b)
	return h.h256.Write(b)
}

func (h *hasher) sums() fileSums {
	return fileSums{hex.EncodeToString(h.h1.Sum(nil)), hex.EncodeToString(h.h256.Sum(nil))}
}

func hashFile(path string) (fileSums, error) {
	f, err := os.Open(path)
	if err != nil {
		return fileSums{}, err
	}
	defer f.Close()
	h := newSums()
	if _, err := io.Copy(h, f); err != nil {
		return fileSums{}, fmt.Errorf("checksum %q: %w", path, err)
	}
	return h.sums(), nil
}

// verify checks a complete download before it is used.
func (m *Manager) verify(e Entry, path string, sum fileSums) error {
	if _, err := sum.check(e); err != nil {
		return fmt.Errorf("download %s: %w; the file was deleted", e.Name, err)
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

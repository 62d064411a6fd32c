package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rehearse-app/rehearse/internal/atomicfile"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Manager keeps the models in one folder.
type Manager struct {
	Dir string // datadir.Layout.Models
	// Client makes the downloads; nil means a client whose connections
	// count their bytes exactly (see NetworkBytes).
	Client *http.Client
	// BaseURL replaces DefaultBaseURL (tests use a local server).
	BaseURL string
	// Entries replaces the built-in catalogue (tests).
	Entries []Entry
}

// Checksum states shown to the user.
const (
	StateVerified256 = "SHA-256 verified"
	StateVerified    = "SHA-1 verified"
	StateNoChecksum  = NoChecksumNote
	StateImported    = "imported — header checked, no published checksum to compare"
)

// Model is one line of List.
type Model struct {
	Name      string `json:"name"`
	Installed bool   `json:"installed"`
	Active    bool   `json:"active"`
	Path      string `json:"path,omitempty"`
	// Size is the file's size when installed, the published size otherwise.
	Size int64 `json:"size"`
	// Checksum says how the file was (or will be) verified.
	Checksum string `json:"checksum"`
	// ChecksumOK is true when the installed file matched its published
	// SHA-1, or passed the size and header checks when none is published.
	ChecksumOK bool `json:"checksum_ok"`
	// Trust is TrustVerified, TrustChecked or TrustUnchecked for an
	// installed model, "" otherwise.
	Trust       string `json:"trust,omitempty"`
	Source      string `json:"source"`                 // download URL or "imported from ..."
	Partial     int64  `json:"partial,omitempty"`      // bytes of an interrupted download
	InCatalog   bool   `json:"in_catalogue"`           // offered for download
	English     bool   `json:"english"`                // English-only
	Weights     string `json:"weights,omitempty"`      // f16, q5_1 ...
	SHA1        string `json:"sha1,omitempty"`         // of the installed file
	SHA256      string `json:"sha256,omitempty"`       // of the installed file
	InstalledAt string `json:"installed_at,omitempty"` // RFC 3339
}

// record is what the manager remembers about an installed model.
type record struct {
	SHA1        string    `json:"sha1"`
	SHA256      string    `json:"sha256,omitempty"`
	State       string    `json:"state"`
	OK          bool      `json:"ok"`
	Source      string    `json:"source"`
	InstalledAt time.Time `json:"installed_at"`
	Size        int64     `json:"size"`
}

type state struct {
	Active    string             `json:"active,omitempty"`
	Threads   int                `json:"threads,omitempty"`
	Installed map[string]*record `json:"installed"`
}

const stateFile = "models.json"

// lock serialises changes to a models folder within this process.
var lock sync.Mutex

func (m *Manager) entries() []Entry {
	if m.Entries != nil {
		return m.Entries
	}
	return catalogue
}

// Lookup finds a catalogue entry.
func (m *Manager) Lookup(name string) (Entry, bool) {
	for _, e := range m.entries() {
		if e.Name == name {
			return e, true
		}
	}
	return Entry{}, false
}

// URL is where the model called name is downloaded from.
func (m *Manager) URL(name string) string {
	base := m.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	return strings.TrimRight(base, "/") + "/" + FileName(name)
}

// Path is where the model called name is (or would be) installed.
func (m *Manager) Path(name string) string { return filepath.Join(m.Dir, FileName(name)) }

func (m *Manager) loadState() (*state, error) {
	st := &state{Installed: map[string]*record{}}
	b, err := os.ReadFile(filepath.Join(m.Dir, stateFile))
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read model list: %w", err)
	}
	if err := json.Unmarshal(b, st); err != nil {
		// A damaged list loses only the checksum notes; the files remain.
		return &state{Installed: map[string]*record{}}, nil
	}
	if st.Installed == nil {
		st.Installed = map[string]*record{}
	}
	return st, nil
}

func (m *Manager) saveState(st *state) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(filepath.Join(m.Dir, stateFile), b)
}

func (m *Manager) ensureDir() error {
	if m.Dir == "" {
		return errors.New("no models folder configured")
	}
	if err := os.MkdirAll(m.Dir, 0o700); err != nil {
		return fmt.Errorf("create models folder: %w", err)
	}
	return nil
}

// installed lists the model files present in Dir.
func (m *Manager) installed() (map[string]os.FileInfo, error) {
	out := map[string]os.FileInfo{}
	ents, err := os.ReadDir(m.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list models: %w", err)
	}
	for _, e := range ents {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(n, "ggml-") || !strings.HasSuffix(n, ".bin") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out[strings.TrimSuffix(strings.TrimPrefix(n, "ggml-"), ".bin")] = info
	}
	return out, nil
}

// List returns the catalogue and every installed model, with sizes and how
// each file was verified.
func (m *Manager) List() ([]Model, error) {
	lock.Lock()
	defer lock.Unlock()
	st, err := m.loadState()
	if err != nil {
		return nil, err
	}
	files, err := m.installed()
	if err != nil {
		return nil, err
	}
	active := m.activeName(st, files)
	var out []Model
	seen := map[string]bool{}
	for _, e := range m.entries() {
		seen[e.Name] = true
		md := Model{Name: e.Name, Size: e.Size, Source: m.URL(e.Name), InCatalog: true, English: e.English, Weights: e.Weights}
		switch {
		case e.SHA256 != "":
			md.Checksum = "SHA-256 " + e.SHA256 + " (published)"
		case e.SHA1 != "":
			md.Checksum = "SHA-1 " + e.SHA1 + " (published)"
		default:
			md.Checksum = NoChecksumNote
		}
		if fi, ok := m.partial(e.Name); ok {
			md.Partial = fi
		}
		if fi, ok := files[e.Name]; ok {
			m.fill(&md, fi, st.Installed[e.Name])
		}
		md.Active = md.Installed && e.Name == active
		out = append(out, md)
	}
	var extra []string
	for n := range files {
		if !seen[n] {
			extra = append(extra, n)
		}
	}
	sort.Strings(extra)
	for _, n := range extra {
		md := Model{Name: n, Source: "imported"}
		m.fill(&md, files[n], st.Installed[n])
		md.Active = n == active
		out = append(out, md)
	}
	return out, nil
}

func (m *Manager) fill(md *Model, fi os.FileInfo, rec *record) {
	md.Installed = true
	md.Path = m.Path(md.Name)
	md.Size = fi.Size()
	md.Trust = trust(rec)
	if rec == nil {
		md.Checksum = "not checked (placed in the folder by hand)"
		return
	}
	md.Checksum, md.ChecksumOK, md.SHA1, md.SHA256 = rec.State, rec.OK, rec.SHA1, rec.SHA256
	md.Source = rec.Source
	md.InstalledAt = rec.InstalledAt.Format(time.RFC3339)
}

func (m *Manager) partial(name string) (int64, bool) {
	fi, err := os.Stat(m.Path(name) + ".part")
	if err != nil {
		return 0, false
	}
	return fi.Size(), true
}

// activeName is the chosen model if it is installed, otherwise the first
// installed model in catalogue order, otherwise any installed one.
func (m *Manager) activeName(st *state, files map[string]os.FileInfo) string {
	if _, ok := files[st.Active]; ok && st.Active != "" {
		return st.Active
	}
	for _, e := range m.entries() {
		if _, ok := files[e.Name]; ok {
			return e.Name
		}
	}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) > 0 {
		return names[0]
	}
	return ""
}

// Active returns the model to transcribe with: the one chosen with Use, or
// a sensible installed one. With none installed the error wraps
// rehearse.ErrNoModel.
func (m *Manager) Active() (Model, error) {
	list, err := m.List()
	if err != nil {
		return Model{}, err
	}
	for _, md := range list {
		if md.Active {
			return md, nil
		}
	}
	return Model{}, fmt.Errorf("%w: download one with 'rehearse models download tiny.en' or import a ggml .bin file", rehearse.ErrNoModel)
}

// Find returns the installed model called name (rehearse.ErrNoModel if it
// is not installed).
func (m *Manager) Find(name string) (Model, error) {
	list, err := m.List()
	if err != nil {
		return Model{}, err
	}
	for _, md := range list {
		if md.Name == name && md.Installed {
			return md, nil
		}
	}
	return Model{}, fmt.Errorf("model %q is not installed: %w", name, rehearse.ErrNoModel)
}

// Use makes the installed model called name the one used for transcription.
func (m *Manager) Use(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if _, err := m.Find(name); err != nil {
		return err
	}
	lock.Lock()
	defer lock.Unlock()
	st, err := m.loadState()
	if err != nil {
		return err
	}
	st.Active = name
	return m.saveState(st)
}

// Remove deletes the model called name (and any interrupted download of it).
func (m *Manager) Remove(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	lock.Lock()
	defer lock.Unlock()
	st, err := m.loadState()
	if err != nil {
		return err
	}
	err = os.Remove(m.Path(name))
	perr := os.Remove(m.Path(name) + ".part")
	os.Remove(m.Path(name) + ".part.validator")
	if errors.Is(err, os.ErrNotExist) && errors.Is(perr, os.ErrNotExist) {
		return fmt.Errorf("remove model %q: %w", name, rehearse.ErrNotFound)
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove model %q: %w", name, err)
	}
	delete(st.Installed, name)
	if st.Active == name {
		st.Active = ""
	}
	return m.saveState(st)
}

// Import copies a model file into the folder after checking its header and
// every tensor. name "" takes the name from the file (ggml-base.en.bin →
// base.en). A file named like a catalogue model with a published checksum
// must match it.
func (m *Manager) Import(path, name string) (Model, error) {
	if name == "" {
		name = strings.TrimPrefix(strings.TrimSuffix(filepath.Base(path), ".bin"), "ggml-")
	}
	if err := checkName(name); err != nil {
		return Model{}, err
	}
	if _, err := ggml.ValidateFile(path); err != nil {
		return Model{}, fmt.Errorf("import: %w", err)
	}
	if err := m.ensureDir(); err != nil {
		return Model{}, err
	}
	src, err := os.Open(path)
	if err != nil {
		return Model{}, fmt.Errorf("import model %q: %w", path, err)
	}
	defer src.Close()
	tmp, err := os.CreateTemp(m.Dir, ".import-*")
	if err != nil {
		return Model{}, fmt.Errorf("import model %q: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	h := newSums()
	n, err := io.Copy(io.MultiWriter(tmp, h), src)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Model{}, fmt.Errorf("import model %q: %w", path, err)
	}
	sum := h.sums()
	rec := &record{SHA1: sum.sha1, SHA256: sum.sha256, State: StateImported, OK: true, Source: "imported from " + path, InstalledAt: time.Now().UTC(), Size: n}
	if e, ok := m.Lookup(name); ok {
		state, err := sum.check(e)
		if err != nil {
			return Model{}, fmt.Errorf("import %q as %q: %w; import it under another name", path, name, err)
		}
		if state != "" {
			rec.State = state
		}
	}
	if err := m.install(tmp.Name(), name, rec); err != nil {
		return Model{}, err
	}
	return m.Find(name)
}

// install moves a checked file into place and records it.
func (m *Manager) install(tmp, name string, rec *record) error {
	lock.Lock()
	defer lock.Unlock()
	if err := os.Rename(tmp, m.Path(name)); err != nil {
		return fmt.Errorf("install model %q: %w", name, err)
	}
	st, err := m.loadState()
	if err != nil {
		return err
	}
	st.Installed[name] = rec
	return m.saveState(st)
}

// MaxThreads bounds the recogniser's thread setting.
const MaxThreads = 16

// Threads is the number of threads the user chose for transcription, or a
// default of min(CPUs, 4).
func (m *Manager) Threads() int {
	lock.Lock()
	defer lock.Unlock()
	if st, err := m.loadState(); err == nil && st.Threads > 0 {
		return st.Threads
	}
	return min(runtime.NumCPU(), 4)
}

// SetThreads remembers the thread count (1..MaxThreads).
func (m *Manager) SetThreads(n int) error {
	if n < 1 || n > MaxThreads {
		return &rehearse.InputError{Field: "threads", Value: strconv.Itoa(n), Reason: fmt.Sprintf("want 1 to %d", MaxThreads)}
	}
	if err := m.ensureDir(); err != nil {
		return err
	}
	lock.Lock()
	defer lock.Unlock()
	st, err := m.loadState()
	if err != nil {
		return err
	}
	st.Threads = n
	return m.saveState(st)
}

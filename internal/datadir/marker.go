package datadir

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rehearse-app/rehearse/internal/atomicfile"
)

// MarkerName is the file that marks a folder as one Rehearse uses. Ensure
// writes it into each folder of the layout; a wipe deletes files only in
// folders that carry it (or that hold a store Rehearse's key opens), and
// there only the names Rehearse knows (Known).
const MarkerName = ".rehearse-folder"

const markerFormat = "rehearse-folder"

// Marker is the content of a folder's marker file.
type Marker struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Note    string `json:"note"`
	// Created is true when Rehearse made the folder, false when it found
	// the folder already there. A wipe removes a folder only if Rehearse
	// created it and nothing else is left in it.
	Created bool `json:"created"`
	// StoreID names the store whose key the config folder keeps, so a
	// wipe finds the store's keyring entries even when the key file is
	// unreadable. Not secret.
	StoreID string `json:"store_id,omitempty"`
	// Parents are the folders above this one that did not exist either
	// and were made with it (~/.local/share in a new home folder); a wipe
	// removes them too when they are empty.
	Parents []string `json:"parents,omitempty"`
}

const markerNote = "Rehearse keeps files in this folder. 'rehearse wipe' deletes only the files Rehearse made here and leaves everything else."

// ReadMarker reads the marker of dir; ok is false when there is none (or it
// is not a Rehearse marker).
func ReadMarker(dir string) (m Marker, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, MarkerName))
	if errors.Is(err, fs.ErrNotExist) {
		return Marker{}, false, nil
	}
	if err != nil {
		return Marker{}, false, fmt.Errorf("read the folder marker of %q: %w", dir, err)
	}
	if json.Unmarshal(b, &m) != nil || m.Format != markerFormat {
		return Marker{}, false, nil
	}
	return m, true, nil
}

// WriteMarker writes (or replaces) the marker of dir, which must exist.
func WriteMarker(dir string, m Marker) error {
	m.Format, m.Version, m.Note = markerFormat, 1, markerNote
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(filepath.Join(dir, MarkerName), append(b, '\n'))
}

// Folders are the layout's folders, each once, the data folder last (the
// others may lie inside it).
func (l Layout) Folders() []string {
	var out []string
	for _, d := range []string{l.Config, l.Cache, l.Models, l.Data} {
		dup := false
		for _, o := range out {
			dup = dup || samePath(o, d)
		}
		if !dup {
			out = append(out, d)
		}
	}
	return out
}

// Names Rehearse writes, by folder. Patterns are filepath.Match patterns.
// Every file or folder a part of Rehearse creates in these folders must be
// listed here, or a wipe leaves it behind.
var (
	dataNames = []string{
		"rehearse.db", "rehearse.db-wal", "rehearse.db-shm", "rehearse.db-journal",
		"rehearse.lock",
		// A store set aside when starting over ('rehearse key reset', or
		// the window's Start fresh on a damaged store), with its WAL.
		"rehearse.db.damaged-*", "rehearse.db.set-aside-*",
	}
	configNames = []string{
		"key.json",
		// Key files set aside when starting over.
		"key-*.json.old",
		OutsideName,
	}
	cacheNames  = []string{}
	modelsNames = []string{"models.json", "network.json", "ggml-*.bin", "ggml-*.bin.part", ".import-*"}
)

// Known reports whether name, an entry of the layout's folder dir, is one
// Rehearse writes there: the marker, a file of that folder's list, or the
// temporary file of an interrupted atomic write of one.
func (l Layout) Known(dir, name string) bool {
	if name == MarkerName {
		return true
	}
	var pats []string
	switch {
	case samePath(dir, l.Data):
		pats = dataNames
	case samePath(dir, l.Config):
		pats = configNames
	case samePath(dir, l.Cache):
		pats = cacheNames
	case samePath(dir, l.Models):
		pats = modelsNames
	}
	// atomicfile's temporary files: ".<name>.tmp-<random>".
	if base, _, ok := strings.Cut(strings.TrimPrefix(name, "."), ".tmp-"); ok && strings.HasPrefix(name, ".") {
		if base == MarkerName {
			return true
		}
		name = base
	}
	for _, p := range pats {
		if ok, _ := filepath.Match(p, name); ok {
			return true
		}
	}
	return false
}

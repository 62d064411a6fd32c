// Package models manages Rehearse's whisper.cpp speech models: the
// catalogue of models the whisper.cpp project publishes, downloads the user
// asks for (resumable, checksum- and header-verified, installed
// atomically), imports of model files already on disk, and which model is
// in use. It is the only package in Rehearse that uses the network, and it
// counts every byte it sends and receives.
package models

import (
	"fmt"
	"regexp"
)

// DefaultBaseURL is where the whisper.cpp project publishes its models.
const DefaultBaseURL = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main"

// NoChecksumNote is shown for catalogue models without a published checksum.
const NoChecksumNote = "no published checksum — size and header are checked"

// Entry is one model of the catalogue.
type Entry struct {
	Name string `json:"name"`
	// Size is the published size in bytes (approximate for display; the
	// download is checked against the server's exact length).
	Size int64 `json:"size"`
	// SHA1 is the checksum published in whisper.cpp's models/README.md
	// (v1.8.4); empty when none is published.
	SHA1    string `json:"sha1,omitempty"`
	English bool   `json:"english"` // English-only
	// AudioLayers and Weights are what the file's header must say.
	AudioLayers int32  `json:"audio_layers"`
	Weights     string `json:"weights"` // "f16", "q5_1", "q8_0"
}

// FileName is the model's file name on the server and on disk.
func (e Entry) FileName() string { return FileName(e.Name) }

// FileName is the file name of the model called name.
func FileName(name string) string { return "ggml-" + name + ".bin" }

const mib = 1 << 20

var catalogue = func() []Entry {
	base := []struct {
		name   string
		size   int64
		sha1   string
		layers int32
		q5, q8 int64 // sizes of the quantised variants
	}{
		{"tiny", 75 * mib, "bd577a113a864445d4c299885e0cb97d4ba92b5f", 4, 31 * mib, 42 * mib},
		{"tiny.en", 75 * mib, "c78c86eb1a8faa21b369bcd33207cc90d64ae9df", 4, 31 * mib, 42 * mib},
		{"base", 142 * mib, "465707469ff3a37a2b9b8d8f89f2f99de7299dac", 6, 57 * mib, 78 * mib},
		{"base.en", 142 * mib, "137c40403d78fd54d454da0f9bd998f78703390c", 6, 57 * mib, 78 * mib},
		{"small", 466 * mib, "55356645c2b361a969dfd0ef2c5a50d530afd8d5", 12, 181 * mib, 252 * mib},
		{"small.en", 466 * mib, "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022", 12, 181 * mib, 252 * mib},
	}
	var out []Entry
	for _, b := range base {
		en := len(b.name) > 3 && b.name[len(b.name)-3:] == ".en"
		out = append(out,
			Entry{Name: b.name, Size: b.size, SHA1: b.sha1, English: en, AudioLayers: b.layers, Weights: "f16"},
			Entry{Name: b.name + "-q5_1", Size: b.q5, English: en, AudioLayers: b.layers, Weights: "q5_1"},
			Entry{Name: b.name + "-q8_0", Size: b.q8, English: en, AudioLayers: b.layers, Weights: "q8_0"},
		)
	}
	return out
}()

// Catalogue lists the models Rehearse knows how to download, smallest
// family first.
func Catalogue() []Entry { return append([]Entry(nil), catalogue...) }

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func checkName(name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("model name %q: use letters, digits, '.', '_' and '-' only", name)
	}
	return nil
}

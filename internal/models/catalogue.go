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

// NoChecksumNote is shown for models without a published checksum.
const NoChecksumNote = "no published checksum — size and header are checked"

// Entry is one model of the catalogue.
type Entry struct {
	Name string `json:"name"`
	// Size is the published size in bytes. A download must have exactly
	// this length when it is known (Size > 0 and SHA256 set); a server that
	// sends no length is cut off at twice this size.
	Size int64 `json:"size"`
	// SHA256 is the file's published SHA-256; empty when none is published.
	SHA256 string `json:"sha256,omitempty"`
	// SHA1 is the checksum published in whisper.cpp's models/README.md
	// (v1.8.4), for the full-precision models only; empty otherwise.
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

// catalogue pins every file's exact size and SHA-256 as Hugging Face
// publishes them for ggerganov/whisper.cpp (the Git LFS object of each file,
// revision 5359861c739e955e79d9a303bcbc70fb988958b1, the same values other
// projects pin independently), and the SHA-1 that whisper.cpp's own model
// list gives for the full-precision files. No entry is left with size and
// header checks only.
var catalogue = func() []Entry {
	type file struct {
		size   int64
		sha256 string
	}
	base := []struct {
		name   string
		sha1   string
		layers int32
		f16    file
		q5, q8 file
	}{
		{"tiny", "bd577a113a864445d4c299885e0cb97d4ba92b5f", 4,
			file{77691713, "be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21"},
			file{32152673, "818710568da3ca15689e31a743197b520007872ff9576237bda97bd1b469c3d7"},
			file{43537433, "c2085835d3f50733e2ff6e4b41ae8a2b8d8110461e18821b09a15c40c42d1cca"}},
		{"tiny.en", "c78c86eb1a8faa21b369bcd33207cc90d64ae9df", 4,
			file{77704715, "921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f"},
			file{32166155, "c77c5766f1cef09b6b7d47f21b546cbddd4157886b3b5d6d4f709e91e66c7c2b"},
			file{43550795, "5bc2b3860aa151a4c6e7bb095e1fcce7cf12c7b020ca08dcec0c6d018bb7dd94"}},
		{"base", "465707469ff3a37a2b9b8d8f89f2f99de7299dac", 6,
			file{147951465, "60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe"},
			file{59707625, "422f1ae452ade6f30a004d7e5c6a43195e4433bc370bf23fac9cc591f01a8898"},
			file{81768585, "c577b9a86e7e048a0b7eada054f4dd79a56bbfa911fbdacf900ac5b567cbb7d9"}},
		{"base.en", "137c40403d78fd54d454da0f9bd998f78703390c", 6,
			file{147964211, "a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002"},
			file{59721011, "4baf70dd0d7c4247ba2b81fafd9c01005ac77c2f9ef064e00dcf195d0e2fdd2f"},
			file{81781811, "a4d4a0768075e13cfd7e19df3ae2dbc4a68d37d36a7dad45e8410c9a34f8c87e"}},
		{"small", "55356645c2b361a969dfd0ef2c5a50d530afd8d5", 12,
			file{487601967, "1be3a9b2063867b937e64e2ec7483364a79917e157fa98c5d94b5c1fffea987b"},
			file{190085487, "ae85e4a935d7a567bd102fe55afc16bb595bdb618e11b2fc7591bc08120411bb"},
			file{264464607, "49c8fb02b65e6049d5fa6c04f81f53b867b5ec9540406812c643f177317f779f"}},
		{"small.en", "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022", 12,
			file{487614201, "c6138d6d58ecc8322097e0f987c32f1be8bb0a18532a3f88f734d1bbf9c41e5d"},
			file{190098681, "bfdff4894dcb76bbf647d56263ea2a96645423f1669176f4844a1bf8e478ad30"},
			file{264477561, "67a179f608ea6114bd3fdb9060e762b588a3fb3bd00c4387971be4d177958067"}},
	}
	var out []Entry
	for _, b := range base {
		en := len(b.name) > 3 && b.name[len(b.name)-3:] == ".en"
		out = append(out,
			Entry{Name: b.name, Size: b.f16.size, SHA256: b.f16.sha256, SHA1: b.sha1, English: en, AudioLayers: b.layers, Weights: "f16"},
			Entry{Name: b.name + "-q5_1", Size: b.q5.size, SHA256: b.q5.sha256, English: en, AudioLayers: b.layers, Weights: "q5_1"},
			Entry{Name: b.name + "-q8_0", Size: b.q8.size, SHA256: b.q8.sha256, English: en, AudioLayers: b.layers, Weights: "q8_0"},
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

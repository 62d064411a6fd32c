package promises

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"
)

// needle is something that must not be found at rest.
type needle struct {
	name string
	data []byte
	fold bool // match regardless of ASCII case
}

// hit is a needle found in a file.
type hit struct {
	path   string
	needle string
	offset int
}

func (h hit) String() string { return fmt.Sprintf("%s: %s at byte %d", h.path, h.needle, h.offset) }

// canary returns a distinctive word (letters and digits only, so a full-text
// index would keep it whole) that no other run could contain.
func canary(t testing.TB, kind string) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "zq" + kind + "canary" + hex.EncodeToString(b)
}

// textNeedles are the canary in UTF-8 (any case) and in UTF-16LE.
func textNeedles(words ...string) []needle {
	var ns []needle
	for _, w := range words {
		ns = append(ns, needle{name: "canary " + w, data: []byte(w), fold: true})
		u := utf16.Encode([]rune(w))
		b := make([]byte, 2*len(u))
		for i, c := range u {
			binary.LittleEndian.PutUint16(b[2*i:], c)
		}
		ns = append(ns, needle{name: "canary " + w + " (UTF-16LE)", data: b})
	}
	return ns
}

// riffWAVE matches a WAV file header anywhere in a file.
var riffWAVE = regexp.MustCompile(`(?s)RIFF.{4}WAVE`)

// audioNeedles are windows of the recording's samples as stored in a WAV
// file (PCM16 little-endian) and as 32-bit floats (both usual scalings),
// taken from its loudest parts so that silence cannot match by chance.
func audioNeedles(t testing.TB, wav []byte) []needle {
	t.Helper()
	pcm := wavData(t, wav)
	const win = 64 // samples per window: 128 bytes of PCM16
	type cand struct{ at, energy int }
	var best []cand
	for at := 0; at+win <= len(pcm)/2; at += win {
		e := 0
		for i := at; i < at+win; i++ {
			v := int(int16(binary.LittleEndian.Uint16(pcm[2*i:])))
			if v < 0 {
				v = -v
			}
			e += v
		}
		best = append(best, cand{at, e})
	}
	if len(best) < 8 {
		t.Fatalf("recording too short for audio canaries: %d samples", len(pcm)/2)
	}
	// the eight loudest windows
	for i := 0; i < 8; i++ {
		m := i
		for j := i + 1; j < len(best); j++ {
			if best[j].energy > best[m].energy {
				m = j
			}
		}
		best[i], best[m] = best[m], best[i]
	}
	var ns []needle
	for _, c := range best[:8] {
		raw := pcm[2*c.at : 2*(c.at+win)]
		ns = append(ns, needle{name: fmt.Sprintf("PCM16 samples %d..%d", c.at, c.at+win), data: raw})
		for _, scale := range []float64{32768, 32767} {
			f := make([]byte, 4*win)
			for i := 0; i < win; i++ {
				v := float64(int16(binary.LittleEndian.Uint16(raw[2*i:]))) / scale
				binary.LittleEndian.PutUint32(f[4*i:], math.Float32bits(float32(v)))
			}
			ns = append(ns, needle{name: fmt.Sprintf("float32 samples %d..%d (/%v)", c.at, c.at+win, scale), data: f})
		}
	}
	return ns
}

// wavData returns the data chunk of a PCM16 WAV file.
func wavData(t testing.TB, wav []byte) []byte {
	t.Helper()
	if len(wav) < 12 || string(wav[:4]) != "RIFF" || string(wav[8:12]) != "WAVE" {
		t.Fatal("not a WAV file")
	}
	for p := 12; p+8 <= len(wav); {
		id, n := string(wav[p:p+4]), int(binary.LittleEndian.Uint32(wav[p+4:]))
		p += 8
		if id == "data" {
			return wav[p:min(p+n, len(wav))]
		}
		p += n + n&1
	}
	t.Fatal("WAV file without a data chunk")
	return nil
}

// scanFiles searches every regular file under roots (following no symbolic
// links) for the needles and for a WAV header, skipping the files in skip.
// It returns the hits and how many files and bytes it read.
func scanFiles(t testing.TB, roots []string, needles []needle, skip map[string]bool) (hits []hit, files int, size int64) {
	t.Helper()
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) && path == root {
					return filepath.SkipDir
				}
				return err
			}
			if !d.Type().IsRegular() || skip[path] {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files++
			size += int64(len(b))
			hits = append(hits, scanBytes(path, b, needles)...)
			return nil
		})
		if err != nil {
			t.Fatalf("scan %s: %v", root, err)
		}
	}
	return hits, files, size
}

func scanBytes(path string, b []byte, needles []needle) []hit {
	var hits []hit
	var lower []byte
	for _, n := range needles {
		hay, pat := b, n.data
		if n.fold {
			if lower == nil {
				lower = bytes.ToLower(b)
			}
			hay, pat = lower, bytes.ToLower(n.data)
		}
		if i := bytes.Index(hay, pat); i >= 0 {
			hits = append(hits, hit{path: path, needle: n.name, offset: i})
		}
	}
	if loc := riffWAVE.FindIndex(b); loc != nil {
		hits = append(hits, hit{path: path, needle: "a WAV header (RIFF…WAVE)", offset: loc[0]})
	}
	return hits
}

// TestScannerFindsPlaintext is the scanner's own check: it must find each
// kind of canary, in any case, in nested and hidden files, and nothing in
// ciphertext.
func TestScannerFindsPlaintext(t *testing.T) {
	dir := t.TempDir()
	word := canary(t, "scan")
	wav := synthWAV(16000, 1.0)
	needles := append(textNeedles(word), audioNeedles(t, wav)...)
	pcm := wavData(t, wav)
	files := map[string][]byte{
		"a/b/.hidden.log":   []byte("prefix " + strings.ToUpper(word) + " suffix"),
		"utf16.txt":         needles[1].data,
		"raw.pcm":           pcm[1000:],
		"copy.wav":          wav,
		"float.bin":         needles[4].data,
		"clean.bin":         bytes.Repeat([]byte{0x5a, 0x17}, 4096),
		"partial-canary.db": []byte(word[:len(word)-1]),
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	hits, n, _ := scanFiles(t, []string{dir}, needles, map[string]bool{filepath.Join(dir, "copy.wav"): true})
	found := map[string]bool{}
	for _, h := range hits {
		found[filepath.Base(h.path)] = true
	}
	for _, want := range []string{".hidden.log", "utf16.txt", "raw.pcm", "float.bin"} {
		if !found[want] {
			t.Errorf("scanner missed the canary in %s (hits %v)", want, hits)
		}
	}
	for _, not := range []string{"clean.bin", "partial-canary.db", "copy.wav"} {
		if found[not] {
			t.Errorf("scanner reported %s, which holds no canary or is skipped", not)
		}
	}
	if n != len(files)-1 {
		t.Errorf("scanned %d files, want %d", n, len(files)-1)
	}
	if h := scanBytes("x", wav, nil); len(h) != 1 {
		t.Errorf("WAV header not found: %v", h)
	}
}

// synthWAV is a 16 kHz mono PCM16 recording of a chirp with an envelope, for
// tests that need audio but no speech.
func synthWAV(rate int, seconds float64) []byte {
	n := int(float64(rate) * seconds)
	data := make([]byte, 2*n)
	for i := 0; i < n; i++ {
		x := float64(i) / float64(rate)
		env := math.Sin(math.Pi * x / seconds)
		v := 0.6 * env * math.Sin(2*math.Pi*(220+400*x)*x)
		binary.LittleEndian.PutUint16(data[2*i:], uint16(int16(v*32767)))
	}
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+len(data)))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(2 * rate), uint16(2), uint16(16)} {
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(len(data)))
	b.Write(data)
	return b.Bytes()
}

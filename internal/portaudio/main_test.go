package portaudio

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/rehearse-app/rehearse/internal/audio"
)

// The capture tests run through the real PortAudio → ALSA stack. The
// microphone is ALSA's "file" plugin: it delivers a raw S16_LE file as
// captured audio, bit for bit and faster than real time. TestMain writes
// the speech files and an ALSA configuration and points ALSA at it before
// PortAudio starts (ALSA reads its configuration once).
//
//	mic16             speech at 16 kHz mono (the default capture device)
//	mic48             the same speech at 48 kHz mono
//	loopback_monitor  a "monitor" source, which Rehearse must never offer
//	stallmic          reads a FIFO: delivers what the test writes, then hangs
//	                  like a device that stopped responding
//	speaker           the default output; what is played lands in played.raw

// childEnv marks a test binary re-run as a subprocess with another ALSA
// configuration.
const childEnv = "REHEARSE_PORTAUDIO_CHILD"

var fixture struct {
	dir      string
	src16    []float32 // the 16 kHz file as floats
	src48    []float32 // the 48 kHz file as floats
	speech16 int       // samples of real content at 16 kHz (before the silent padding)
	played   string
	espeak   bool
	fifo     *os.File // held open for writing: the stalling microphone's input
}

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "rehearse-mic-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := 1
	if err := setup(dir); err != nil {
		fmt.Fprintln(os.Stderr, "virtual microphone:", err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

const padSeconds = 5 // silence after the speech: past the end of the file ALSA delivers garbage

func setup(dir string) error {
	fixture.dir = dir
	raw16 := filepath.Join(dir, "speech16.raw")
	raw48 := filepath.Join(dir, "speech48.raw")
	_, e1 := exec.LookPath("espeak-ng")
	_, e2 := exec.LookPath("sox")
	if e1 == nil && e2 == nil {
		fixture.espeak = true
		wav := filepath.Join(dir, "speech.wav")
		text := "In my last role I led the migration to a new billing system, and we cut costs by twenty percent."
		if out, err := exec.Command("espeak-ng", "-v", "en-us", "-s", "150", "-w", wav, text).CombinedOutput(); err != nil {
			return fmt.Errorf("espeak-ng: %v: %s", err, out)
		}
		for _, c := range []struct {
			rate string
			out  string
		}{{"16000", raw16}, {"48000", raw48}} {
			// -D: no dither, so both files are deterministic.
			args := []string{"-D", wav, "-r", c.rate, "-c", "1", "-b", "16", "-e", "signed-integer", "-L", "-t", "raw", c.out, "pad", "0.3", fmt.Sprint(padSeconds)}
			if out, err := exec.Command("sox", args...).CombinedOutput(); err != nil {
				return fmt.Errorf("sox: %v: %s", err, out)
			}
		}
	} else {
		// No speech synthesiser: a gliding tone with a syllable rhythm.
		for _, c := range []struct {
			rate int
			out  string
		}{{16000, raw16}, {48000, raw48}} {
			n := int(3.3 * float64(c.rate))
			s := make([]float32, n+padSeconds*c.rate)
			for i := 0; i < n; i++ {
				t := float64(i) / float64(c.rate)
				s[i] = float32(0.3 * math.Sin(2*math.Pi*(200*t+150*t*t)) * (0.5 + 0.5*math.Sin(2*math.Pi*3*t)))
			}
			if err := os.WriteFile(c.out, s16le(s), 0o600); err != nil {
				return err
			}
		}
	}
	var err error
	if fixture.src16, err = readRaw(raw16); err != nil {
		return err
	}
	if fixture.src48, err = readRaw(raw48); err != nil {
		return err
	}
	fixture.speech16 = len(fixture.src16) - padSeconds*16000
	fixture.played = filepath.Join(dir, "played.raw")
	fifo := filepath.Join(dir, "stall.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		return err
	}
	// Opening a FIFO read-write never blocks, and keeps a writer present so
	// the device blocks (rather than ends) once the written audio is read.
	if fixture.fifo, err = os.OpenFile(fifo, os.O_RDWR, 0); err != nil {
		return err
	}
	conf := fmt.Sprintf(`pcm.mic16 { type file; slave.pcm "null"; file "/dev/null"; infile %q; format "raw" }
pcm.mic48 { type file; slave.pcm "null"; file "/dev/null"; infile %q; format "raw" }
pcm.loopback_monitor { type file; slave.pcm "null"; file "/dev/null"; infile %q; format "raw" }
pcm.stallmic { type file; slave.pcm "null"; file "/dev/null"; infile %q; format "raw" }
pcm.speaker { type file; slave.pcm "null"; file %q; format "raw" }
pcm.!default { type asym; capture.pcm "mic16"; playback.pcm "speaker" }
`, raw16, raw48, raw16, fifo, fixture.played)
	path := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		return err
	}
	return os.Setenv("ALSA_CONFIG_PATH", "/usr/share/alsa/alsa.conf:"+path)
}

func s16le(s []float32) []byte {
	b := make([]byte, 2*len(s))
	for i, v := range s {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(int16(math.Round(float64(v)*32767))))
	}
	return b
}

// readRaw reads headerless 16-bit little-endian PCM.
func readRaw(path string) ([]float32, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return audio.FromPCM16(b).Samples, nil
}

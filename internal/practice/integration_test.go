package practice

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/audio/audiotest"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/portaudio"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/speech"
	"github.com/rehearse-app/rehearse/internal/sqlcipher"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

// The integration tests run a spoken answer through the real parts: the
// PortAudio → ALSA capture stack, voice-activity detection, the encrypted
// SQLCipher store and, with the whisper build tag, whisper.cpp.
//
// The microphone is ALSA's "file" plugin, which delivers a raw S16_LE file
// as captured audio, bit for bit and faster than real time. TestMain writes
// the files and an ALSA configuration and points ALSA at it before anything
// starts PortAudio (ALSA reads its configuration once per process):
//
//	speechmic  espeak-ng speaking two sentences, with silence around them
//	silentmic  a quiet room: low noise, no speech (also the default device)
//
// Both files end in digital silence: past its end the plugin repeats the
// last block it read, so a recording that runs on stays silent. Every file
// is shorter than the capture ring (16 s), so none of it can be dropped
// however late the capture goroutine runs.

// micChildEnv marks the test binary re-run as a subprocess with an ALSA
// configuration that has no capture device.
const micChildEnv = "REHEARSE_PRACTICE_MIC_CHILD"

// answerSentences are spoken by the virtual microphone, one second apart.
var answerSentences = []string{
	"Um, in my last role I led the migration to a new billing system.",
	"We cut costs by twenty percent.",
}

var micFixture struct {
	dir string
	// setupErr is why the virtual microphones could not be built.
	setupErr error
	// noSpeech is why there is no speaking microphone (espeak-ng missing).
	noSpeech string
	// speech is the speaking microphone's whole file as samples; spans is
	// where each sentence lies in it (seconds).
	speech []float32
	spans  []rehearse.Segment
	// wav is the same two sentences as espeak-ng wrote them (22.05 kHz), a
	// recording the user might import.
	wav string
	// silence is the length of the silent microphone's file in samples.
	silence int
}

const (
	micLead = 0.3 // seconds of silence before the first sentence
	micGap  = 1.0 // between the sentences
	micTail = 2.0 // after the last one
)

func TestMain(m *testing.M) {
	if os.Getenv(micChildEnv) != "" {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "rehearse-practice-mic-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	micFixture.dir = dir
	if err := setupMicrophones(dir); err != nil {
		micFixture.setupErr = err
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func setupMicrophones(dir string) error {
	// The quiet room: 3 s of deterministic noise at about -65 dBFS,
	// ending in digital silence.
	room := make([]float32, 3*rehearse.SampleRate)
	seed := uint32(12345)
	for i := range room[:len(room)-rehearse.SampleRate/2] {
		seed = seed*1664525 + 1013904223
		room[i] = (float32(seed>>16)/65535 - 0.5) * 0.002
	}
	silentRaw := filepath.Join(dir, "silence.raw")
	if err := os.WriteFile(silentRaw, audio.PCM16(rehearse.Audio{Samples: room}), 0o600); err != nil {
		return err
	}
	micFixture.silence = len(room)
	conf := fmt.Sprintf("pcm.silentmic { type file; slave.pcm \"null\"; file \"/dev/null\"; infile %q; format \"raw\" }\n", silentRaw)

	if _, err := exec.LookPath("espeak-ng"); err != nil {
		micFixture.noSpeech = "espeak-ng is not installed (make deps): there is no speech for the virtual microphone"
	} else {
		raw, err := writeSpeech(dir)
		if err != nil {
			return err
		}
		conf += fmt.Sprintf("pcm.speechmic { type file; slave.pcm \"null\"; file \"/dev/null\"; infile %q; format \"raw\" }\n", raw)
	}
	conf += "pcm.!default { type asym; capture.pcm \"silentmic\"; playback.pcm \"null\" }\n"
	path := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		return err
	}
	return os.Setenv("ALSA_CONFIG_PATH", "/usr/share/alsa/alsa.conf:"+path)
}

// writeSpeech synthesises the answer, converts it to 16 kHz with Rehearse's
// own WAV reader and writes the speaking microphone's file.
func writeSpeech(dir string) (string, error) {
	espeak := func(path, text string) (rehearse.Audio, error) {
		if out, err := exec.Command("espeak-ng", "-v", "en-us", "-s", "160", "-w", path, text).CombinedOutput(); err != nil {
			return rehearse.Audio{}, fmt.Errorf("espeak-ng: %v: %s", err, out)
		}
		a, _, err := audio.ReadWAVFile(path)
		return a, err
	}
	samples := make([]float32, int(micLead*rehearse.SampleRate))
	for i, s := range answerSentences {
		a, err := espeak(filepath.Join(dir, fmt.Sprintf("sentence%d.wav", i)), s)
		if err != nil {
			return "", err
		}
		if i > 0 {
			samples = append(samples, make([]float32, int(micGap*rehearse.SampleRate))...)
		}
		start := float64(len(samples)) / rehearse.SampleRate
		samples = append(samples, a.Samples...)
		micFixture.spans = append(micFixture.spans, rehearse.Segment{Start: start, End: float64(len(samples)) / rehearse.SampleRate})
	}
	samples = append(samples, make([]float32, int(micTail*rehearse.SampleRate))...)
	pcm := audio.PCM16(rehearse.Audio{Samples: samples})
	raw := filepath.Join(dir, "speech.raw")
	if err := os.WriteFile(raw, pcm, 0o600); err != nil {
		return "", err
	}
	micFixture.speech = audio.FromPCM16(pcm).Samples // exactly what the device delivers
	micFixture.wav = filepath.Join(dir, "answer.wav")
	if _, err := espeak(micFixture.wav, strings.Join(answerSentences, " ")); err != nil {
		return "", err
	}
	return raw, nil
}

// needSpeech skips a test that needs the speaking microphone when it cannot
// exist here, and fails it when building it went wrong.
func needSpeech(t *testing.T) {
	t.Helper()
	needMicrophones(t)
	if micFixture.noSpeech != "" {
		t.Skip(micFixture.noSpeech)
	}
}

func needMicrophones(t *testing.T) {
	t.Helper()
	if micFixture.setupErr != nil {
		t.Fatalf("virtual microphone: %v", micFixture.setupErr)
	}
}

// newPortAudio starts the real sound system.
func newPortAudio(t *testing.T) *portaudio.Microphone {
	t.Helper()
	m, err := portaudio.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Error(err)
		}
	})
	return m
}

// encryptedStore is a real SQLCipher store in its own folder.
type encryptedStore struct {
	*sqlcipher.Store
	dir string
	key []byte
}

func openEncryptedStore(t *testing.T) *encryptedStore {
	t.Helper()
	es := &encryptedStore{dir: t.TempDir(), key: make([]byte, sqlcipher.KeySize)}
	if _, err := rand.Read(es.key); err != nil {
		t.Fatal(err)
	}
	st, err := sqlcipher.Open(context.Background(), filepath.Join(es.dir, "rehearse.db"), es.key, sqlcipher.Options{})
	if err != nil {
		t.Fatal(err)
	}
	es.Store = st
	t.Cleanup(func() { st.Close() })
	return es
}

// reopen opens the same file again with the same key: what a later run of
// Rehearse reads.
func (es *encryptedStore) reopen(t *testing.T) *sqlcipher.Store {
	t.Helper()
	st, err := sqlcipher.Open(context.Background(), filepath.Join(es.dir, "rehearse.db"), es.key, sqlcipher.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// leaks reports the first file of the store's folder (database, WAL,
// journal) that contains b in the clear.
func (es *encryptedStore) leaks(t *testing.T, b []byte) string {
	t.Helper()
	entries, err := os.ReadDir(es.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(es.dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, b) {
			return e.Name()
		}
	}
	return ""
}

func newIntegrationService(t *testing.T, st rehearse.Store, mic rehearse.Microphone, tr func(context.Context) (rehearse.Transcriber, error), sp speech.Options) *Service {
	t.Helper()
	s, err := New(Config{Store: st, Mic: mic, Transcriber: tr, Speech: sp})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var spokenQ = rehearse.Question{ID: "beh-impact", Text: "Tell me about a project you are proud of.", Type: rehearse.Behavioral}

// takeStats describes one recorded take.
type takeStats struct {
	stop     time.Duration // time spent in Take.Stop
	levels   int           // level readings received
	loudest  float32       // highest RMS reading
	overruns int
	// transcribing is whether the take was transcribed while recording;
	// partial is the last partial transcript it offered, if any.
	transcribing bool
	partial      string
}

// recordFromMic records an answer from the named virtual microphone until
// at least n samples have been captured (as the level meter shows), then
// stops the take.
func recordFromMic(t *testing.T, s *Service, sessionID int64, device string, n int) (*Answer, takeStats, error) {
	t.Helper()
	ctx := context.Background()
	take, err := s.Record(ctx, sessionID, spokenQ, device, true)
	if err != nil {
		t.Fatalf("Record(%q): %v", device, err)
	}
	var st takeStats
	want := time.Duration(n) * time.Second / rehearse.SampleRate
	deadline := time.After(30 * time.Second)
	for seen := time.Duration(0); seen < want; {
		select {
		case lv, ok := <-take.Levels():
			if !ok {
				take.Cancel()
				t.Fatalf("the recording ended by itself after %v", seen)
			}
			if lv.Elapsed <= seen {
				take.Cancel()
				t.Fatalf("level reading at %v after one at %v", lv.Elapsed, seen)
			}
			seen = lv.Elapsed
			st.levels++
			st.loudest = max(st.loudest, lv.RMS)
			st.overruns = lv.Overrun
		case <-deadline:
			take.Cancel()
			t.Fatalf("only %v of %v captured after 30 s", seen, want)
		}
	}
	st.transcribing = take.Transcribing()
	start := time.Now()
	ans, err := take.Stop(ctx)
	st.stop = time.Since(start)
	select {
	case st.partial = <-take.Partial():
	default:
	}
	return ans, st, err
}

// loudestWindow returns the n samples of s around its loudest sample.
func loudestWindow(s []float32, n int) []float32 {
	at := 0
	for i, v := range s {
		if math.Abs(float64(v)) > math.Abs(float64(s[at])) {
			at = i
		}
	}
	from := min(max(at-n/2, 0), len(s)-n)
	return s[from : from+n]
}

// TestIntegrationRecordWithoutModelKeepsAudio: speech from the virtual
// microphone, through PortAudio, into the practice service on an encrypted
// store, on a computer that cannot transcribe. The answer is kept, with its
// recording encrypted, to be transcribed later; asking to transcribe it
// without a usable model changes nothing.
func TestIntegrationRecordWithoutModelKeepsAudio(t *testing.T) {
	needSpeech(t)
	ctx := context.Background()
	// The speech model on disk is cut short. In a build without whisper.cpp
	// it is never read (ErrNoTranscriber); with whisper.cpp it is refused
	// before it reaches the recogniser (ErrBadModel).
	model := filepath.Join(t.TempDir(), "ggml-synthetic.bin")
	if err := ggml.WriteSyntheticFile(model, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(model, 1<<20); err != nil {
		t.Fatal(err)
	}
	wantErr := rehearse.ErrNoTranscriber
	if whisper.Available() {
		wantErr = rehearse.ErrBadModel
	}
	loads := 0
	load := func(context.Context) (rehearse.Transcriber, error) {
		loads++
		m, err := whisper.Load(model, whisper.Options{Threads: 1})
		if err != nil {
			return nil, err
		}
		return m, nil
	}
	es := openEncryptedStore(t)
	svc := newIntegrationService(t, es, newPortAudio(t), load, speech.Options{})
	if err := svc.CanTranscribe(ctx); !errors.Is(err, wantErr) {
		t.Fatalf("CanTranscribe: %v, want %v", err, wantErr)
	}
	sess, err := svc.StartSession(ctx, "Spoken answers", "", rehearse.SessionSettings{})
	if err != nil {
		t.Fatal(err)
	}

	src := micFixture.speech
	ans, st, err := recordFromMic(t, svc, sess.ID, "speechmic", len(src))
	if err != nil {
		t.Fatalf("Stop: %v", err)
	}
	t.Logf("take: %d level readings, loudest RMS %.3f, %d overruns, Stop took %v; warning %q",
		st.levels, st.loudest, st.overruns, st.stop.Round(time.Microsecond), ans.Warning)
	if st.loudest < 0.01 {
		t.Errorf("the level meter never showed the speech (loudest RMS %.4f)", st.loudest)
	}
	if st.transcribing || st.partial != "" {
		t.Errorf("without a model the take claims to transcribe (partial %q)", st.partial)
	}
	a := ans.Attempt
	if a.ID == 0 || a.Status != rehearse.StatusPendingTranscription || ans.Result != nil || !a.HasAudio || len(a.Analysis) != 0 {
		t.Fatalf("answer %+v (result %v), want a saved answer waiting for transcription with its audio", a, ans.Result)
	}
	if a.DurationS < float64(len(src))/rehearse.SampleRate || !a.LatencyKnown || a.QuestionID != spokenQ.ID {
		t.Errorf("attempt: duration %.2f s (source %.2f s), latency known %v, question %q",
			a.DurationS, float64(len(src))/rehearse.SampleRate, a.LatencyKnown, a.QuestionID)
	}

	pending, err := es.PendingAttempts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].ID != a.ID {
		t.Fatalf("pending answers: %+v", pending)
	}
	stored, err := es.AttemptAudio(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := stored.Duration(); math.Abs(got-a.DurationS) > 1e-9 {
		t.Errorf("stored audio %.3f s, attempt says %.3f s", got, a.DurationS)
	}
	if len(stored.Samples) < len(src) {
		t.Fatalf("stored audio has %d samples, the microphone delivered %d", len(stored.Samples), len(src))
	}
	c, lag := audiotest.Correlate(stored.Samples[:len(src)], src, 8)
	t.Logf("stored recording vs the microphone's source: normalised cross-correlation %.5f at lag %d (%d samples, %.2f s; recording %.2f s)",
		c, lag, len(src), float64(len(src))/rehearse.SampleRate, stored.Duration())
	if c < 0.99 || lag != 0 {
		t.Errorf("correlation %.4f at lag %d, want ≥ 0.99 at lag 0", c, lag)
	}
	var after float32
	for _, v := range stored.Samples[len(src):] {
		after = max(after, float32(math.Abs(float64(v))))
	}
	t.Logf("after the source's end: %d samples, peak %.5f", len(stored.Samples)-len(src), after)

	// Encrypted at rest: the loudest 40 ms of the recording, as stored
	// (16-bit PCM), appears in no file of the store's folder.
	probe := audio.PCM16(rehearse.Audio{Samples: loudestWindow(stored.Samples[:len(src)], 640)})
	if f := es.leaks(t, probe); f != "" {
		t.Errorf("the recording is readable without the key in %s", f)
	}

	// Transcribing later without a usable model: the error says why, and
	// the answer and its audio are untouched.
	loadsBefore := loads
	rep, err := svc.TranscribePending(ctx, nil)
	if rep != (PendingReport{Remaining: 1}) || !errors.Is(err, wantErr) {
		t.Fatalf("TranscribePending: %+v, %v; want 1 remaining, %v", rep, err, wantErr)
	}
	if loads == loadsBefore {
		t.Error("TranscribePending did not try to load the speech model")
	}
	t.Logf("TranscribePending without a usable model: %v", err)
	again, err := es.reopen(t).Attempt(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Status != rehearse.StatusPendingTranscription || !again.HasAudio {
		t.Errorf("after the failed transcription the answer is %s (audio %v)", again.Status, again.HasAudio)
	}
	kept, err := es.AttemptAudio(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(kept.Samples, stored.Samples) {
		t.Error("the kept recording changed")
	}
}

// TestIntegrationSilentMicrophone: a microphone that hears only the room.
// Nothing is saved and the user is told no speech was heard.
func TestIntegrationSilentMicrophone(t *testing.T) {
	needMicrophones(t)
	ctx := context.Background()
	es := openEncryptedStore(t)
	svc := newIntegrationService(t, es, newPortAudio(t), nil, speech.Options{})
	sess, err := svc.StartSession(ctx, "", "", rehearse.SessionSettings{})
	if err != nil {
		t.Fatal(err)
	}
	// "" is the default device: the silent one.
	ans, st, err := recordFromMic(t, svc, sess.ID, "", micFixture.silence)
	if !errors.Is(err, rehearse.ErrNoSpeech) || ans != nil {
		t.Fatalf("Stop: %+v, %v; want ErrNoSpeech", ans, err)
	}
	t.Logf("silent take: %d level readings, loudest RMS %.5f, Stop took %v: %v", st.levels, st.loudest, st.stop.Round(time.Microsecond), err)
	if st.loudest <= 0 || st.loudest > 0.01 {
		t.Errorf("loudest RMS %.5f: the device did not deliver the quiet room", st.loudest)
	}
	stats, err := es.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Attempts != 0 || stats.Recordings != 0 {
		t.Errorf("after a silent take the store holds %d answers and %d recordings", stats.Attempts, stats.Recordings)
	}
}

// TestIntegrationNoMicrophone runs in a subprocess whose ALSA configuration
// has no capture device (a computer without a sound card).
func TestIntegrationNoMicrophone(t *testing.T) {
	if os.Getenv(micChildEnv) == "nodevice" {
		ctx := context.Background()
		mic := newPortAudio(t)
		if devs, _ := mic.Devices(ctx); len(devs) > 0 {
			t.Skipf("this computer has real microphones (%v); a computer without one cannot be imitated here", devs)
		}
		es := openEncryptedStore(t)
		svc := newIntegrationService(t, es, mic, nil, speech.Options{})
		sess, err := svc.StartSession(ctx, "", "", rehearse.SessionSettings{})
		if err != nil {
			t.Fatal(err)
		}
		for _, device := range []string{"", "speechmic"} {
			take, err := svc.Record(ctx, sess.ID, spokenQ, device, true)
			if take != nil || !errors.Is(err, rehearse.ErrNoInputDevice) {
				t.Errorf("Record(%q): %v, want ErrNoInputDevice", device, err)
			}
			t.Logf("Record(%q) without a microphone: %v", device, err)
		}
		stats, err := es.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if stats.Attempts != 0 {
			t.Errorf("%d answers stored", stats.Attempts)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestIntegrationNoMicrophone$", "-test.v")
	cmd.Env = append(os.Environ(), micChildEnv+"=nodevice", "ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("subprocess: %v\n%s", err, out)
	}
	passed := false
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.Contains(line, "without a microphone"):
			t.Log(line)
		case strings.HasPrefix(line, "--- SKIP: TestIntegrationNoMicrophone"), strings.Contains(line, "real microphones"):
			t.Skip(line)
		case strings.HasPrefix(line, "--- PASS: TestIntegrationNoMicrophone"):
			passed = true
		}
	}
	if !passed {
		t.Fatalf("the subprocess did not run the test:\n%s", out)
	}
}

package portaudio

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gordonklaus/portaudio"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/audio/audiotest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func newMic(t *testing.T) *Microphone {
	t.Helper()
	m, err := New()
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

func TestDevices(t *testing.T) {
	m := newMic(t)
	devs, err := m.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	defaults := 0
	for _, d := range devs {
		names = append(names, d.Name)
		if d.Channels <= 0 {
			t.Errorf("%q has %d input channels", d.Name, d.Channels)
		}
		if d.Default {
			defaults++
			if d.Name != "default" {
				t.Errorf("default device is %q, want \"default\"", d.Name)
			}
		}
	}
	t.Logf("devices: %q", names)
	for _, want := range []string{"mic16", "mic48", "default"} {
		if !slices.Contains(names, want) {
			t.Errorf("%q not listed", want)
		}
	}
	if slices.Contains(names, "loopback_monitor") {
		t.Error("a monitor source (the computer's own output) is offered as a microphone")
	}
	if defaults != 1 {
		t.Errorf("%d default devices", defaults)
	}
}

// capture records from the device until n samples have arrived on Chunks,
// then stops. It checks that the chunks add up to the recording and that
// levels flowed.
func capture(t *testing.T, m *Microphone, device string, n int) (rehearse.Audio, rehearse.Recording) {
	t.Helper()
	rec, err := m.Record(context.Background(), device)
	if err != nil {
		t.Fatal(err)
	}
	var levels []rehearse.Level
	levelsDone := make(chan struct{})
	go func() {
		for lv := range rec.Levels() {
			levels = append(levels, lv)
		}
		close(levelsDone)
	}()
	var chunks []float32
	deadline := time.After(30 * time.Second)
	for len(chunks) < n {
		select {
		case c, ok := <-rec.Chunks():
			if !ok {
				t.Fatalf("chunks closed after %d samples", len(chunks))
			}
			chunks = append(chunks, c...)
		case <-deadline:
			t.Fatalf("only %d of %d samples captured", len(chunks), n)
		}
	}
	a, err := rec.Stop()
	if err != nil {
		t.Fatal(err)
	}
	for c := range rec.Chunks() { // the rest, until closed
		chunks = append(chunks, c...)
	}
	<-levelsDone
	if !slices.Equal(chunks, a.Samples) {
		t.Errorf("chunks (%d samples) differ from the recording (%d samples)", len(chunks), len(a.Samples))
	}
	if len(levels) == 0 {
		t.Error("no level readings")
	}
	for i := 1; i < len(levels); i++ {
		if levels[i].Elapsed <= levels[i-1].Elapsed {
			t.Fatalf("level %d: elapsed %v after %v", i, levels[i].Elapsed, levels[i-1].Elapsed)
		}
	}
	var loud bool
	for _, lv := range levels {
		if lv.Elapsed < time.Duration(n)*time.Second/rehearse.SampleRate && lv.RMS > 0.01 && lv.Peak >= lv.RMS {
			loud = true
		}
	}
	if !loud {
		t.Error("no level reading shows the speech")
	}
	return a, rec
}

// TestCaptureMatchesSource records the virtual microphone at 16 kHz and at
// 48 kHz (resampled to 16 kHz in Rehearse) and compares what was captured
// with what the device delivered.
func TestCaptureMatchesSource(t *testing.T) {
	n := fixture.speech16
	ref48 := audio.NewResampler(48000, 16000)
	src48at16 := ref48.Flush(ref48.Process(fixture.src48, nil))
	tests := []struct {
		name   string
		device string
		rates  []float64
		refs   map[string][]float32
	}{
		{"16 kHz stream", "mic16", nil, map[string][]float32{"source file": fixture.src16}},
		{"48 kHz stream", "mic48", []float64{48000}, map[string][]float32{
			"48 kHz source resampled by Rehearse": src48at16,
			"16 kHz source resampled by sox":      fixture.src16,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMic(t)
			m.rates = tt.rates
			a, rec := capture(t, m, tt.device, n+rehearse.SampleRate/2)
			got := a.Samples[:n] // never past the file's real content
			for refName, ref := range tt.refs {
				c, lag := audiotest.Correlate(got, ref[:n], 32)
				t.Logf("%s: captured vs %s: normalised cross-correlation %.5f at lag %d samples (%d samples, %.2f s; overruns %d)",
					tt.name, refName, c, lag, n, float64(n)/rehearse.SampleRate, rec.Overruns())
				if c < 0.99 || lag != 0 {
					t.Errorf("captured vs %s: correlation %.4f at lag %d, want ≥ 0.99 at lag 0", refName, c, lag)
				}
			}
		})
	}
}

func TestRecordRefusesMonitorAndUnknown(t *testing.T) {
	m := newMic(t)
	for _, name := range []string{"loopback_monitor", "no such microphone"} {
		_, err := m.Record(context.Background(), name)
		if !errors.Is(err, rehearse.ErrNoInputDevice) || !strings.Contains(err.Error(), name) {
			t.Errorf("Record(%q): %v, want ErrNoInputDevice naming it", name, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Record(ctx, ""); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

// TestNoDevice runs in a subprocess whose ALSA configuration has no
// capture device at all (a machine without a sound card).
func TestNoDevice(t *testing.T) {
	if os.Getenv(childEnv) == "nodevice" {
		m := newMic(t)
		devs, err := m.Devices(context.Background())
		if len(devs) > 0 {
			t.Skipf("this machine has real audio devices (%v); the no-device case cannot be produced", devs)
		}
		if !errors.Is(err, rehearse.ErrNoInputDevice) {
			t.Errorf("Devices: %v, want ErrNoInputDevice", err)
		}
		_, err = m.Record(context.Background(), "")
		if !errors.Is(err, rehearse.ErrNoInputDevice) {
			t.Errorf("Record: %v, want ErrNoInputDevice", err)
		}
		t.Logf("Record without a microphone: %v", err)
		err = m.Play(context.Background(), rehearse.Audio{Samples: make([]float32, 1600)}, 0)
		if !errors.Is(err, rehearse.ErrNoOutputDevice) {
			t.Errorf("Play: %v, want ErrNoOutputDevice", err)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoDevice$", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"=nodevice", "ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("subprocess: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "without a microphone") || strings.Contains(line, "SKIP") {
			t.Log(strings.TrimSpace(line))
		}
	}
}

func TestPlay(t *testing.T) {
	m := newMic(t)
	a := rehearse.Audio{Samples: fixture.src16[:fixture.speech16]}
	const from = 0.5
	if err := m.Play(context.Background(), a, from); err != nil {
		t.Fatal(err)
	}
	played, err := readRaw(fixture.played)
	if err != nil {
		t.Fatal(err)
	}
	want := a.Samples[int(from*rehearse.SampleRate):]
	if len(played) < len(want) {
		t.Fatalf("%d samples played, want %d", len(played), len(want))
	}
	c, lag := audiotest.Correlate(want, played[:len(want)], 32)
	t.Logf("played vs recording from %.1fs: correlation %.5f at lag %d (%d samples)", from, c, lag, len(want))
	if c < 0.99 || lag != 0 {
		t.Errorf("correlation %.4f at lag %d, want ≥ 0.99 at lag 0", c, lag)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.Play(ctx, a, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if err := m.Play(context.Background(), a, 1e6); err != nil {
		t.Errorf("from past the end: %v", err)
	}
}

func TestClassify(t *testing.T) {
	mic, out := rehearse.ErrNoInputDevice, rehearse.ErrNoOutputDevice
	tests := []struct {
		what    string
		missing error // the error for a device that is not there
		err     error
		want    error
	}{
		{`open microphone "x"`, mic, portaudio.NoDefaultInputDevice, mic},
		{`open microphone "x"`, mic, portaudio.InvalidDevice, mic},
		{`open speakers "x"`, out, portaudio.NoDefaultOutputDevice, out},
		{`open speakers "x"`, out, portaudio.InvalidDevice, out},
		{`open microphone "x"`, mic, portaudio.DeviceUnavailable, rehearse.ErrDeviceBusy},
		{`open microphone "x"`, mic, portaudio.UnanticipatedHostError{Code: -16, Text: "Device or resource busy"}, rehearse.ErrDeviceBusy},
		{`open microphone "x"`, mic, portaudio.UnanticipatedHostError{Code: -19, Text: "No such device"}, mic},
		{`play recording on "x"`, out, portaudio.UnanticipatedHostError{Code: -19, Text: "No such device"}, out},
		{`open microphone "x"`, mic, portaudio.InvalidSampleRate, rehearse.ErrUnsupportedFormat},
		{`open speakers "x"`, out, portaudio.SampleFormatNotSupported, rehearse.ErrUnsupportedFormat},
		{`open microphone "x"`, mic, portaudio.InvalidChannelCount, rehearse.ErrUnsupportedFormat},
		{`open microphone "x"`, mic, nil, rehearse.ErrUnsupportedFormat},
	}
	for _, tt := range tests {
		got := classify(tt.what, tt.missing, tt.err)
		if !errors.Is(got, tt.want) {
			t.Errorf("classify(%q, %v) = %v, want %v", tt.what, tt.err, got, tt.want)
		}
		if tt.missing == out && errors.Is(got, mic) {
			t.Errorf("classify(%q, %v) = %v: a speaker error reported as a missing microphone", tt.what, tt.err, got)
		}
		if tt.err != nil && !errors.Is(got, tt.err) {
			t.Errorf("classify(%v) = %v loses the driver's error", tt.err, got)
		}
		if !strings.HasPrefix(got.Error(), tt.what+": ") {
			t.Errorf("message %q", got)
		}
	}
	if err := classify("x", rehearse.ErrNoInputDevice, portaudio.TimedOut); errors.Is(err, rehearse.ErrDeviceBusy) || !errors.Is(err, portaudio.TimedOut) {
		t.Errorf("unclassified error: %v", err)
	}
}

// TestDeviceStallsMidAnswer: through the real PortAudio → ALSA stack, a
// device delivers 1.5 s of speech and then blocks forever, as a microphone
// that stopped responding. The recording ends by itself with ErrDeviceLost
// and keeps what was captured.
func TestDeviceStallsMidAnswer(t *testing.T) {
	m := newMic(t)
	m.stall = 500 * time.Millisecond
	n := 24000
	if _, err := fixture.fifo.Write(s16le(fixture.src16[:n])); err != nil {
		t.Fatal(err)
	}
	rec, err := m.Record(context.Background(), "stallmic")
	if err != nil {
		t.Fatal(err)
	}
	r := rec.(*recording)
	select {
	case <-r.Done():
	case <-time.After(20 * time.Second):
		t.Fatal("the recording did not notice that the device stopped")
	}
	a, err := rec.Stop()
	// Release the driver's blocked read so the stream can be closed and
	// PortAudio shut down.
	fixture.fifo.SetWriteDeadline(time.Now().Add(2 * time.Second))
	fixture.fifo.Write(make([]byte, 32000))
	if !errors.Is(err, rehearse.ErrDeviceLost) {
		t.Fatalf("Stop: %v, want ErrDeviceLost", err)
	}
	got := len(a.Samples)
	t.Logf("device stalled after %d samples: kept %d samples (%.2f s); %v", n, got, float64(got)/rehearse.SampleRate, err)
	// The device's last read may return a partial buffer padded by ALSA.
	if got < n/2 || got > n+4096 {
		t.Fatalf("kept %d samples, want about the %d delivered", got, n)
	}
	k := min(got, n)
	c, lag := audiotest.Correlate(a.Samples[:k], fixture.src16[:k], 8)
	t.Logf("kept audio vs source: correlation %.5f at lag %d", c, lag)
	if c < 0.99 || lag != 0 {
		t.Errorf("kept audio differs from what the device delivered: correlation %.4f at lag %d", c, lag)
	}
}

// TestUnsupportedFormat asks the real device for a rate no sound system
// offers.
func TestUnsupportedFormat(t *testing.T) {
	m := newMic(t)
	m.rates = []float64{5e6}
	_, err := m.Record(context.Background(), "mic16")
	t.Logf("Record at 5 MHz: %v", err)
	if !errors.Is(err, rehearse.ErrUnsupportedFormat) || !strings.Contains(err.Error(), "mic16") {
		t.Errorf("Record: %v, want ErrUnsupportedFormat naming the device", err)
	}
}

package portaudio

import (
	"errors"
	"math"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gordonklaus/portaudio"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// fakeStream stands in for a PortAudio stream where a test isolates the
// capture logic on purpose: it lets the test decide when the "device"
// delivers and when it falls silent.
type fakeStream struct {
	stopped, aborted, closed atomic.Bool
}

func (f *fakeStream) Stop() error  { f.stopped.Store(true); return nil }
func (f *fakeStream) Abort() error { f.aborted.Store(true); return nil }
func (f *fakeStream) Close() error { f.closed.Store(true); return nil }

// feed plays the driver: it calls the callback with blocks of a 440 Hz tone
// (interleaved over ch channels) at the given pace, for dur of audio.
func feed(r *recording, rate, ch int, dur, pace time.Duration) {
	block := rate / 100 // 10 ms
	buf := make([]int16, block*ch)
	total := int(dur.Seconds() * float64(rate))
	for i := 0; i < total; i += block {
		for f := 0; f < block; f++ {
			v := int16(8000 * math.Sin(2*math.Pi*440*float64(i+f)/float64(rate)))
			for k := 0; k < ch; k++ {
				buf[f*ch+k] = v
			}
		}
		r.callback(buf, portaudio.StreamCallbackTimeInfo{}, 0)
		if pace > 0 {
			time.Sleep(pace)
		}
	}
}

// TestDeviceLost: the device delivers one second of audio and then nothing
// (as when a USB microphone is pulled). The recording ends by itself, keeps
// the second it got and reports ErrDeviceLost. The silence of a real device
// cannot be produced through the virtual ALSA microphone (past the end of
// its file it keeps delivering), so this test drives the callback directly.
func TestDeviceLost(t *testing.T) {
	s := &fakeStream{}
	r := newRecording(2, 48000, 300*time.Millisecond)
	r.name = "USB microphone"
	r.stream = s
	go r.run()
	feed(r, 48000, 2, time.Second, 0)
	select {
	case <-r.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the recording did not notice the device had stopped")
	}
	a, err := r.Stop()
	if !errors.Is(err, rehearse.ErrDeviceLost) {
		t.Fatalf("Stop: %v, want ErrDeviceLost", err)
	}
	t.Logf("Stop after the device vanished: %d samples, %v", len(a.Samples), err)
	if len(a.Samples) != rehearse.SampleRate {
		t.Errorf("%d samples kept, want %d (one second)", len(a.Samples), rehearse.SampleRate)
	}
	if !s.aborted.Load() || !s.closed.Load() {
		t.Error("the stream was not aborted and closed")
	}
	if _, ok := <-r.Levels(); ok {
		// Drain: the channel must be closed after buffered readings.
		for range r.Levels() {
		}
	}
	n := 0
	for c := range r.Chunks() {
		n += len(c)
	}
	if n != rehearse.SampleRate {
		t.Errorf("chunks carried %d samples, want %d", n, rehearse.SampleRate)
	}
	if a2, err2 := r.Stop(); len(a2.Samples) != len(a.Samples) || !errors.Is(err2, rehearse.ErrDeviceLost) {
		t.Error("a second Stop returned something else")
	}
}

// TestLevelsPerSecond: a reader that keeps up gets at least 20 level
// readings per second of audio, with elapsed time and levels that match a
// tone of known loudness.
func TestLevelsPerSecond(t *testing.T) {
	r := newRecording(1, 44100, time.Minute)
	r.stream = &fakeStream{}
	go r.run()
	var levels []rehearse.Level
	done := make(chan struct{})
	go func() {
		for lv := range r.Levels() {
			levels = append(levels, lv)
		}
		close(done)
	}()
	feed(r, 44100, 1, 2*time.Second, time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	a, err := r.Stop()
	if err != nil {
		t.Fatal(err)
	}
	<-done
	secs := a.Duration()
	t.Logf("%d readings for %.2f s of audio", len(levels), secs)
	if float64(len(levels)) < 20*secs-1 {
		t.Errorf("%d readings for %.2f s, want ≥ 20 per second", len(levels), secs)
	}
	want := 8000.0 / 32768 / math.Sqrt2
	for _, lv := range levels[2 : len(levels)-2] {
		if math.Abs(float64(lv.RMS)-want) > 0.01 || math.Abs(float64(lv.Peak)-8000.0/32768) > 0.01 {
			t.Fatalf("level %+v, want RMS %.3f", lv, want)
		}
	}
	if r.Overruns() != 0 {
		t.Errorf("%d overruns", r.Overruns())
	}
}

// TestOverrunCounted: a ring with no room drops whole blocks and counts
// them.
func TestOverrunCounted(t *testing.T) {
	r := newRecording(1, 16000, time.Minute)
	block := make([]int16, 160)
	fits := len(r.ring.buf) / len(block)
	for i := 0; i < fits+5; i++ {
		r.callback(block, portaudio.StreamCallbackTimeInfo{}, 0)
	}
	r.callback(block, portaudio.StreamCallbackTimeInfo{}, portaudio.InputOverflow)
	if got := r.Overruns(); got != 7 {
		t.Errorf("Overruns() = %d, want 7 (6 blocks without room, 1 reported by the driver)", got)
	}
}

// TestCallbackDoesNotAllocate proves the real-time path allocates nothing,
// with room in the ring and without.
func TestCallbackDoesNotAllocate(t *testing.T) {
	r := newRecording(2, 48000, time.Minute)
	buf := make([]int16, 2*512)
	ti := portaudio.StreamCallbackTimeInfo{}
	allocs := testing.AllocsPerRun(1000, func() {
		r.callback(buf, ti, 0)
		r.ring.r.Store(r.ring.w.Load()) // the consumer keeps up
	})
	if allocs != 0 {
		t.Errorf("callback allocates %v times per call", allocs)
	}
	allocs = testing.AllocsPerRun(1000, func() { r.callback(buf, ti, portaudio.InputOverflow) }) // ring fills, then drops
	if allocs != 0 {
		t.Errorf("callback allocates %v times per call when the ring is full", allocs)
	}
}

func TestRingWrapsAround(t *testing.T) {
	q := newRing(8)
	out := make([]int16, 8)
	next := int16(0)
	want := int16(0)
	for round := 0; round < 50; round++ {
		in := make([]int16, 1+round%6)
		for i := range in {
			in[i] = next
			next++
		}
		if !q.write(in) {
			t.Fatalf("round %d: no room", round)
		}
		n := q.read(out, 1)
		for _, v := range out[:n] {
			if v != want {
				t.Fatalf("round %d: read %d, want %d", round, v, want)
			}
			want++
		}
	}
	q.write([]int16{1, 2, 3})
	if n := q.read(out, 2); n != 2 {
		t.Errorf("read of whole stereo frames returned %d samples", n)
	}
}

func BenchmarkCallback(b *testing.B) {
	r := newRecording(2, 48000, time.Minute)
	buf := make([]int16, 2*480) // 10 ms of 48 kHz stereo
	ti := portaudio.StreamCallbackTimeInfo{}
	b.ReportAllocs()
	b.SetBytes(int64(len(buf) * 2))
	for i := 0; i < b.N; i++ {
		r.callback(buf, ti, 0)
		r.ring.r.Store(r.ring.w.Load())
	}
}

// BenchmarkConvert measures the capture goroutine's work per second of
// 48 kHz stereo audio: mixing, resampling, metering, chunking.
func BenchmarkConvert(b *testing.B) {
	r := newRecording(2, 48000, time.Minute)
	r.levels = make(chan rehearse.Level, 1)
	r.chunks = make(chan []float32, 1)
	block := make([]int16, 2*480)
	c := newConverter(r)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for k := 0; k < 100; k++ { // one second
			r.ring.write(block)
			c.drain()
		}
		c.samples = c.samples[:0]
		c.chunkFrom = 0
		c.pending = c.pending[:0]
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/audio-s")
}

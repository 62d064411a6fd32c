package portaudio

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gordonklaus/portaudio"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

const (
	// levelEvery is the audio covered by one level reading: 40 ms, so the
	// meter updates 25 times a second.
	levelEvery = rehearse.SampleRate / 25
	// chunkLen is the length of one block sent on Chunks: 100 ms.
	chunkLen = rehearse.SampleRate / 10
	// chunkQueue is how many chunks wait for a slow reader before they are
	// held in an unbounded queue (never dropped).
	chunkQueue = 1024
	// ringSeconds of device audio fit in the real-time ring.
	ringSeconds = 10
	// defaultStall is how long the device may deliver nothing before the
	// recording is declared lost. Devices deliver every few to a few hundred
	// milliseconds while they work.
	defaultStall = 2 * time.Second
	// startGrace is added to the stall limit before the first delivery.
	startGrace = 3 * time.Second
	// drainEvery is how often the capture goroutine empties the ring.
	drainEvery = 5 * time.Millisecond
)

// Microphone records from and plays through the sound system. It implements
// rehearse.Microphone and rehearse.Player. Create it with New and Close it
// when done.
type Microphone struct {
	mu     sync.Mutex
	closed bool
	active map[*recording]struct{}

	// rates, when set, replaces the sample rates tried when a device is
	// opened (tests use it to force a 48 kHz stream).
	rates []float64
	// stall is how long silence from the driver means the device is gone.
	stall time.Duration
	// stuck is set when a lost device's stream could not be stopped: then
	// shutting PortAudio down would hang too, so Close leaves it running.
	stuck int
}

var (
	_ rehearse.Microphone = (*Microphone)(nil)
	_ rehearse.Player     = (*Microphone)(nil)
)

// New starts PortAudio, with the sound systems it probes (ALSA, JACK) kept
// from printing on stderr.
func New() (*Microphone, error) {
	quietOnce.Do(quietDrivers)
	if err := portaudio.Initialize(); err != nil {
		return nil, fmt.Errorf("start the sound system (PortAudio): %w", err)
	}
	skipLowStreamIDs.Do(func() {
		for i := 0; i < 4096; i++ {
			// Fails before reaching C, but uses up one stream id.
			_, _ = portaudio.OpenStream(portaudio.StreamParameters{})
		}
	})
	return &Microphone{active: make(map[*recording]struct{}), stall: defaultStall}, nil
}

// skipLowStreamIDs works around the binding handing each stream's numeric id
// to C as a pointer: ids 1–4095 are not valid pointer values, and Go's
// pointer checks (enabled by -race) abort the program when such a stream is
// opened. Opening with no buffer fails before any C call but still uses up
// an id, so after 4096 such calls every real stream gets a safe id.
var skipLowStreamIDs sync.Once

var quietOnce sync.Once

// Close stops any recording still running and shuts PortAudio down.
func (m *Microphone) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	recs := make([]*recording, 0, len(m.active))
	for r := range m.active {
		recs = append(recs, r)
	}
	m.mu.Unlock()
	for _, r := range recs {
		r.Stop()
	}
	stuck := 0
	for wait := 0; wait < 40; wait++ { // give a stuck driver 2 s to let go
		m.mu.Lock()
		stuck = m.stuck
		m.mu.Unlock()
		if stuck == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if stuck > 0 {
		return errors.New("stop the sound system: a microphone that stopped responding is still held by its driver; it is released when Rehearse exits")
	}
	if err := portaudio.Terminate(); err != nil {
		return fmt.Errorf("stop the sound system (PortAudio): %w", err)
	}
	return nil
}

// isMonitor reports whether a device is a "monitor" source: PulseAudio and
// PipeWire expose what the speakers play as such input devices. Recording
// them would capture the computer's audio (for example the other side of a
// real call), which Rehearse never does, so they are not offered.
func isMonitor(name string) bool {
	return strings.Contains(strings.ToLower(name), "monitor")
}

// inputs lists the devices Rehearse may record from, and the default one
// (nil when there is none).
// devicesMu serialises device enumeration: portaudio.Devices is not safe
// to call from two goroutines at once (the window lists devices while a
// recording may be opening).
var devicesMu sync.Mutex

func inputs() ([]*portaudio.DeviceInfo, *portaudio.DeviceInfo, error) {
	devicesMu.Lock()
	defer devicesMu.Unlock()
	all, err := portaudio.Devices()
	if err != nil {
		return nil, nil, fmt.Errorf("list audio devices: %w", err)
	}
	var out []*portaudio.DeviceInfo
	for _, d := range all {
		if d.MaxInputChannels > 0 && !isMonitor(d.Name) {
			out = append(out, d)
		}
	}
	def, err := portaudio.DefaultInputDevice()
	if err != nil || def == nil || def.MaxInputChannels <= 0 || isMonitor(def.Name) {
		def = nil
	}
	return out, def, nil
}

// Devices lists the microphones. With none it returns an empty list and an
// error wrapping rehearse.ErrNoInputDevice.
func (m *Microphone) Devices(ctx context.Context) ([]rehearse.InputDevice, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := m.usable(); err != nil {
		return nil, err
	}
	devs, def, err := inputs()
	if err != nil {
		return nil, err
	}
	list := make([]rehearse.InputDevice, 0, len(devs))
	for _, d := range devs {
		list = append(list, rehearse.InputDevice{
			Name:        d.Name,
			Default:     def != nil && d.Index == def.Index,
			DefaultRate: d.DefaultSampleRate,
			Channels:    d.MaxInputChannels,
		})
	}
	if len(list) == 0 {
		return list, fmt.Errorf("list microphones: %w", rehearse.ErrNoInputDevice)
	}
	return list, nil
}

func (m *Microphone) usable() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return errors.New("the sound system has been shut down")
	}
	return nil
}

// pick finds the named input device, or the default one for "".
func pick(name string) (*portaudio.DeviceInfo, error) {
	devs, def, err := inputs()
	if err != nil {
		return nil, err
	}
	if name == "" {
		if def != nil {
			return def, nil
		}
		if len(devs) == 0 {
			return nil, fmt.Errorf("open microphone: %w", rehearse.ErrNoInputDevice)
		}
		return devs[0], nil
	}
	for _, d := range devs {
		if d.Name == name {
			return d, nil
		}
	}
	return nil, fmt.Errorf("open microphone %q: %w (it is not connected, or is not an input device)", name, rehearse.ErrNoInputDevice)
}

// negotiate chooses channels and a sample rate the device accepts: mono if
// possible, and 16 kHz, else the device's own rate, else 48 or 44.1 kHz.
func (m *Microphone) negotiate(d *portaudio.DeviceInfo) (portaudio.StreamParameters, error) {
	rates := m.rates
	if rates == nil {
		rates = []float64{rehearse.SampleRate, 48000, 44100}
		if r := d.DefaultSampleRate; r >= 8000 && r <= 384000 {
			rates = slices.Insert(rates, 1, r)
		}
	}
	chans := []int{1}
	if d.MaxInputChannels >= 2 {
		chans = append(chans, 2)
	}
	if d.MaxInputChannels > 2 {
		chans = append(chans, d.MaxInputChannels)
	}
	var last error
	for _, ch := range chans {
		for _, rate := range rates {
			p := portaudio.StreamParameters{
				Input:           portaudio.StreamDeviceParameters{Device: d, Channels: ch, Latency: d.DefaultHighInputLatency},
				SampleRate:      rate,
				FramesPerBuffer: portaudio.FramesPerBufferUnspecified,
			}
			err := portaudio.IsFormatSupported(p, func([]int16) {})
			if err == nil {
				return p, nil
			}
			last = err
		}
	}
	return portaudio.StreamParameters{}, classify(fmt.Sprintf("open microphone %q", d.Name), rehearse.ErrNoInputDevice, last)
}

// classify turns a PortAudio error into one of Rehearse's device errors,
// keeping the driver's own words after it. missing is the error for a device
// that is not there: rehearse.ErrNoInputDevice when opening a microphone,
// rehearse.ErrNoOutputDevice when opening speakers, so that a missing
// speaker is never reported as a missing microphone.
func classify(what string, missing, err error) error {
	var sentinel error
	var host portaudio.UnanticipatedHostError
	switch {
	case err == nil:
		return fmt.Errorf("%s: %w", what, rehearse.ErrUnsupportedFormat)
	case errors.Is(err, portaudio.NoDefaultInputDevice):
		sentinel = rehearse.ErrNoInputDevice
	case errors.Is(err, portaudio.NoDefaultOutputDevice):
		sentinel = rehearse.ErrNoOutputDevice
	case errors.Is(err, portaudio.InvalidDevice):
		sentinel = missing
	case errors.Is(err, portaudio.DeviceUnavailable):
		sentinel = rehearse.ErrDeviceBusy
	case errors.Is(err, portaudio.InvalidSampleRate), errors.Is(err, portaudio.SampleFormatNotSupported),
		errors.Is(err, portaudio.InvalidChannelCount), errors.Is(err, portaudio.BadIODeviceCombination):
		sentinel = rehearse.ErrUnsupportedFormat
	case errors.As(err, &host):
		switch {
		case host.Code == -16 || strings.Contains(strings.ToLower(host.Text), "busy"): // EBUSY
			sentinel = rehearse.ErrDeviceBusy
		case host.Code == -19 || host.Code == -2: // ENODEV, ENOENT: unplugged
			sentinel = missing
		}
	}
	if sentinel == nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: %w (%w)", what, sentinel, err)
}

// Record starts capturing from the named device ("" = the default one). ctx
// bounds opening the device; the capture then runs until Stop is called or
// the device is lost.
func (m *Microphone) Record(ctx context.Context, device string) (rehearse.Recording, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := m.usable(); err != nil {
		return nil, err
	}
	d, err := pick(device)
	if err != nil {
		return nil, err
	}
	p, err := m.negotiate(d)
	if err != nil {
		return nil, err
	}
	rec := newRecording(p.Input.Channels, int(p.SampleRate), m.stall)
	rec.name = d.Name
	s, err := portaudio.OpenStream(p, rec.callback)
	if err != nil {
		return nil, classify(fmt.Sprintf("open microphone %q", d.Name), rehearse.ErrNoInputDevice, err)
	}
	if err := ctx.Err(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.Start(); err != nil {
		s.Close()
		return nil, classify(fmt.Sprintf("start microphone %q", d.Name), rehearse.ErrNoInputDevice, err)
	}
	rec.stream = s
	m.mu.Lock()
	m.active[rec] = struct{}{}
	m.mu.Unlock()
	rec.onEnd = func() {
		m.mu.Lock()
		delete(m.active, rec)
		m.mu.Unlock()
	}
	rec.onStuck = func(delta int) {
		m.mu.Lock()
		m.stuck += delta
		m.mu.Unlock()
	}
	go rec.run()
	return rec, nil
}

// stream is the part of a PortAudio stream a recording controls.
type stream interface {
	Stop() error
	Abort() error
	Close() error
}

// recording is one capture. The real-time side is callback; everything else
// runs on the goroutine started by run.
type recording struct {
	name     string
	channels int
	rate     int
	stall    time.Duration
	stream   stream
	onEnd    func()
	onStuck  func(delta int) // +1 when an abort hangs, -1 when it returns

	ring      *ring
	calls     atomic.Uint64 // callbacks so far: the device's heartbeat
	hostDrops atomic.Int64  // buffers the driver reported lost

	levels chan rehearse.Level
	chunks chan []float32

	stopReq  chan struct{}
	stopOnce sync.Once
	done     chan struct{} // closed when run has finished
	samples  []float32     // the recording; read only after done
	err      error         // set before done
}

func newRecording(channels, rate int, stall time.Duration) *recording {
	if stall <= 0 {
		stall = defaultStall
	}
	return &recording{
		channels: channels,
		rate:     rate,
		stall:    stall,
		ring:     newRing(rate * channels * ringSeconds),
		levels:   make(chan rehearse.Level, 64),
		chunks:   make(chan []float32, chunkQueue),
		stopReq:  make(chan struct{}),
		done:     make(chan struct{}),
	}
}

// callback runs on the audio driver's real-time thread. It only copies into
// the preallocated ring and counts: no locks, no allocation, no waiting.
func (r *recording) callback(in []int16, _ portaudio.StreamCallbackTimeInfo, flags portaudio.StreamCallbackFlags) {
	if flags&portaudio.InputOverflow != 0 {
		r.hostDrops.Add(1)
	}
	r.ring.write(in)
	r.calls.Add(1)
}

func (r *recording) Levels() <-chan rehearse.Level { return r.levels }
func (r *recording) Chunks() <-chan []float32      { return r.chunks }

// Overruns counts audio blocks lost: those the ring had no room for and
// those the driver reported it dropped.
func (r *recording) Overruns() int { return int(r.ring.overruns.Load() + r.hostDrops.Load()) }

// Stop ends the capture and returns everything recorded. It may be called
// more than once.
func (r *recording) Stop() (rehearse.Audio, error) {
	r.stopOnce.Do(func() { close(r.stopReq) })
	<-r.done
	return rehearse.Audio{Samples: r.samples}, r.err
}

// run drains the ring until Stop or until the device stops delivering.
func (r *recording) run() {
	c := newConverter(r)
	tick := time.NewTicker(drainEvery)
	defer tick.Stop()
	lastCalls, lastBeat := uint64(0), time.Now()
	var lost error
loop:
	for {
		select {
		case <-r.stopReq:
			break loop
		case <-tick.C:
		}
		c.drain()
		limit := r.stall
		if lastCalls == 0 {
			limit += startGrace // some devices (Bluetooth) take a while to start
		}
		if n := r.calls.Load(); n != lastCalls {
			lastCalls, lastBeat = n, time.Now()
		} else if time.Since(lastBeat) > limit {
			lost = fmt.Errorf("record from %q: %w (no audio for %v); the answer so far was kept", r.name, rehearse.ErrDeviceLost, r.stall.Round(time.Millisecond))
			break loop
		}
	}
	stopErr := r.halt(lost != nil)
	c.drain() // no callbacks any more: take what is left
	c.finish()
	r.samples = c.samples
	switch {
	case lost != nil:
		r.err = lost
	case stopErr != nil:
		r.err = fmt.Errorf("stop recording from %q: %w (%w); the answer so far was kept", r.name, rehearse.ErrDeviceLost, stopErr)
	}
	close(r.levels)
	go deliver(r.chunks, c.pending)
	if r.onEnd != nil {
		r.onEnd()
	}
	close(r.done)
}

// halt stops the stream. A lost device is aborted, and not waited for
// longer than a second: a driver stuck on a vanished device must not hang
// the answer; the Microphone is told while the abort is pending.
func (r *recording) halt(lost bool) error {
	if r.stream == nil {
		return nil
	}
	res := make(chan error, 1)
	go func() {
		var err error
		if lost {
			err = r.stream.Abort()
		} else {
			err = r.stream.Stop()
		}
		if cerr := r.stream.Close(); err == nil {
			err = cerr
		}
		res <- err
	}()
	if !lost {
		return <-res
	}
	select { // the device is gone: its own error adds nothing
	case <-res:
	case <-time.After(time.Second):
		if r.onStuck != nil {
			r.onStuck(1)
			go func() {
				<-res
				r.onStuck(-1)
			}()
		}
	}
	return nil
}

// deliver hands the chunks a slow reader has not taken yet, then closes
// the channel.
func deliver(ch chan []float32, pending [][]float32) {
	for _, c := range pending {
		ch <- c
	}
	close(ch)
}

// converter turns raw device samples into 16 kHz mono and passes them on.
type converter struct {
	r         *recording
	rs        *audio.Resampler
	raw       []int16
	mono      []float32
	out       []float32
	meter     audio.Meter
	samples   []float32
	chunkFrom int // start of the next chunk in samples
	pending   [][]float32
}

func newConverter(r *recording) *converter {
	frames := r.rate / 20 // 50 ms per pass
	return &converter{
		r:       r,
		rs:      audio.NewResampler(r.rate, rehearse.SampleRate),
		raw:     make([]int16, frames*r.channels),
		mono:    make([]float32, frames),
		out:     make([]float32, 0, frames),
		samples: make([]float32, 0, rehearse.SampleRate*120),
	}
}

// drain takes what the ring holds now. It does not chase samples that
// arrive meanwhile, so a device delivering faster than they can be
// converted cannot keep it from noticing Stop.
func (c *converter) drain() {
	ch := c.r.channels
	for left := c.r.ring.available(); left > 0; {
		n := c.r.ring.read(c.raw[:min(len(c.raw), left)], ch)
		if n == 0 {
			return
		}
		left -= n
		frames := n / ch
		scale := 1 / (32768 * float32(ch))
		for f := 0; f < frames; f++ {
			var s int32
			for k := 0; k < ch; k++ {
				s += int32(c.raw[f*ch+k])
			}
			c.mono[f] = float32(s) * scale
		}
		c.out = c.rs.Process(c.mono[:frames], c.out[:0])
		c.emit(c.out)
	}
}

// finish flushes the resampler and the last partial chunk.
func (c *converter) finish() {
	c.out = c.rs.Flush(c.out[:0])
	c.emit(c.out)
	if c.chunkFrom < len(c.samples) {
		c.sendChunk(c.samples[c.chunkFrom:])
		c.chunkFrom = len(c.samples)
	}
}

// emit appends converted audio, feeds the meter and sends levels and
// complete chunks.
func (c *converter) emit(x []float32) {
	for len(x) > 0 {
		k := min(len(x), levelEvery-c.meter.Samples())
		c.meter.Add(x[:k])
		c.samples = append(c.samples, x[:k]...)
		x = x[k:]
		if c.meter.Samples() == levelEvery {
			rms, peak := c.meter.Read()
			lv := rehearse.Level{
				RMS:     rms,
				Peak:    peak,
				Elapsed: time.Duration(len(c.samples)) * time.Second / rehearse.SampleRate,
				Overrun: c.r.Overruns(),
			}
			select {
			case c.r.levels <- lv:
			default: // the meter is behind: drop a reading, never block
			}
		}
	}
	for len(c.samples)-c.chunkFrom >= chunkLen {
		c.sendChunk(c.samples[c.chunkFrom : c.chunkFrom+chunkLen])
		c.chunkFrom += chunkLen
	}
}

func (c *converter) sendChunk(s []float32) {
	chunk := append([]float32(nil), s...)
	for len(c.pending) > 0 { // keep order: older chunks first
		select {
		case c.r.chunks <- c.pending[0]:
			c.pending = c.pending[1:]
			continue
		default:
		}
		break
	}
	if len(c.pending) == 0 {
		select {
		case c.r.chunks <- chunk:
			return
		default:
		}
	}
	c.pending = append(c.pending, chunk)
}

package portaudio

import (
	"context"
	"errors"
	"fmt"

	"github.com/gordonklaus/portaudio"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Play plays a from the given second to the end through the default output
// device, returning when it has been heard or when ctx is cancelled (then
// with ctx's error).
func (m *Microphone) Play(ctx context.Context, a rehearse.Audio, from float64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := m.usable(); err != nil {
		return err
	}
	start := 0
	if from > 0 {
		start = int(from * rehearse.SampleRate)
	}
	if start >= len(a.Samples) {
		return nil
	}
	devicesMu.Lock()
	d, err := portaudio.DefaultOutputDevice()
	devicesMu.Unlock()
	if err != nil || d == nil {
		if err == nil {
			err = portaudio.NoDefaultOutputDevice
		}
		return classify("open speakers", rehearse.ErrNoOutputDevice, err)
	}
	p, err := m.negotiateOutput(d)
	if err != nil {
		return err
	}
	ch := p.Output.Channels
	buf := make([]int16, p.FramesPerBuffer*ch)
	s, err := portaudio.OpenStream(p, &buf)
	if err != nil {
		return classify(fmt.Sprintf("open speakers %q", d.Name), rehearse.ErrNoOutputDevice, err)
	}
	defer s.Close()
	if err := s.Start(); err != nil {
		return classify(fmt.Sprintf("start speakers %q", d.Name), rehearse.ErrNoOutputDevice, err)
	}

	rs := audio.NewResampler(rehearse.SampleRate, int(p.SampleRate))
	src := a.Samples[start:]
	var pcm []float32 // converted samples waiting for a buffer
	step := rehearse.SampleRate / 20
	for done := false; !done; {
		if err := ctx.Err(); err != nil {
			s.Abort()
			return err
		}
		for len(pcm) < p.FramesPerBuffer && !done {
			if len(src) == 0 {
				pcm = rs.Flush(pcm)
				done = true
				break
			}
			k := min(step, len(src))
			pcm = rs.Process(src[:k], pcm)
			src = src[k:]
		}
		for len(pcm) >= p.FramesPerBuffer || (done && len(pcm) > 0) {
			n := min(len(pcm), p.FramesPerBuffer)
			fill(buf, pcm[:n], ch)
			pcm = pcm[n:]
			if err := s.Write(); err != nil && !errors.Is(err, portaudio.OutputUnderflowed) {
				s.Abort()
				return classify(fmt.Sprintf("play recording on %q", d.Name), rehearse.ErrNoOutputDevice, err)
			}
			if err := ctx.Err(); err != nil {
				s.Abort()
				return err
			}
		}
	}
	if err := s.Stop(); err != nil { // waits until the last buffer is heard
		return fmt.Errorf("play recording on %q: %w", d.Name, err)
	}
	return nil
}

// fill writes x to every channel of buf, padding with silence.
func fill(buf []int16, x []float32, ch int) {
	clear(buf)
	for i, v := range x {
		v *= 32768
		var s int16
		switch {
		case v >= 32767:
			s = 32767
		case v <= -32768:
			s = -32768
		default:
			s = int16(v)
		}
		for k := 0; k < ch; k++ {
			buf[i*ch+k] = s
		}
	}
}

// negotiateOutput chooses mono or stereo at 16 kHz, else the device's rate,
// 48 or 44.1 kHz, in 50 ms buffers.
func (m *Microphone) negotiateOutput(d *portaudio.DeviceInfo) (portaudio.StreamParameters, error) {
	var last error
	for _, ch := range []int{1, 2} {
		if ch > d.MaxOutputChannels {
			break
		}
		for _, rate := range []float64{rehearse.SampleRate, d.DefaultSampleRate, 48000, 44100} {
			if rate < 8000 || rate > 384000 {
				continue
			}
			p := portaudio.StreamParameters{
				Output:          portaudio.StreamDeviceParameters{Device: d, Channels: ch, Latency: d.DefaultHighOutputLatency},
				SampleRate:      rate,
				FramesPerBuffer: int(rate) / 20,
			}
			if last = portaudio.IsFormatSupported(p, make([]int16, 0)); last == nil {
				return p, nil
			}
		}
	}
	return portaudio.StreamParameters{}, classify(fmt.Sprintf("open speakers %q", d.Name), rehearse.ErrNoOutputDevice, last)
}

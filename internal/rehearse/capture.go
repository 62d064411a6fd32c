package rehearse

import "context"

// InputDevice is a microphone the user can choose.
type InputDevice struct {
	Name        string  `json:"name"`
	Default     bool    `json:"default"`
	DefaultRate float64 `json:"default_rate"`
	Channels    int     `json:"channels"`
}

// Microphone records answers. Only input devices are ever opened: Rehearse
// never captures what the computer plays.
type Microphone interface {
	Devices(ctx context.Context) ([]InputDevice, error)
	// Record starts capturing from the named device ("" = the remembered or
	// default one). Errors: ErrNoInputDevice, ErrDeviceBusy,
	// ErrUnsupportedFormat (wrapped).
	Record(ctx context.Context, device string) (Recording, error)
}

// Recording is a capture in progress.
type Recording interface {
	// Levels delivers meter readings (at least 20 per second) until the
	// recording ends; readings are dropped rather than blocking capture.
	Levels() <-chan Level
	// Chunks delivers the captured audio as 16 kHz mono blocks, in order,
	// and is closed when the recording ends. A consumer that falls behind
	// loses nothing (the final Audio from Stop is always complete).
	Chunks() <-chan []float32
	// Stop ends the capture and returns everything recorded. If the device
	// vanished mid-answer, it returns the audio captured until then together
	// with an error wrapping ErrDeviceLost.
	Stop() (Audio, error)
	// Overruns counts blocks lost because the real-time buffer was full.
	Overruns() int
}

// Player plays kept recordings back.
type Player interface {
	Play(ctx context.Context, a Audio, from float64) error
}

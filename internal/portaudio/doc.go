// Package portaudio records answers from the microphone and plays kept
// recordings back through PortAudio (github.com/gordonklaus/portaudio). It is
// the only part of Rehearse that talks to the sound system.
//
// Only input devices are ever opened for recording: Rehearse captures the
// user's voice, never what the computer plays. Capture runs in two halves: a
// real-time callback that only copies device samples into a preallocated
// lock-free ring (it never blocks or allocates), and a goroutine that drains
// the ring, mixes to mono, resamples to 16 kHz, meters the level and hands
// the audio on.
package portaudio

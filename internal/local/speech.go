package local

import (
	"context"
	"errors"
	"fmt"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/portaudio"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/speech"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

// Speech wires WAV reading, the model manager, whisper.cpp and the speech
// pipeline together for the command line.
type Speech struct {
	Models Models
	// WhisperOrigin says where the whisper.cpp compiled into this binary
	// came from (a system package, a prefix, or built by Rehearse at a
	// commit).
	WhisperOrigin string
}

var _ cli.SpeechDeps = Speech{}

// openTranscriber loads the named installed model ("" = the one in use).
func (d Speech) openTranscriber(g cli.Global, name string, threads int) (*whisper.Model, int, error) {
	if !whisper.Available() {
		return nil, 0, rehearse.ErrNoTranscriber
	}
	mgr, err := d.Models.manager(g)
	if err != nil {
		return nil, 0, err
	}
	m, err := mgr.Active()
	if name != "" {
		m, err = mgr.Find(name)
	}
	if err != nil {
		return nil, 0, err
	}
	if threads <= 0 {
		threads = mgr.Threads()
	}
	tr, err := whisper.Load(m.Path, whisper.Options{Name: m.Name, Threads: threads})
	return tr, threads, err
}

func (d Speech) TranscribeFile(ctx context.Context, g cli.Global, path string, opt cli.TranscribeFileOptions, progress func(rehearse.TranscribeProgress)) (rehearse.Transcript, error) {
	if !whisper.Available() {
		return rehearse.Transcript{}, rehearse.ErrNoTranscriber
	}
	a, _, err := audio.ReadWAVFile(path)
	if err != nil {
		return rehearse.Transcript{}, err
	}
	return d.transcribe(ctx, g, a, opt, progress)
}

// transcribe finds the speech in a and transcribes it with the named model
// ("" = the one in use), as `rehearse transcribe` and the sound check do.
func (d Speech) transcribe(ctx context.Context, g cli.Global, a rehearse.Audio, opt cli.TranscribeFileOptions, progress func(rehearse.TranscribeProgress)) (rehearse.Transcript, error) {
	tr, threads, err := d.openTranscriber(g, opt.Model, opt.Threads)
	if err != nil {
		return rehearse.Transcript{}, err
	}
	defer tr.Close()
	return speech.TranscribeAll(ctx, tr, a, speech.Options{Transcribe: rehearse.TranscribeOptions{
		Language: "en", InitialPrompt: whisper.DefaultPrompt, Threads: threads,
	}}, progress)
}

// Doctor reports whether whisper.cpp is compiled in and which microphones
// there are; neither is needed (typed answers work without them).
func (d Speech) Doctor(ctx context.Context, g cli.Global) []cli.Fact {
	var facts []cli.Fact
	if whisper.Available() {
		v := "whisper.cpp " + whisper.Version() + " compiled in"
		if d.WhisperOrigin != "" {
			v += ": " + d.WhisperOrigin
		}
		facts = append(facts, cli.Fact{Name: "voice transcription", OK: true, Value: v})
	} else {
		facts = append(facts, cli.Fact{Name: "voice transcription", Value: "not compiled in (typed answers still work)",
			Fix: "run 'make build' where it can fetch whisper.cpp, or see README 'Voice transcription'"})
	}
	mic, err := portaudio.New()
	if err != nil {
		return append(facts, cli.Fact{Name: "microphones", Value: err.Error(), Fix: "check the sound system (PortAudio)"})
	}
	defer mic.Close()
	devs, err := mic.Devices(ctx)
	switch {
	case errors.Is(err, rehearse.ErrNoInputDevice) || (err == nil && len(devs) == 0):
		facts = append(facts, cli.Fact{Name: "microphones", Value: "none found (typed answers still work)", Fix: "connect a microphone"})
	case err != nil:
		facts = append(facts, cli.Fact{Name: "microphones", Value: err.Error()})
	default:
		def := devs[0].Name
		for _, dv := range devs {
			if dv.Default {
				def = dv.Name
			}
		}
		facts = append(facts, cli.Fact{Name: "microphones", OK: true, Value: fmt.Sprintf("%d input device(s); default %q", len(devs), def)})
	}
	return facts
}

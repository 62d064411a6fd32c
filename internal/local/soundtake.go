package local

import (
	"context"

	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/ui"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

// RecordSentence records the Settings sound check on the chosen microphone;
// stopping it transcribes the recording with the model in use.
func (m *guiMic) RecordSentence(ctx context.Context, device string) (ui.SoundTake, error) {
	if !whisper.Available() {
		return nil, rehearse.ErrNoTranscriber
	}
	if m.w.mic == nil {
		return nil, rehearse.ErrNoInputDevice
	}
	rec, err := m.w.mic.Record(ctx, device)
	if err != nil {
		return nil, err
	}
	return &guiSoundTake{rec: rec, g: m.w.g, sp: m.w.speech}, nil
}

type guiSoundTake struct {
	rec rehearse.Recording
	g   cli.Global
	sp  Speech
}

func (t *guiSoundTake) Levels() <-chan rehearse.Level { return t.rec.Levels() }
func (t *guiSoundTake) Cancel()                       { _, _ = t.rec.Stop() }

func (t *guiSoundTake) Stop(ctx context.Context) (rehearse.Audio, string, error) {
	a, err := t.rec.Stop()
	if err != nil {
		return a, "", err
	}
	tr, err := t.sp.transcribe(ctx, t.g, a, cli.TranscribeFileOptions{}, nil)
	return a, tr.Text, err
}

// The window finds the sound check by asking the microphone for it, so a
// missing method would hide the section rather than fail to compile.
var _ ui.SoundChecker = (*guiMic)(nil)

package main

import (
	"context"

	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/speech"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

// practiceDeps opens the practice service on the unlocked store, with the
// speech model in use (when there is one) as its transcriber.
type practiceDeps struct {
	data   *dataDeps
	speech speechDeps
}

func newPractice() cli.PracticeDeps {
	return practiceDeps{data: newData().(*dataDeps), speech: speechDeps{}}
}

// speechOptions are the transcription settings every spoken answer uses;
// threads 0 means the count chosen in the model settings.
func speechOptions(threads int) speech.Options {
	return speech.Options{Transcribe: rehearse.TranscribeOptions{
		Language: "en", InitialPrompt: whisper.DefaultPrompt, Threads: threads,
	}}
}

// OpenPractice unlocks the store and returns the service on it; closeFn
// releases the speech model, the store and the data folder's lock.
func (p practiceDeps) OpenPractice(ctx context.Context, g cli.Global) (*practice.Service, func() error, error) {
	return p.open(ctx, g, nil)
}

func (p practiceDeps) open(ctx context.Context, g cli.Global, mic rehearse.Microphone) (*practice.Service, func() error, error) {
	st, closeStore, err := p.data.OpenStore(ctx, g)
	if err != nil {
		return nil, nil, err
	}
	svc, err := practice.New(practice.Config{
		Store: st,
		Mic:   mic,
		Transcriber: func(ctx context.Context) (rehearse.Transcriber, error) {
			tr, _, err := p.speech.openTranscriber(g, "", 0)
			return tr, err
		},
		Speech: speechOptions(0), // 0: the thread count set for the model
	})
	if err != nil {
		closeStore()
		return nil, nil, err
	}
	return svc, func() error {
		svc.Close()
		return closeStore()
	}, nil
}

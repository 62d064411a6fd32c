package local

import (
	"context"
	"fmt"

	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/datadir"
	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/speech"
	"github.com/rehearse-app/rehearse/internal/vault"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

// Practice opens the practice core on the unlocked store for the command
// line, with the speech model in use (when there is one) as its
// transcriber.
type Practice struct {
	Data   *Data
	Speech Speech
}

var _ cli.PracticeDeps = Practice{}

// speechOptions are the transcription settings every spoken answer uses;
// threads 0 means the count chosen in the model settings.
func speechOptions(threads int) speech.Options {
	return speech.Options{Transcribe: rehearse.TranscribeOptions{
		Language: "en", InitialPrompt: whisper.DefaultPrompt, Threads: threads,
	}}
}

// practiceConfig is the practice core of g's data folder, unlocked with
// keys, transcribing with sp.
func practiceConfig(g cli.Global, keys vault.Keys, sp Speech) practice.AppConfig {
	return practice.AppConfig{
		Keys:    keys,
		Rescue:  keys,
		Custody: custody{keys},
		Transcriber: func(ctx context.Context) (rehearse.Transcriber, error) {
			tr, _, err := sp.openTranscriber(g, "", 0)
			return tr, err
		},
		Speech: speechOptions(0), // 0: the thread count set for the model
	}
}

// OpenPractice unlocks the store and returns the service on it; closeFn
// releases the speech model, the store and the data folder's lock.
func (p Practice) OpenPractice(ctx context.Context, g cli.Global) (*practice.Service, func() error, error) {
	l, err := datadir.Resolve(g.DataDir)
	if err != nil {
		return nil, nil, err
	}
	app := practice.Open(ctx, practiceConfig(g, p.Data.Keys(l, p.Data.asker(g)), p.Speech))
	svc, err := app.Service()
	if err != nil {
		app.Close()
		return nil, nil, err
	}
	if n := app.Expired(); n > 0 {
		fmt.Fprintf(p.Data.Prompt, "deleted %d answer(s) older than your expiry setting\n", n)
	}
	return svc, app.Close, nil
}

// custody is the key custody of the data folder for the practice core.
type custody struct{ vault.Keys }

func (c custody) KeyCustody(ctx context.Context) (practice.KeyCustody, error) {
	st, err := c.Status(ctx)
	if err != nil {
		return practice.KeyCustody{}, err
	}
	return practice.KeyCustody{Keyring: st.Keyring, Passphrase: st.Passphrase, Recovery: st.Recovery,
		KeyringAvailable: c.KeyringAvailable(ctx)}, nil
}

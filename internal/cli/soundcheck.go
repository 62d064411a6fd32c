package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/soundcheck"
)

func init() {
	register(&Command{
		Name:  "soundcheck",
		Args:  "--wav FILE [--model NAME] [--json]",
		Short: "check how well your set-up hears you, from a recording of the sound-check sentence",
		Long: `Record yourself reading this sentence aloud, as you would answer:

  ` + soundcheck.Sentence + `

then give the recording with --wav. Rehearse transcribes it with the speech
model in use (or --model NAME) on this computer and prints what it heard, the
word error rate against the sentence, whether the filler "um" survived
transcription (if not, filler counts in your feedback are a lower bound), the
input level (peak, RMS, voice and room in dBFS, clipping), and advice.
Nothing is stored. The window's Settings › Microphone does the same live.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			wav := fs.String("wav", "", "the recording of the sentence, a WAV `FILE`")
			model := fs.String("model", "", "use the installed model `NAME` instead of the one in use")
			asJSON := fs.Bool("json", false, "print the report as JSON")
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) != 0 || *wav == "" {
					return usagef("soundcheck takes a recording: --wav FILE")
				}
				a, _, err := audio.ReadWAVFile(*wav)
				if err != nil {
					return err
				}
				if env.Deps == nil || env.Deps.Speech == nil {
					return &ExitError{Code: 1, Msg: noTranscriberMsg}
				}
				tr, err := env.Deps.Speech.TranscribeFile(ctx, env.Global, *wav, TranscribeFileOptions{Model: *model}, nil)
				switch {
				case errors.Is(err, rehearse.ErrNoSpeech):
					tr = rehearse.Transcript{} // judged as heard nothing
				case errors.Is(err, rehearse.ErrNoTranscriber):
					return &ExitError{Code: 1, Msg: noTranscriberMsg}
				case errors.Is(err, rehearse.ErrNoModel):
					return &ExitError{Code: 1, Msg: err.Error() + "\n(see 'rehearse models list')"}
				case err != nil:
					return err
				}
				r := soundcheck.Check(soundcheck.Sentence, tr.Text, a.Samples, rehearse.SampleRate)
				if *asJSON {
					return encodeIndented(env.Stdout, soundcheckJSON(r, tr.Source))
				}
				var b strings.Builder
				fmt.Fprintf(&b, "sentence:        %s\n", r.Reference)
				fmt.Fprintf(&b, "heard:           %s\n", strings.TrimSpace(r.Heard))
				fmt.Fprintf(&b, "word error rate: %s\n", r.WERLine())
				fmt.Fprintf(&b, "filler:          %s\n", r.FillerLine())
				fmt.Fprintf(&b, "input level:     %s\n", r.LevelLine())
				b.WriteString("advice:\n")
				for _, a := range r.Advice {
					fmt.Fprintf(&b, "  - %s\n", a)
				}
				_, err = fmt.Fprint(env.Stdout, b.String())
				return err
			}
		},
	})
}

type soundcheckDoc struct {
	Sentence      string        `json:"sentence"`
	Heard         string        `json:"heard"`
	Model         string        `json:"model,omitempty"`
	WER           float64       `json:"wer"`
	Substitutions int           `json:"substitutions"`
	Deletions     int           `json:"deletions"`
	Insertions    int           `json:"insertions"`
	RefWords      int           `json:"reference_words"`
	HeardWords    int           `json:"heard_words"`
	Alignment     []alignedWord `json:"alignment"`
	FillerKept    bool          `json:"filler_kept"`
	PeakDBFS      float64       `json:"peak_dbfs"`
	RMSDBFS       float64       `json:"rms_dbfs"`
	VoiceDBFS     float64       `json:"voice_dbfs"`
	RoomDBFS      float64       `json:"room_dbfs"`
	Clipped       int           `json:"clipped_samples"`
	Clipping      bool          `json:"clipping"`
	Seconds       float64       `json:"seconds"`
	Good          bool          `json:"good"`
	Advice        []string      `json:"advice"`
}

// alignedWord is one step of the alignment of heard words to the sentence.
type alignedWord struct {
	Op    string `json:"op"` // match, substitution, deletion or insertion
	Ref   string `json:"ref,omitempty"`
	Heard string `json:"heard,omitempty"`
}

func soundcheckJSON(r soundcheck.Report, model string) soundcheckDoc {
	d := soundcheckDoc{
		Sentence: r.Reference, Heard: strings.TrimSpace(r.Heard), Model: strings.TrimPrefix(model, "whisper:"),
		WER: r.WER.Rate, Substitutions: r.WER.Substitutions, Deletions: r.WER.Deletions, Insertions: r.WER.Insertions,
		RefWords: r.WER.RefWords, HeardWords: r.WER.HypWords, FillerKept: r.FillerKept,
		PeakDBFS: r.Level.PeakDBFS, RMSDBFS: r.Level.RMSDBFS, VoiceDBFS: r.Level.SpeechDBFS, RoomDBFS: r.Level.NoiseDBFS,
		Clipped: r.Level.Clipped, Clipping: r.Clipping, Seconds: r.Level.Seconds, Good: r.Good, Advice: r.Advice,
	}
	d.Alignment = make([]alignedWord, len(r.WER.Alignment))
	for i, op := range r.WER.Alignment {
		d.Alignment[i] = alignedWord{Op: op.Kind.String(), Ref: op.Ref, Heard: op.Hyp}
	}
	return d
}

package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func init() {
	register(&Command{
		Name:  "transcribe",
		Args:  "[--model NAME] [--threads N] [--json] FILE.wav",
		Short: "transcribe a WAV recording into timed words",
		Long: `Finds the speech in FILE.wav (voice-activity detection) and transcribes it with
the speech model in use (see 'rehearse models'), on this computer only.
Prints the text, or with --json every word with its start and end (seconds)
and probability. Nothing is stored.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			model := fs.String("model", "", "use the installed model `NAME` instead of the one in use")
			threads := fs.Int("threads", 0, "transcribe with `N` threads (default: the remembered setting)")
			asJSON := fs.Bool("json", false, "print the transcript as JSON")
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) != 1 {
					return usagef("transcribe takes one WAV file")
				}
				if *threads < 0 || *threads > 64 {
					return usagef("--threads must be between 1 and 64")
				}
				if env.Deps == nil || env.Deps.Speech == nil {
					return &ExitError{Code: 1, Msg: noTranscriberMsg}
				}
				progress := progressPrinter(env.Stderr, !terminal(env.Stderr))
				tr, err := env.Deps.Speech.TranscribeFile(ctx, env.Global, args[0], TranscribeFileOptions{Model: *model, Threads: *threads}, progress)
				if progress != nil {
					fmt.Fprint(env.Stderr, "\r\033[K")
				}
				switch {
				case errors.Is(err, rehearse.ErrNoTranscriber):
					return &ExitError{Code: 1, Msg: noTranscriberMsg}
				case errors.Is(err, rehearse.ErrNoModel):
					return &ExitError{Code: 1, Msg: err.Error() + "\n(see 'rehearse models list')"}
				case err != nil:
					return err
				}
				if *asJSON {
					return encodeIndented(env.Stdout, tr)
				}
				_, err = fmt.Fprintln(env.Stdout, tr.Text)
				return err
			}
		},
	})
}

// progressPrinter shows transcription progress on a terminal, at most a
// few times a second; nil when quiet.
func progressPrinter(w io.Writer, quiet bool) func(rehearse.TranscribeProgress) {
	if quiet {
		return nil
	}
	var last time.Time
	return func(p rehearse.TranscribeProgress) {
		if time.Since(last) < 250*time.Millisecond || p.Total <= 0 {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "\rtranscribing: %3.0f%% of %.0f s of speech", 100*p.Done.Seconds()/p.Total.Seconds(), p.Total.Seconds())
	}
}

// terminal reports whether x is an interactive terminal.
func terminal(x any) bool {
	f, ok := x.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

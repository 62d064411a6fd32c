package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func init() {
	register(&Command{
		Name:  "transcribe",
		Args:  "[--model NAME] [--threads N] [--json] FILE.wav | --pending [--json]",
		Short: "transcribe a WAV recording into timed words, or the answers waiting for transcription",
		Long: `Finds the speech in FILE.wav (voice-activity detection) and transcribes it with
the speech model in use (see 'rehearse models'), on this computer only.
Prints the text, or with --json every word with its start and end (seconds)
and probability. Nothing is stored.

With --pending it transcribes instead every saved answer that waits for
transcription (recorded while no speech model was available, or whose
transcription failed or was interrupted) with the model in use, scores it and
stores the result like any other answer. It prints how many it transcribed and
how many are still pending, and why; it exits 0 only when none remain.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			model := fs.String("model", "", "use the installed model `NAME` instead of the one in use")
			threads := fs.Int("threads", 0, "transcribe with `N` threads (default: the remembered setting)")
			asJSON := fs.Bool("json", false, "print the transcript (with --pending: the counts) as JSON")
			pending := fs.Bool("pending", false, "transcribe the saved answers waiting for transcription")
			return func(ctx context.Context, env *Env, args []string) error {
				if *pending {
					if len(args) != 0 {
						return usagef("--pending takes no file")
					}
					if *model != "" || *threads != 0 {
						return usagef("--pending uses the model in use and its thread setting ('rehearse models use NAME' changes the model)")
					}
					return transcribePending(ctx, env, *asJSON)
				}
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

// transcribePending transcribes, scores and stores the answers waiting for
// transcription, and says how many remain and why.
func transcribePending(ctx context.Context, env *Env, asJSON bool) error {
	svc, closeFn, err := openPractice(ctx, env)
	if err != nil {
		return err
	}
	defer closeFn()
	// On a terminal one line shows how far it got; elsewhere (a log, a
	// script) each answer gets a line as it starts.
	tty := terminal(env.Stderr)
	var last time.Time
	started := -1
	rep, err := svc.TranscribePending(ctx, func(p practice.PendingProgress) {
		switch {
		case p.Done >= p.Total:
		case tty && (time.Since(last) >= 250*time.Millisecond || p.Done != started):
			last, started = time.Now(), p.Done
			fmt.Fprintf(env.Stderr, "\r\033[Ktranscribing answer %d of %d: %3.0f%%", p.Done+1, p.Total, 100*p.Current)
		case !tty && p.Done != started:
			started = p.Done
			fmt.Fprintf(env.Stderr, "transcribing answer %d of %d\n", p.Done+1, p.Total)
		}
	})
	if tty && started >= 0 {
		fmt.Fprint(env.Stderr, "\r\033[K")
	}
	if rep.Remaining == 0 && err != nil {
		return err // the pending answers could not even be listed
	}
	reason := ""
	if rep.Remaining > 0 {
		reason = pendingReason(err)
	}
	if asJSON {
		doc := struct {
			Transcribed int    `json:"transcribed"`
			Pending     int    `json:"pending"`
			Reason      string `json:"reason,omitempty"`
		}{rep.Transcribed, rep.Remaining, reason}
		if jerr := encodeIndented(env.Stdout, doc); jerr != nil {
			return jerr
		}
	} else {
		fmt.Fprintf(env.Stdout, "transcribed %d %s; %d still pending\n", rep.Transcribed, answers(rep.Transcribed), rep.Remaining)
	}
	if rep.Remaining == 0 {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return &ExitError{Code: 1, Msg: fmt.Sprintf("%d %s still pending: %s", rep.Remaining, answers(rep.Remaining), reason)}
}

func answers(n int) string {
	if n == 1 {
		return "answer"
	}
	return "answers"
}

// pendingReason says why answers are still pending and what to do.
func pendingReason(err error) string {
	switch {
	case errors.Is(err, rehearse.ErrNoTranscriber):
		return noTranscriberMsg
	case errors.Is(err, rehearse.ErrNoModel):
		return "no speech model installed: run 'rehearse models import FILE' or 'rehearse models download NAME', then 'rehearse transcribe --pending'"
	case errors.Is(err, rehearse.ErrBadModel):
		return fmt.Sprintf("%v: install another model ('rehearse models list') and run 'rehearse transcribe --pending' again", err)
	case errors.Is(err, context.Canceled):
		return "cancelled; the rest are kept, with their recordings"
	case errors.Is(err, practice.ErrNoRecording):
		return fmt.Sprintf("%v; type the answer again with 'rehearse practice --text'", err)
	case err != nil:
		return fmt.Sprintf("%v; the recordings are kept: run 'rehearse transcribe --pending' again, or choose another model with 'rehearse models use NAME'", err)
	}
	return "unknown reason"
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

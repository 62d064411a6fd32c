package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// PracticeDeps opens the practice service on the unlocked store.
type PracticeDeps interface {
	OpenPractice(ctx context.Context, g Global) (svc *practice.Service, closeFn func() error, err error)
}

func init() {
	register(&Command{
		Name:  "practice",
		Args:  "(--wav FILE.wav | --text FILE|-) --question TEXT [--type T] [--duration S] [--session ID] [--json]",
		Short: "answer one question from a WAV recording or typed text; save it and print the feedback",
		Long: `Analyses one answer and saves it, encrypted, as an attempt. With --wav the
recording is transcribed on this computer (when voice transcription is built in
and a model is installed); otherwise the recording is kept, encrypted, and
transcribed later. With --text the answer is read from FILE or standard input.
A new session is started unless --session names an existing one.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			wav := fs.String("wav", "", "a WAV recording of the answer")
			text := fs.String("text", "", "a text file with the answer, or - for standard input")
			question := fs.String("question", "", "the question being answered")
			qtype := fs.String("type", "behavioral", "question type: behavioral, situational, intro, motivation, technical")
			duration := fs.Float64("duration", 0, "with --text: seconds the answer takes to say (default: estimated at 150 words a minute)")
			session := fs.Int64("session", 0, "add to this session instead of starting a new one")
			title := fs.String("title", "", "title of the new session")
			job := fs.String("job", "", "a text file with the job description (new session only)")
			asJSON := fs.Bool("json", false, "print the feedback as JSON")
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				if (*wav == "") == (*text == "") {
					return usagef("give exactly one of --wav or --text")
				}
				if strings.TrimSpace(*question) == "" {
					return usagef("--question is required")
				}
				t, err := rehearse.ParseQuestionType(*qtype)
				if err != nil {
					return usagef("%v", err)
				}
				if *duration < 0 {
					return usagef("--duration must not be negative")
				}
				q := rehearse.Question{Text: strings.TrimSpace(*question), Type: t}

				// Read the input before unlocking anything, so bad input
				// changes nothing.
				var (
					answerText string
					rec        rehearse.Audio
				)
				if *wav != "" {
					rec, _, err = audio.ReadWAVFile(*wav)
					if err != nil {
						return fmt.Errorf("read %q: %w", *wav, err)
					}
				} else {
					answerText, err = readInput(env, "the answer", *text, maxAnswerBytes)
					if err != nil {
						return err
					}
				}
				var jd string
				if *job != "" {
					if jd, err = readJob(env, *job); err != nil {
						return err
					}
				}
				svc, closeFn, err := openPractice(ctx, env)
				if err != nil {
					return err
				}
				defer closeFn()

				var ans *practice.Answer
				sid := *session
				if sid == 0 {
					sess, err := svc.StartSession(ctx, *title, jd, rehearse.SessionSettings{FluencyMetrics: true})
					if err != nil {
						return err
					}
					sid = sess.ID
					// A session started for an answer that is not saved
					// would be left empty: remove it again.
					defer func() {
						if ans == nil {
							_ = svc.DropEmptySession(ctx, sid)
						}
					}()
				} else if _, err := svc.Session(ctx, sid); err != nil {
					return fmt.Errorf("session %d: %w", sid, err)
				}
				if *wav != "" {
					ans, err = svc.SubmitAudio(ctx, sid, q, rec, func(p rehearse.TranscribeProgress) {
						if p.Total > 0 {
							fmt.Fprintf(env.Stderr, "\rtranscribing… %3.0f%%", min(100, 100*p.Done.Seconds()/p.Total.Seconds()))
						}
					})
					fmt.Fprint(env.Stderr, "\r                    \r")
				} else {
					ans, err = svc.SubmitText(ctx, sid, q, answerText, *duration)
				}
				if err != nil {
					return err
				}
				return printAnswer(env.Stdout, ans, *asJSON)
			}
		},
	})
}

func printAnswer(w io.Writer, ans *practice.Answer, asJSON bool) error {
	a := ans.Attempt
	if asJSON {
		doc := struct {
			AttemptID int64           `json:"attempt_id"`
			SessionID int64           `json:"session_id"`
			Status    string          `json:"status"`
			Result    json.RawMessage `json:"result,omitempty"`
		}{a.ID, a.SessionID, string(a.Status), a.Analysis}
		return encodeIndented(w, doc)
	}
	if ans.Result == nil {
		fmt.Fprintf(w, "Saved answer %d (session %d), to be transcribed and scored later: once voice transcription and a speech model are available (see 'rehearse doctor'), run 'rehearse transcribe --pending'.\n", a.ID, a.SessionID)
		if ans.Warning != "" {
			fmt.Fprintln(w, ans.Warning)
		}
		return nil
	}
	if err := feedback.WriteText(w, ans.Result); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nSaved answer %d (session %d, attempt %d at this question).\n", a.ID, a.SessionID, a.Number)
	return nil
}

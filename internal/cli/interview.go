package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/interview"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func init() {
	register(&Command{
		Name:  "interview",
		Args:  "--questions N --role ROLE [--job FILE] [--seed N] [--json] (--text-dir DIR | --wav-dir DIR) | --report ID [--json]",
		Short: "run a mock interview headless: answers from files, follow-up questions, a report at the end",
		Long: `Runs a mock interview like the window's Interview mode, with the answers
read from files: the answer to question k is DIR/k.txt (--text-dir) or
DIR/k.wav (--wav-dir), numbered from 1. After each answer the interviewer may
ask one follow-up question, chosen by the rulebook's follow-up rules from what
the answer left out; it is printed as "Follow-up k: <question>" and its answer
is read from DIR/k-followup.txt (or .wav). Without that file the follow-up stays
unanswered. No feedback is given between questions; the end-of-interview
report follows the last one. The interview is saved, encrypted, like any
session ('rehearse interview --report ID', 'rehearse export').

Every main answer file must exist before anything is saved. The same --seed,
--role and --job give the same questions again ('rehearse questions pick'
shows them). With --wav-dir the recordings are transcribed on this computer;
without a speech model they are kept to transcribe later and get no follow-up.
With --json the report is printed as JSON and the follow-up lines go to
standard error. --report ID prints the report of an interview already saved
(with your current rules), compared with the interview before it.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			n := fs.Int("questions", 5, "how many questions to ask (1–20)")
			role := fs.String("role", "", "the job, in your words (\"backend engineer\") or a field name (software, teaching, …)")
			job := fs.String("job", "", "rank questions by the job description in `FILE` (- for standard input)")
			seed := fs.Int64("seed", 0, "repeat an earlier interview's questions (default: a new random choice)")
			title := fs.String("title", "", "title of the session (default: Interview and the date)")
			asJSON := fs.Bool("json", false, "print the report as JSON")
			textDir := fs.String("text-dir", "", "read typed answers 1.txt, 1-followup.txt, 2.txt, … from `DIR`")
			wavDir := fs.String("wav-dir", "", "read recorded answers 1.wav, 1-followup.wav, 2.wav, … from `DIR`")
			reportID := fs.Int64("report", 0, "print the report of the saved interview with this session `ID`")
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				if setFlags(fs, "report") != "" {
					if other := setFlags(fs, "questions", "role", "job", "seed", "title", "text-dir", "wav-dir"); other != "" {
						return usagef("--%s does not go with --report", other)
					}
					return printInterviewReport(ctx, env, *reportID, *asJSON)
				}
				if (*textDir == "") == (*wavDir == "") {
					return usagef("give exactly one of --text-dir or --wav-dir")
				}
				if *n < 1 || *n > interview.MaxQuestions {
					return usagef("--questions must be 1 to %d", interview.MaxQuestions)
				}
				if setFlags(fs, "seed") != "" && *seed < 1 {
					return usagef("--seed must be at least 1")
				}
				if strings.TrimSpace(*role) == "" {
					return usagef("--role is required: the job you are interviewing for, e.g. --role \"backend engineer\"")
				}
				// Read every input before unlocking anything, so that bad
				// input saves nothing.
				ans, err := readInterviewAnswers(*textDir, *wavDir, *n)
				if err != nil {
					return err
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
				iv, err := interview.Start(ctx, svc, interview.Plan{Questions: *n, Role: *role, JobDescription: jd, Seed: *seed, Title: *title,
					Settings: rehearse.SessionSettings{FluencyMetrics: true}})
				if err != nil {
					return err
				}
				progress := env.Stdout
				if *asJSON {
					progress = env.Stderr
				}
				if err := runInterview(ctx, env, progress, iv, ans); err != nil {
					if iv.Next() == 0 || errors.Is(err, context.Canceled) {
						_ = svc.DropEmptySession(ctx, iv.SessionID())
						return err
					}
					return &ExitError{Code: 1, Msg: fmt.Sprintf("%v\n  The answers given so far are saved in session %d ('rehearse interview --report %d').", err, iv.SessionID(), iv.SessionID())}
				}
				rep, err := iv.Finish(ctx)
				if err != nil {
					return err
				}
				if *asJSON {
					return encodeIndented(env.Stdout, struct {
						Seed int64 `json:"seed"`
						*interview.Report
					}{iv.Seed(), rep})
				}
				fmt.Fprintln(env.Stdout)
				if err := interview.WriteText(env.Stdout, rep); err != nil {
					return err
				}
				_, err = fmt.Fprintf(env.Stdout, "\nSaved as session %d. Seed %d: add --seed %d to be asked the same questions again.\n", rep.SessionID, iv.Seed(), iv.Seed())
				return err
			}
		},
	})
}

// printInterviewReport prints the report of a saved interview.
func printInterviewReport(ctx context.Context, env *Env, id int64, asJSON bool) error {
	svc, closeFn, err := openPractice(ctx, env)
	if err != nil {
		return err
	}
	defer closeFn()
	rep, err := interview.BuildReport(ctx, svc, id)
	if errors.Is(err, interview.ErrNotInterview) {
		return fmt.Errorf("%w: 'rehearse sessions show %d' shows its answers", err, id)
	}
	if err != nil {
		return fmt.Errorf("session %d: %w", id, err)
	}
	if asJSON {
		return encodeIndented(env.Stdout, rep)
	}
	return interview.WriteText(env.Stdout, rep)
}

// interviewAnswer is the answer file of one question or follow-up, read.
type interviewAnswer struct {
	path string
	text string         // --text-dir
	rec  rehearse.Audio // --wav-dir
}

// interviewAnswers are the main answers (index k-1) and the follow-up
// answers present.
type interviewAnswers struct {
	main   []interviewAnswer
	follow map[int]interviewAnswer
}

// readInterviewAnswers reads k.txt (or k.wav) for k = 1…n, and each
// k-followup file present.
func readInterviewAnswers(textDir, wavDir string, n int) (*interviewAnswers, error) {
	dir, ext, flagName := textDir, ".txt", "--text-dir"
	if wavDir != "" {
		dir, ext, flagName = wavDir, ".wav", "--wav-dir"
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%s %q: not a folder; give the folder that holds 1%s, 2%s, …", flagName, dir, ext, ext)
	}
	read := func(path string) (interviewAnswer, error) {
		a := interviewAnswer{path: path}
		if ext == ".wav" {
			rec, _, err := audio.ReadWAVFile(path)
			if err != nil {
				return a, fmt.Errorf("read %q: %w", path, err)
			}
			a.rec = rec
			return a, nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return a, fmt.Errorf("read %q: %w", path, err)
		}
		if len(b) > maxAnswerBytes {
			return a, fmt.Errorf("answer file %q is larger than %d KiB", path, maxAnswerBytes>>10)
		}
		a.text = strings.TrimSpace(string(b))
		if a.text == "" {
			return a, fmt.Errorf("answer file %q is empty: write what you would say there", path)
		}
		return a, nil
	}
	ans := &interviewAnswers{follow: map[int]interviewAnswer{}}
	var missing []string
	first := 0
	for k := 1; k <= n; k++ {
		path := filepath.Join(dir, fmt.Sprintf("%d%s", k, ext))
		a, err := read(path)
		if errors.Is(err, fs.ErrNotExist) {
			if first == 0 {
				first = k
			}
			missing = append(missing, path)
			continue
		}
		if err != nil {
			return nil, err
		}
		ans.main = append(ans.main, a)
		fpath := filepath.Join(dir, fmt.Sprintf("%d-followup%s", k, ext))
		if _, err := os.Stat(fpath); err == nil {
			fa, err := read(fpath)
			if err != nil {
				return nil, err
			}
			ans.follow[k] = fa
		}
	}
	if len(missing) > 0 {
		what := missing[0] + " does not exist"
		if len(missing) > 1 {
			what = strings.Join(missing[:len(missing)-1], ", ") + " and " + missing[len(missing)-1] + " do not exist"
		}
		return nil, fmt.Errorf("the answer to question %d is missing: %s.\n  Put the answer to question k in %s (numbered from 1, one file per question), or ask for fewer questions with --questions; nothing was saved",
			first, what, filepath.Join(dir, "k"+ext))
	}
	return ans, nil
}

// runInterview asks each question, submits its answer and, when a
// follow-up is asked, its answer.
func runInterview(ctx context.Context, env *Env, w io.Writer, iv *interview.Interview, ans *interviewAnswers) error {
	if iv.Len() < len(ans.main) {
		fmt.Fprintf(w, "Only %d questions match this role; the interview has %d.\n", iv.Len(), iv.Len())
	}
	shown := false
	progress := func(p rehearse.TranscribeProgress) {
		if p.Total > 0 {
			shown = true
			fmt.Fprintf(env.Stderr, "\rtranscribing… %3.0f%%", min(100, 100*p.Done.Seconds()/p.Total.Seconds()))
		}
	}
	clearLine := func() {
		if shown {
			fmt.Fprint(env.Stderr, "\r                    \r")
			shown = false
		}
	}
	for i := 0; i < iv.Len(); i++ {
		k := i + 1
		q := iv.Question(i)
		fmt.Fprintf(w, "Question %d: %s\n", k, q.Text)
		a := ans.main[i]
		var (
			step *interview.Step
			err  error
		)
		if a.text != "" {
			step, err = iv.SubmitMainText(ctx, i, a.text, 0)
		} else {
			step, err = iv.SubmitMainAudio(ctx, i, a.rec, progress)
			clearLine()
		}
		if err != nil {
			return fmt.Errorf("question %d (%s): %w", k, a.path, err)
		}
		if step.Answer.Result == nil {
			fmt.Fprintf(w, "  The answer is saved to be transcribed later, so no follow-up can be chosen for it.\n")
		}
		fa, have := ans.follow[k]
		if step.FollowUp == nil {
			if have {
				fmt.Fprintf(env.Stderr, "rehearse interview: %s was not used: no follow-up question was asked after question %d\n", fa.path, k)
			}
			continue
		}
		fmt.Fprintf(w, "Follow-up %d: %s\n", k, step.FollowUp.Text)
		if !have {
			fmt.Fprintf(w, "  (no %s: the follow-up stays unanswered)\n", filepath.Base(followUpName(a.path)))
			continue
		}
		if fa.text != "" {
			_, err = iv.SubmitFollowUpText(ctx, i, fa.text, 0)
		} else {
			_, err = iv.SubmitFollowUpAudio(ctx, i, fa.rec, progress)
			clearLine()
		}
		if err != nil {
			return fmt.Errorf("follow-up %d (%s): %w", k, fa.path, err)
		}
	}
	return nil
}

// followUpName is the follow-up answer file that goes with a main one.
func followUpName(path string) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-followup" + ext
}

package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func init() {
	register(&Command{
		Name:  "analyze",
		Args:  "[--type T] [--question Q] [--duration S] [--json] [--job FILE] [--overrides FILE] [FILE|-] | --jsonl IN.jsonl",
		Short: "give feedback on a typed answer (text mode), or score a batch of answers",
		Long: `Reads one answer as plain text from FILE (or standard input) and prints the
feedback: metrics, each flag with its rule id, threshold and the quoted words,
suggestions, strengths, caveats and the checklist. --json prints the full
result object instead.

With --jsonl IN.jsonl, each input line is
  {"id", "question", "question_type", "transcript", "duration_s"}
and each output line is {"id", "labels": {...}, "result": {...}} in the same
order. A malformed line stops with an error naming its line number.

Nothing is stored and no native library is needed.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			typ := fs.String("type", "behavioral", "question `TYPE`: behavioral, situational, intro, motivation or technical")
			question := fs.String("question", "", "the question `TEXT`")
			duration := fs.Float64("duration", 0, "speech span in `SECONDS` (for length and pace)")
			asJSON := fs.Bool("json", false, "print the result as JSON")
			job := fs.String("job", "", "job description `FILE`: report which of its terms the answer used")
			overrides := fs.String("overrides", "", "rulebook overrides JSON `FILE`")
			noFluency := fs.Bool("no-fluency", false, "leave out fluency metrics (fillers, pauses, pace)")
			noFluencyChecks := fs.Bool("no-fluency-checks", false, "keep fluency metrics but leave fluency checks out of the checklist total")
			jsonl := fs.String("jsonl", "", "score every answer in `IN.jsonl` (one JSON object per line)")
			return func(ctx context.Context, env *Env, args []string) error {
				rb, err := loadRulebook(*overrides)
				if err != nil {
					return err
				}
				var terms []string
				if *job != "" {
					jd, err := readJob(env, *job)
					if err != nil {
						return err
					}
					terms = rb.ExtractJobTerms(jd)
				}
				if *jsonl != "" {
					if len(args) > 0 {
						return usagef("--jsonl takes no FILE argument")
					}
					return analyzeJSONL(ctx, env, *jsonl, rb, terms, *noFluency)
				}
				if len(args) > 1 {
					return usagef("analyze takes at most one FILE")
				}
				qt, err := rehearse.ParseQuestionType(*typ)
				if err != nil {
					return usagef("--type: %v", err)
				}
				if math.IsNaN(*duration) || math.IsInf(*duration, 0) || *duration < 0 {
					return usagef("--duration must be a number of seconds ≥ 0")
				}
				name := "-"
				if len(args) == 1 {
					name = args[0]
				}
				text, err := readInput(env, "the answer", name, maxAnswerBytes)
				if err != nil {
					return err
				}
				res := feedback.Analyze(feedback.Input{
					Question:  *question,
					Type:      qt,
					Text:      text,
					DurationS: *duration,
					// a time given on the command line was measured or stated
					DurationStated: *duration > 0,
					JobTerms:       terms,
					NoFluency:      *noFluency,

					ExcludeFluencyChecks: *noFluencyChecks,
				}, rb)
				if *asJSON {
					_, err = env.Stdout.Write(res.JSON())
					return err
				}
				return feedback.WriteText(env.Stdout, res)
			}
		},
	})
	register(&Command{
		Name:  "rules",
		Args:  "[--json] [--overrides FILE]",
		Short: "list every feedback rule: id, what it does, thresholds, on or off",
		Long: `Prints the rulebook the feedback engine runs on. Every flag in the feedback
names one of these rule ids and its threshold. With --overrides the user's
edits are applied first.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			asJSON := fs.Bool("json", false, "print the rules as JSON")
			overrides := fs.String("overrides", "", "rulebook overrides JSON `FILE`")
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) > 0 {
					return usagef("rules takes no arguments")
				}
				rb, err := loadRulebook(*overrides)
				if err != nil {
					return err
				}
				if *asJSON {
					return encodeIndented(env.Stdout, struct {
						Version       string              `json:"version"`
						OverridesHash string              `json:"overrides_hash,omitempty"`
						Fluency       bool                `json:"fluency"`
						Rules         []feedback.RuleInfo `json:"rules"`
					}{rb.Version, rb.OverridesHash, rb.Fluency, rb.Rules()})
				}
				return WriteRules(env.Stdout, rb)
			}
		},
	})
}

// WriteRules prints the rulebook for people: one block per rule.
func WriteRules(w io.Writer, rb *feedback.Rulebook) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "Rulebook %s", rb.Version)
	if rb.OverridesHash != "" {
		fmt.Fprintf(bw, " with overrides %s", rb.OverridesHash)
	}
	if !rb.Fluency {
		fmt.Fprint(bw, " (fluency metrics off)")
	}
	fmt.Fprint(bw, "\n\n")
	for _, r := range rb.Rules() {
		state := "on"
		if !r.Enabled {
			state = "off"
		}
		fmt.Fprintf(bw, "%s  [%s, %s]  %s\n", r.ID, state, r.Group, r.Title)
		fmt.Fprintf(bw, "  %s\n", r.Description)
		if len(r.Thresholds) > 0 {
			tw := tabwriter.NewWriter(bw, 0, 4, 1, ' ', 0)
			for _, t := range r.Thresholds {
				fmt.Fprintf(tw, "  threshold\t%s\t= %g\n", t.Name, t.Value)
			}
			tw.Flush()
		}
		if len(r.Lists) > 0 {
			fmt.Fprintf(bw, "  word lists: %s\n", strings.Join(r.Lists, ", "))
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

func loadRulebook(path string) (*feedback.Rulebook, error) {
	rb := feedback.DefaultRulebook()
	if path == "" {
		return rb, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read overrides: %w", err)
	}
	o, err := feedback.ParseOverrides(data)
	if err != nil {
		return nil, &rehearse.InputError{Field: "--overrides " + path, Reason: err.Error()}
	}
	return rb.With(o)
}

type jsonlIn struct {
	ID           *json.RawMessage `json:"id"`
	Question     string           `json:"question"`
	QuestionType string           `json:"question_type"`
	Transcript   *string          `json:"transcript"`
	DurationS    *float64         `json:"duration_s"`
}

type jsonlOut struct {
	ID     json.RawMessage  `json:"id"`
	Labels feedback.Labels  `json:"labels"`
	Result *feedback.Result `json:"result"`
}

func analyzeJSONL(ctx context.Context, env *Env, path string, rb *feedback.Rulebook, terms []string, noFluency bool) error {
	r, err := openInput(env, path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer r.Close()
	br := bufio.NewReaderSize(r, 1<<16)
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			rec, perr := parseJSONLLine(line)
			if perr != nil {
				out.Flush()
				return &rehearse.InputError{Field: fmt.Sprintf("%s: line %d", path, n), Reason: perr.Error()}
			}
			in := feedback.Input{Question: rec.Question, Text: *rec.Transcript, JobTerms: terms, NoFluency: noFluency, Type: rehearse.Behavioral}
			if rec.QuestionType != "" {
				qt, qerr := rehearse.ParseQuestionType(rec.QuestionType)
				if qerr != nil {
					out.Flush()
					return &rehearse.InputError{Field: fmt.Sprintf("%s: line %d: question_type", path, n), Value: rec.QuestionType, Reason: "want one of behavioral, situational, intro, motivation, technical"}
				}
				in.Type = qt
			}
			if rec.DurationS != nil {
				in.DurationS = *rec.DurationS
			}
			res := feedback.Analyze(in, rb)
			b, merr := json.Marshal(jsonlOut{ID: *rec.ID, Labels: feedback.LabelsOf(res), Result: res})
			if merr != nil {
				return fmt.Errorf("line %d: encode: %w", n, merr)
			}
			out.Write(b)
			out.WriteByte('\n')
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
	}
}

func parseJSONLLine(line []byte) (*jsonlIn, error) {
	var rec jsonlIn
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&rec); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("more than one JSON value on the line")
	}
	if rec.ID == nil {
		return nil, fmt.Errorf("missing \"id\"")
	}
	if rec.Transcript == nil {
		return nil, fmt.Errorf("missing \"transcript\"")
	}
	if d := rec.DurationS; d != nil && (*d < 0 || math.IsNaN(*d)) {
		return nil, fmt.Errorf("duration_s must be ≥ 0")
	}
	return &rec, nil
}

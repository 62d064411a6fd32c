package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func init() {
	register(&Command{
		Name:  "questions",
		Args:  "list [--type T] [--role R] [--topic X] [--json] | pick [--count N] [--type T] [--role R] [--topic X] [--job FILE] [--seed N] [--json]",
		Short: "list the built-in interview questions, or pick a set to practise",
		Long: `questions list   prints the question bank (id, type, role, question).
questions pick   picks questions for a practice session. With --job, terms
                 are taken from the job description (capitalised words and
                 technologies, repeated phrases) and the questions that match
                 the most terms come first; the matches are shown. A set with
                 4 or more questions and no --type holds one intro and at
                 least one motivation question. The same --seed gives the same
                 questions again.

--type and --topic take one value or several separated by commas. Types:
behavioral, situational, intro, motivation, technical. --role takes a job
title in your own words ("backend engineer", "primary school teacher") or a
field name (software, data, healthcare, product, management, design, sales,
support, operations, teaching, finance, marketing, hr); the title is placed
in a field, its questions come first, and the "general" questions, which
suit every interview, fill in. Words such as "junior" or "senior" rank
questions of that level first. Each picked question says why it was chosen.
--job - reads the job description from standard input. --count, --job and
--seed go with pick only.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			var f questionFilters
			f.declare(fs)
			var p pickFlags
			p.declare(fs)
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) == 0 {
					return usagef("questions needs a subcommand: list or pick")
				}
				if len(args) > 1 {
					return usagef("unexpected argument %q", args[1])
				}
				switch args[0] {
				case "list":
					if n := setFlags(fs, "count", "job", "seed"); n != "" {
						return usagef("--%s goes with pick", n)
					}
					return questionsList(env, f)
				case "pick":
					p.seedSet = setFlags(fs, "seed") != ""
					return questionsPick(env, f, p)
				}
				return usagef("unknown subcommand %q; want list or pick", args[0])
			}
		},
	})
}

// questionFilters are the flags list and pick share.
type questionFilters struct {
	types, roles, topics string
	json                 bool
	role                 questions.Role // what --role was understood as
}

func (f *questionFilters) declare(fs *flag.FlagSet) {
	fs.StringVar(&f.types, "type", "", "only questions of these `types` (comma-separated)")
	fs.StringVar(&f.roles, "role", "", "questions for this `role`: a job title in your words (\"primary school teacher\") or a field name, plus general ones")
	fs.StringVar(&f.topics, "topic", "", "only questions on these `topics` (comma-separated)")
	fs.BoolVar(&f.json, "json", false, "print JSON")
}

// selection turns the flags into a questions.Selection, checking each value
// against the bank.
func (f *questionFilters) selection(b *questions.Bank) (questions.Selection, error) {
	var s questions.Selection
	for _, v := range questionsSplitList(f.types) {
		t, err := rehearse.ParseQuestionType(v)
		if err != nil {
			return s, usagef("--type: %v", err)
		}
		s.Types = append(s.Types, t)
	}
	if strings.TrimSpace(f.roles) != "" {
		r, err := questions.ResolveRole(f.roles)
		if err != nil {
			return s, err
		}
		f.role = r
		if r.Field == "" {
			// No field fits: the general questions suit every interview.
			s.Roles = []string{questions.GeneralRole}
		} else {
			s.Roles = []string{r.Field}
		}
		s.Level = r.Level
	}
	topics := b.Topics()
	for _, v := range questionsSplitList(f.topics) {
		v = strings.ToLower(v)
		if !slices.Contains(topics, v) {
			return s, usagef("--topic %q: not a topic of any question; 'rehearse questions list --json' shows the tags", v)
		}
		s.Topics = append(s.Topics, v)
	}
	return s, nil
}

func questionsSplitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// pickFlags are the flags of pick only.
type pickFlags struct {
	count   int
	job     string
	seed    int64
	seedSet bool
}

func (p *pickFlags) declare(fs *flag.FlagSet) {
	fs.IntVar(&p.count, "count", 5, "pick: how many questions to pick")
	fs.StringVar(&p.job, "job", "", "pick: rank questions by the job description in `FILE` (- for standard input)")
	fs.Int64Var(&p.seed, "seed", 0, "pick: repeat an earlier pick (default: a new random choice)")
}

// setFlags returns the first of names that was given on the command line,
// or "".
func setFlags(fs *flag.FlagSet, names ...string) string {
	found := ""
	fs.Visit(func(fl *flag.Flag) {
		if found == "" && slices.Contains(names, fl.Name) {
			found = fl.Name
		}
	})
	return found
}

// questionOut is the JSON form of one question: the question, its field,
// its answer length band and, in a pick, why it was picked and the job
// description terms it matched.
type questionOut struct {
	rehearse.Question
	Field   string               `json:"field"`
	Length  questions.LengthBand `json:"length"`
	Reasons []string             `json:"reasons,omitempty"`
	Matches []string             `json:"matches,omitempty"`
}

// questionField is the field a question belongs to: its first role tag.
func questionField(q rehearse.Question) string {
	if r := questions.Tag(q, questions.RolePrefix); len(r) > 0 {
		return r[0]
	}
	if q.Custom {
		return "own"
	}
	return questions.GeneralRole
}

func questionsList(env *Env, f questionFilters) error {
	b, err := questions.Load()
	if err != nil {
		return err
	}
	sel, err := f.selection(b)
	if err != nil {
		return err
	}
	qs := b.Filter(sel)
	if f.json {
		out := make([]questionOut, 0, len(qs))
		for _, q := range qs {
			out = append(out, questionOut{Question: q, Field: questionField(q), Length: questions.Band(q.Type)})
		}
		return questionsWriteJSON(env.Stdout, out)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE\tROLE\tQUESTION")
	for _, q := range qs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", q.ID, q.Type, strings.Join(questions.Tag(q, questions.RolePrefix), ","), q.Text)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.Stdout, "%d questions\n", len(qs))
	return err
}

func questionsPick(env *Env, f questionFilters, p pickFlags) error {
	count, job, seed := &p.count, &p.job, &p.seed
	if *count < 1 {
		return usagef("--count must be at least 1")
	}
	if !p.seedSet {
		*seed = time.Now().UnixNano() % 1_000_000_000
	}
	b, err := questions.Load()
	if err != nil {
		return err
	}
	sel, err := f.selection(b)
	if err != nil {
		return err
	}
	sel.Count, sel.Seed = *count, *seed
	if *job != "" {
		jd, err := readJob(env, *job)
		if err != nil {
			return err
		}
		sel.JobTerms = questions.ExtractTerms(jd)
		if len(sel.JobTerms) == 0 && !f.json {
			fmt.Fprintf(env.Stderr, "rehearse questions: no job terms found in %s; picking without it\n", *job)
		}
	}
	qs := b.Pick(sel)
	if len(qs) == 0 {
		return &ExitError{Code: 1, Msg: "no questions match those filters"}
	}
	out := make([]questionOut, len(qs))
	for i, q := range qs {
		out[i] = questionOut{Question: q.Question, Field: questionField(q.Question), Length: questions.Band(q.Type),
			Reasons: q.Reasons, Matches: questions.MatchTerms(q.Question, sel.JobTerms)}
	}
	var role *questions.Role
	if f.role.Text != "" {
		role = &f.role
	}
	if f.json {
		return questionsWriteJSON(env.Stdout, struct {
			Seed      int64           `json:"seed"`
			Role      *questions.Role `json:"role,omitempty"`
			JobTerms  []string        `json:"job_terms,omitempty"`
			Questions []questionOut   `json:"questions"`
		}{*seed, role, sel.JobTerms, out})
	}
	w := env.Stdout
	if role != nil {
		if role.Field == "" {
			fmt.Fprintf(w, "Role: %q matches no field Rehearse knows; picking general questions that suit any interview.\n\n", role.Text)
		} else {
			fmt.Fprintf(w, "Role: %s (from %q)", role.FieldLabel, role.Matched)
			if role.Level != "" {
				fmt.Fprintf(w, ", %s level", role.Level)
			}
			fmt.Fprintln(w)
			fmt.Fprintln(w)
		}
	}
	if len(sel.JobTerms) > 0 {
		fmt.Fprintf(w, "Job terms: %s\n\n", strings.Join(sel.JobTerms, ", "))
	}
	for i, q := range out {
		band := q.Length
		fmt.Fprintf(w, "%d. %s\n", i+1, q.Text)
		fmt.Fprintf(w, "   %s · aim for %g–%g s · %s\n", q.Type, band.Target[0], band.Target[1], q.ID)
		fmt.Fprintf(w, "   Tip: %s\n", q.Tip)
		if len(q.Reasons) > 0 {
			fmt.Fprintf(w, "   Why: %s\n", strings.Join(q.Reasons, "; "))
		}
	}
	if len(qs) < *count {
		fmt.Fprintf(w, "\nOnly %d questions match those filters.\n", len(qs))
	}
	_, err = fmt.Fprintf(w, "\nSeed %d: add --seed %d to get the same questions again.\n", *seed, *seed)
	return err
}

func questionsWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

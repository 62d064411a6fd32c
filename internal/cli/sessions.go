package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/rehearse-app/rehearse/internal/archive"
	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/printable"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func init() {
	register(&Command{
		Name:  "sessions",
		Args:  "list | show ID | search TEXT | delete ID | expire [--days N]   [--json]",
		Short: "see, search, delete and expire your stored practice sessions",
		Long: `list          every session: id, date, title, number of answers
show ID       one session and its answers with their transcripts
search TEXT   answers whose transcript, question or session title matches
delete ID     delete one session and its answers (and recordings)
expire        show how long answers are kept; with --days N keep them N days
              (0 = forever) and delete older ones now. Rehearse applies the
              setting each time it opens the store.

--json prints list, show and search as JSON.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			asJSON := fs.Bool("json", false, "print JSON")
			days := fs.Int("days", -1, "with expire: keep answers this many days (0 = forever)")
			return func(ctx context.Context, env *Env, args []string) error {
				rest := args
				if len(rest) == 0 {
					return usagef("say what to do: list, show ID, search TEXT, delete ID or expire")
				}
				sub, rest := rest[0], rest[1:]
				var (
					id  int64
					err error
				)
				switch sub {
				case "list", "expire":
					if len(rest) > 0 {
						return usagef("%s takes no arguments", sub)
					}
				case "show", "delete":
					if len(rest) != 1 {
						return usagef("%s takes one session ID", sub)
					}
					if id, err = strconv.ParseInt(rest[0], 10, 64); err != nil || id <= 0 {
						return usagef("%q is not a session ID (see 'rehearse sessions list')", rest[0])
					}
				case "search":
					if len(rest) == 0 || strings.TrimSpace(strings.Join(rest, " ")) == "" {
						return usagef("search needs the text to look for")
					}
				default:
					return usagef("unknown sessions command %q", sub)
				}
				if *days >= 0 && sub != "expire" {
					return usagef("--days goes with expire")
				}
				s, closeFn, err := openPractice(ctx, env)
				if err != nil {
					return err
				}
				defer closeFn()
				switch sub {
				case "list":
					return listSessions(ctx, env.Stdout, s, *asJSON)
				case "show":
					return showSession(ctx, env.Stdout, s, id, *asJSON)
				case "search":
					return searchSessions(ctx, env.Stdout, s, strings.Join(rest, " "), *asJSON)
				case "delete":
					if _, err := s.Session(ctx, id); err != nil {
						return fmt.Errorf("session %d: %w", id, err)
					}
					if err := s.DeleteSession(ctx, id); err != nil {
						return fmt.Errorf("delete session %d: %w", id, err)
					}
					fmt.Fprintf(env.Stdout, "deleted session %d\n", id)
					return nil
				default:
					return expire(ctx, env.Stdout, s, *days)
				}
			}
		},
	})
}

// openPractice unlocks the store and opens the practice service on it.
func openPractice(ctx context.Context, env *Env) (*practice.Service, func() error, error) {
	if env.Deps == nil || env.Deps.Practice == nil {
		return nil, nil, errors.New("the practice store is not available in this build")
	}
	return env.Deps.Practice.OpenPractice(ctx, env.Global)
}

// openDamagedStore opens a damaged store read-only, to export what it can.
func openDamagedStore(ctx context.Context, env *Env) (archive.Damaged, func() error, error) {
	if env.Deps == nil || env.Deps.Data == nil {
		return nil, nil, errors.New("the practice store is not available in this build")
	}
	return env.Deps.Data.OpenDamagedStore(ctx, env.Global)
}

func listSessions(ctx context.Context, w io.Writer, s interface {
	Sessions(ctx context.Context, f rehearse.SessionFilter) ([]rehearse.SessionSummary, error)
}, asJSON bool) error {
	list, err := s.Sessions(ctx, rehearse.SessionFilter{})
	if err != nil {
		return err
	}
	if asJSON {
		if list == nil {
			list = []rehearse.SessionSummary{}
		}
		return encodeIndented(w, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(w, "no sessions yet")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDATE\tANSWERS\tTITLE")
	for _, x := range list {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\n", x.ID, x.CreatedAt.Local().Format("2006-01-02 15:04"), x.Attempts, titleOf(x.Title))
	}
	return tw.Flush()
}

// titleOf is a session title on one line, with control characters shown
// escaped: titles come from imports too, and must not reach the terminal
// as commands.
func titleOf(t string) string {
	t = oneLine(t)
	if t == "" {
		return "(untitled)"
	}
	return t
}

// oneLine is stored text on one line, whitespace runs made single spaces
// and control characters escaped.
func oneLine(s string) string { return printable.Line(strings.Join(strings.Fields(s), " ")) }

// sessionReader reads one session and its answers.
type sessionReader interface {
	Session(ctx context.Context, id int64) (*rehearse.Session, error)
	Attempts(ctx context.Context, sessionID int64) ([]rehearse.Attempt, error)
}

func showSession(ctx context.Context, w io.Writer, s sessionReader, id int64, asJSON bool) error {
	sess, err := s.Session(ctx, id)
	if err != nil {
		return fmt.Errorf("session %d: %w", id, err)
	}
	atts, err := s.Attempts(ctx, id)
	if err != nil {
		return fmt.Errorf("answers of session %d: %w", id, err)
	}
	if asJSON {
		if atts == nil {
			atts = []rehearse.Attempt{}
		}
		return encodeIndented(w, rehearse.SessionRecord{Session: *sess, Attempts: atts})
	}
	fmt.Fprintf(w, "Session %d: %s\n", sess.ID, titleOf(sess.Title))
	fmt.Fprintf(w, "Started %s", sess.CreatedAt.Local().Format("2006-01-02 15:04"))
	if sess.FinishedAt != nil {
		fmt.Fprintf(w, ", finished %s", sess.FinishedAt.Local().Format("15:04"))
	}
	fmt.Fprintf(w, "; %d answer(s)\n", len(atts))
	if jd := strings.TrimSpace(sess.JobDescription); jd != "" {
		fmt.Fprintf(w, "\nJob description:\n%s\n", indent(jd))
	}
	for i, a := range atts {
		fmt.Fprintf(w, "\n%d. [%s] %s", i+1, printable.Line(string(a.QuestionType)), oneLine(a.QuestionText))
		if a.Number > 1 {
			fmt.Fprintf(w, " (retake %d)", a.Number)
		}
		fmt.Fprintf(w, "\n   answer %d, %s, %.0f s", a.ID, a.CreatedAt.Local().Format("2006-01-02 15:04"), a.DurationS)
		if a.HasAudio {
			fmt.Fprint(w, ", recording kept")
		}
		fmt.Fprintln(w)
		t := a.Effective()
		switch {
		case a.Status == rehearse.StatusPendingTranscription:
			fmt.Fprintln(w, "   (not transcribed yet)")
		case strings.TrimSpace(t.Text) == "":
			fmt.Fprintln(w, "   (no words)")
		default:
			fmt.Fprintln(w, indent(t.Text))
		}
	}
	return nil
}

// indent indents stored multi-line text, control characters escaped.
func indent(s string) string {
	lines := strings.Split(printable.Text(strings.TrimSpace(s)), "\n")
	for i, l := range lines {
		lines[i] = "   " + l
	}
	return strings.Join(lines, "\n")
}

func searchSessions(ctx context.Context, w io.Writer, s interface {
	Search(ctx context.Context, text string, limit int) ([]rehearse.SearchHit, error)
}, text string, asJSON bool) error {
	hits, err := s.Search(ctx, text, 100)
	if err != nil {
		return err
	}
	if asJSON {
		if hits == nil {
			hits = []rehearse.SearchHit{}
		}
		return encodeIndented(w, hits)
	}
	if len(hits) == 0 {
		fmt.Fprintln(w, "nothing found")
		return nil
	}
	for _, h := range hits {
		fmt.Fprintf(w, "session %d (%s), answer %d, %s\n   %s\n   %s\n", h.SessionID, titleOf(h.SessionTitle), h.AttemptID,
			h.CreatedAt.Local().Format("2006-01-02"), oneLine(h.QuestionText), oneLine(h.Snippet))
	}
	return nil
}

// expiry reads and changes how long answers are kept.
type expiry interface {
	ExpiryDays(ctx context.Context) (int, error)
	SetExpiryDays(ctx context.Context, days int) (deleted int, err error)
}

func expire(ctx context.Context, w io.Writer, s expiry, days int) error {
	if days < 0 {
		d, err := s.ExpiryDays(ctx)
		if err != nil {
			return err
		}
		if d == 0 {
			fmt.Fprintln(w, "answers are kept until you delete them (set a limit with --days N)")
		} else {
			fmt.Fprintf(w, "answers are deleted %d days after they were recorded\n", d)
		}
		return nil
	}
	n, err := s.SetExpiryDays(ctx, days)
	if err != nil {
		return err
	}
	if days == 0 {
		fmt.Fprintln(w, "expiry off: answers are kept until you delete them")
		return nil
	}
	fmt.Fprintf(w, "answers are now deleted after %d days; %d older answer(s) deleted\n", days, n)
	return nil
}

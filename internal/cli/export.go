package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/rehearse-app/rehearse/internal/archive"
	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func init() {
	register(&Command{
		Name:  "export",
		Args:  "--format json|md [--no-recordings] [--salvage] -o FILE",
		Short: "write all your sessions and answers to a file you choose (JSON or Markdown)",
		Long: `Writes every session with its answers, transcripts and feedback to FILE, or
to standard output with -o -. The file is readable by you only (mode 0600) and
is written whole or not at all. JSON follows a documented, versioned format
that 'rehearse import' reads back, and includes the recordings you kept and
those of answers waiting to be transcribed (16-bit PCM in base64, about
2.4 MiB a minute) unless you give --no-recordings; Markdown is for reading and has no
recordings. The export is NOT encrypted: keep it somewhere safe.

When the store is damaged, --salvage opens it read-only and exports every
answer that can still be read, row by row, stepping over damaged pages
(answers whose session record is lost come under a stand-in session); it
lists what could not be read, and the damaged file is not changed. 'rehearse import' then brings the sessions into a new
store (after 'rehearse wipe', or on another computer).`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			format := fs.String("format", "json", "json or md")
			noRec := fs.Bool("no-recordings", false, "leave recordings out of a JSON export")
			salvage := fs.Bool("salvage", false, "the store is damaged: export what can still be read")
			out := fs.String("o", "", "the file to write (- for standard output); required")
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				markdown := false
				switch *format {
				case "json":
				case "md", "markdown":
					markdown = true
				default:
					return usagef("--format must be json or md, not %q", *format)
				}
				if *out == "" {
					return usagef("say where to write the export with -o FILE (or -o - for standard output)")
				}
				var (
					recs    []rehearse.SessionRecord
					load    archive.Recordings
					got     *archive.Salvaged
					closeFn func() error
					err     error
					svc     *practice.Service
				)
				if *salvage {
					var s rehearse.Store
					s, closeFn, err = openDamagedStore(ctx, env)
					if errors.Is(err, rehearse.ErrCorruptStore) {
						// Not the usual advice to salvage: this was it.
						return &ExitError{Code: 1, Msg: fmt.Sprintf("nothing could be salvaged: %v\n"+
							"  The file was left as it is. Keep a copy of it (with its key.json) in case a later version can read more.", err)}
					}
					if err != nil {
						return err
					}
					defer closeFn()
					if got, err = archive.Salvage(ctx, s); err != nil {
						return err
					}
					recs, load = got.Records, got.Recording
				} else {
					svc, closeFn, err = openPractice(ctx, env)
					if err != nil {
						return err
					}
					defer closeFn()
					if recs, err = svc.Records(ctx); err != nil {
						return err
					}
					load = svc.Recording
				}
				if *noRec {
					load = nil
				}
				now := time.Now()
				write := func(w io.Writer) error { return archive.WriteJSON(ctx, w, recs, now, load) }
				if markdown {
					write = func(w io.Writer) error { return archive.WriteMarkdown(w, recs, now) }
				}
				if err := archive.WriteFile(*out, env.Stdout, write); err != nil {
					return err
				}
				if svc != nil && *out != "-" {
					// Remembered so that a wipe can offer to delete it.
					if err := svc.RecordExport(ctx, *out); err != nil {
						fmt.Fprintf(env.Stderr, "note: the export is saved, but Rehearse could not note it for a later wipe: %v\n", err)
					}
				}
				if *out != "-" {
					n := 0
					for _, r := range recs {
						n += len(r.Attempts)
					}
					fmt.Fprintf(env.Stderr, "exported %d session(s), %d answer(s) to %s\n", len(recs), n, *out)
				}
				if got != nil && *out == "-" {
					fmt.Fprintf(env.Stderr, "salvaged %d session(s), %d answer(s)\n", len(recs), got.Answers())
				}
				if got != nil && len(got.Lost) > 0 {
					fmt.Fprintf(env.Stderr, "could not be read (%d):\n", len(got.Lost))
					for _, l := range got.Lost {
						fmt.Fprintf(env.Stderr, "  %s\n", l)
					}
				}
				return nil
			}
		},
	})
	register(&Command{
		Name:  "import",
		Args:  "FILE",
		Short: "add the sessions of a JSON export (from 'rehearse export') to your store",
		Long: `Reads a JSON export (FILE, or - for standard input) and checks all of it
before storing anything; a problem is reported with its line and field. Then
every session not already in the store is added, with new IDs, in one step:
all of them or none. A session already there (same start, title and
answers, as when the same export is imported twice) is counted as already
present and left out.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) != 1 {
					return usagef("give the export file to import")
				}
				r, err := openInput(env, args[0])
				if err != nil {
					return fmt.Errorf("import: %w", err)
				}
				defer r.Close()
				// Validate everything before the store is even opened.
				recs, err := archive.ReadJSON(r)
				if err != nil {
					return fmt.Errorf("%s: %w; nothing was imported", args[0], err)
				}
				svc, closeFn, err := openPractice(ctx, env)
				if err != nil {
					return err
				}
				defer closeFn()
				got, err := svc.Import(ctx, recs)
				if err != nil {
					return fmt.Errorf("import: %w; nothing was imported", err)
				}
				fmt.Fprintf(env.Stdout, "imported %d session(s), %d answer(s), %d recording(s); %d already present\n",
					got.Sessions, got.Answers, got.Recordings, got.Present)
				return nil
			}
		},
	})
}

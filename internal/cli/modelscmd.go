package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func init() {
	register(&Command{
		Name:  "models",
		Args:  "list [--json] | download [--yes] NAME | import FILE [--name NAME] | remove NAME | use NAME",
		Short: "list, download, import, remove and choose speech models",
		Long: `Speech models are whisper.cpp ggml files kept in the data folder.

  list             the catalogue and the installed models, with sizes and checksums
  download NAME    fetch a model from the whisper.cpp project (the only time
                   Rehearse uses the network); asks first on a terminal,
                   --yes skips the question. An interrupted download resumes.
  import FILE      copy a ggml .bin file you already have, after checking it
  remove NAME      delete an installed model
  use NAME         transcribe with this installed model from now on`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			yes := fs.Bool("yes", false, "download without asking (for scripts)")
			asJSON := fs.Bool("json", false, "list as JSON")
			name := fs.String("name", "", "import under `NAME` instead of the file's name")
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) == 0 {
					return usagef("models needs a subcommand: list, download, import, remove or use")
				}
				if env.Deps == nil || env.Deps.Models == nil {
					return &ExitError{Code: 1, Msg: "model management is not available in this copy of Rehearse"}
				}
				sub, rest := args[0], args[1:]
				md := env.Deps.Models
				one := func() (string, error) {
					if len(rest) != 1 {
						return "", usagef("models %s takes one argument", sub)
					}
					return rest[0], nil
				}
				switch sub {
				case "list":
					if len(rest) != 0 {
						return usagef("models list takes no arguments")
					}
					list, err := md.List(ctx, env.Global)
					if err != nil {
						return err
					}
					if *asJSON {
						return encodeIndented(env.Stdout, list)
					}
					printModels(env.Stdout, list)
					return nil
				case "download":
					n, err := one()
					if err != nil {
						return err
					}
					return downloadModel(ctx, env, n, *yes)
				case "import":
					p, err := one()
					if err != nil {
						return err
					}
					m, err := md.Import(ctx, env.Global, p, *name)
					if err != nil {
						return err
					}
					fmt.Fprintf(env.Stdout, "imported %s (%s, %s)\n", m.Name, size(m.Size), m.Checksum)
					fmt.Fprintln(env.Stdout, pendingHint)
					return nil
				case "remove":
					n, err := one()
					if err != nil {
						return err
					}
					if err := md.Remove(ctx, env.Global, n); err != nil {
						return err
					}
					fmt.Fprintf(env.Stdout, "removed %s\n", n)
					return nil
				case "use":
					n, err := one()
					if err != nil {
						return err
					}
					if err := md.Use(ctx, env.Global, n); err != nil {
						if errors.Is(err, rehearse.ErrNoModel) {
							return notInstalled(ctx, env, n)
						}
						return err
					}
					fmt.Fprintf(env.Stdout, "transcribing with %s from now on\n", n)
					fmt.Fprintln(env.Stdout, pendingHint)
					return nil
				}
				return usagef("unknown models subcommand %q", sub)
			}
		},
	})
}

// notInstalled is the error for a model name that is not installed: it
// names the installed models to choose from, or how to get one.
func notInstalled(ctx context.Context, env *Env, name string) error {
	list, err := env.Deps.Models.List(ctx, env.Global)
	if err != nil {
		return fmt.Errorf("model %q is not installed (and the installed models cannot be listed: %w)", name, err)
	}
	var installed []string
	inCatalog := false
	for _, m := range list {
		if m.Installed {
			installed = append(installed, m.Name)
		}
		inCatalog = inCatalog || (m.Name == name && m.InCatalog)
	}
	msg := fmt.Sprintf("model %q is not installed", name)
	switch {
	case len(installed) > 0:
		msg += "; installed: " + strings.Join(installed, ", ")
	default:
		msg += "; no model is installed yet"
	}
	if inCatalog {
		msg += fmt.Sprintf(" ('rehearse models download %s' fetches it)", name)
	} else {
		msg += " ('rehearse models list' shows the catalogue; 'rehearse models import FILE' adds a file you have)"
	}
	return &ExitError{Code: 1, Msg: msg}
}

// pendingHint follows a model's arrival: answers recorded without one are
// transcribed by a separate command, which needs the store unlocked.
const pendingHint = "Answers recorded while no model was available: run 'rehearse transcribe --pending' to transcribe them."

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func printModels(w io.Writer, list []ModelStatus) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tSIZE\tSTATE\tCHECKSUM")
	for _, m := range list {
		mark := "  "
		if m.Active {
			mark = "* "
		}
		st := "available"
		switch {
		case m.Installed && m.Active:
			st = "installed, in use"
		case m.Installed:
			st = "installed"
		case m.Partial > 0:
			st = fmt.Sprintf("partly downloaded (%s)", size(m.Partial))
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\n", mark, m.Name, size(m.Size), st, m.Checksum)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nModels come from https://huggingface.co/ggerganov/whisper.cpp; 'rehearse models download NAME' fetches one.")
}

func downloadModel(ctx context.Context, env *Env, name string, yes bool) error {
	md := env.Deps.Models
	list, err := md.List(ctx, env.Global)
	if err != nil {
		return err
	}
	var m *ModelStatus
	for i := range list {
		if list[i].Name == name {
			m = &list[i]
		}
	}
	if m == nil || !m.InCatalog {
		return &ExitError{Code: 1, Msg: fmt.Sprintf("no model called %q to download; 'rehearse models list' shows the catalogue", name)}
	}
	if m.Installed {
		fmt.Fprintf(env.Stdout, "%s is already installed\n", name)
		return nil
	}
	fmt.Fprintf(env.Stderr, "Download %s (%s) from %s\nChecksum: %s\n", name, size(m.Size), m.Source, m.Checksum)
	if m.Partial > 0 {
		fmt.Fprintf(env.Stderr, "Resuming: %s already downloaded.\n", size(m.Partial))
	}
	if !yes {
		if !terminal(env.Stdin) {
			return &ExitError{Code: 1, Msg: "not downloading without confirmation: run it on a terminal, or add --yes"}
		}
		fmt.Fprint(env.Stderr, "This is the only thing Rehearse sends over the network. Download? [y/N] ")
		line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			return &ExitError{Code: 1, Msg: "download cancelled"}
		}
	}
	var last time.Time
	tty := terminal(env.Stderr)
	progress := func(done, total int64) {
		if time.Since(last) < 500*time.Millisecond && done != total {
			return
		}
		last = time.Now()
		pct := ""
		if total > 0 {
			pct = fmt.Sprintf(" (%.0f%%)", 100*float64(done)/float64(total))
		}
		if tty {
			fmt.Fprintf(env.Stderr, "\r\033[Kdownloading %s: %s of %s%s", name, size(done), size(total), pct)
		} else {
			fmt.Fprintf(env.Stderr, "downloading %s: %s of %s%s\n", name, size(done), size(total), pct)
		}
	}
	got, err := md.Download(ctx, env.Global, name, progress)
	if tty {
		fmt.Fprintln(env.Stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "installed %s (%s, %s)\n", got.Name, size(got.Size), got.Checksum)
	fmt.Fprintln(env.Stdout, pendingHint)
	return nil
}

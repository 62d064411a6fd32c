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

	"github.com/rehearse-app/rehearse/internal/bytesize"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func init() {
	register(&Command{
		Name:  "models",
		Args:  "list [--json] | recommend [--json] | download [--yes] NAME | import FILE [--name NAME] | remove NAME | use NAME",
		Short: "list, download, import, remove and choose speech models",
		Long: `Speech models are whisper.cpp ggml files kept in the data folder.

  list             the catalogue and the installed models, with sizes and checksums
  recommend        time whisper.cpp on this computer for a few seconds and offer
                   the largest English model that keeps up with speech
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
					return usagef("models needs a subcommand: list, recommend, download, import, remove or use")
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
				case "recommend":
					if len(rest) != 0 {
						return usagef("models recommend takes no arguments")
					}
					return recommendModel(ctx, env, *asJSON)
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
					fmt.Fprintf(env.Stdout, "imported %s (%s, %s)\n", m.Name, bytesize.Format(m.Size), m.Checksum)
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
			st = fmt.Sprintf("partly downloaded (%s)", bytesize.Format(m.Partial))
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\n", mark, m.Name, bytesize.Format(m.Size), st, m.Checksum)
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
	fmt.Fprintf(env.Stderr, "Download %s (%s) from %s\nChecksum: %s\n", name, bytesize.Format(m.Size), m.Source, m.Checksum)
	if m.Partial > 0 {
		fmt.Fprintf(env.Stderr, "Resuming: %s already downloaded.\n", bytesize.Format(m.Partial))
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
			fmt.Fprintf(env.Stderr, "\r\033[Kdownloading %s: %s of %s%s", name, bytesize.Format(done), bytesize.Format(total), pct)
		} else {
			fmt.Fprintf(env.Stderr, "downloading %s: %s of %s%s\n", name, bytesize.Format(done), bytesize.Format(total), pct)
		}
	}
	got, err := md.Download(ctx, env.Global, name, progress)
	if tty {
		fmt.Fprintln(env.Stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "installed %s (%s, %s)\n", got.Name, bytesize.Format(got.Size), got.Checksum)
	fmt.Fprintln(env.Stdout, pendingHint)
	return nil
}

func recommendModel(ctx context.Context, env *Env, asJSON bool) error {
	fmt.Fprintln(env.Stderr, "Timing speech recognition on this computer (a few seconds, nothing is downloaded)...")
	adv, err := env.Deps.Models.Recommend(ctx, env.Global, func(model string) {
		fmt.Fprintf(env.Stderr, "  measuring a %s-sized model\n", model)
	})
	if errors.Is(err, rehearse.ErrNoTranscriber) {
		return &ExitError{Code: 1, Msg: "voice transcription is not compiled into this copy of Rehearse, so there is nothing to measure and no model would be used.\n" +
			"Build it with whisper.cpp (see README, 'Voice transcription'; 'make build' does it), then run 'rehearse models recommend' again.\n" +
			"Typed answers work without it."}
	}
	if err != nil {
		return err
	}
	if asJSON {
		return encodeIndented(env.Stdout, adv)
	}
	w := env.Stdout
	fmt.Fprintf(w, "Self-test: whisper.cpp %s on %d thread(s), %.0f s of generated speech per model shape\n", adv.Engine, adv.Threads, adv.Audio)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, m := range adv.Measured {
		verdict := "keeps up with speech"
		if !m.Streams {
			verdict = fmt.Sprintf("too slow to stream (limit %.2f ×)", adv.Limit)
		}
		fmt.Fprintf(tw, "  %s\t%.2f × real time\t%s\n", m.Name, m.RTF, verdict)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nRecommended: %s\n", adv.Name)
	fmt.Fprintf(w, "  download:  %s, the same on disk\n", bytesize.Format(adv.Size))
	fmt.Fprintf(w, "  source:    %s\n", adv.Source)
	fmt.Fprintf(w, "  checksum:  %s\n", adv.Checksum)
	fmt.Fprintf(w, "  speed:     about %.2f × real time here: a 10-second sentence takes about %.1f s to transcribe\n", adv.RTF, 10*adv.RTF)
	fmt.Fprintf(w, "  accuracy:  %s\n", adv.Accuracy)
	if !adv.Streams {
		fmt.Fprintln(w, "  note:      even this smallest model is slower than streaming needs here; answers are transcribed after you stop, which takes longer")
	}
	fmt.Fprintf(w, "\nRule: the largest English model whose measured time is at most %.2f × the length of the audio, so that it keeps up while you talk with room to spare when the computer is busy.\n", adv.Limit)
	if adv.Installed {
		fmt.Fprintf(w, "It is already installed; 'rehearse models use %s' makes it the one in use.\n", adv.Name)
	} else {
		fmt.Fprintf(w, "Download it with: rehearse models download %s\n", adv.Name)
	}
	return nil
}

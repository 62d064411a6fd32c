package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/vault"
)

// wipePhrase is what the user types to confirm a wipe.
const wipePhrase = "delete everything"

func init() {
	register(&Command{
		Name:  "wipe",
		Args:  "[--yes] [--models] [--exports]",
		Short: "delete all your data and its key for good; Rehearse starts fresh",
		Long: `Deletes the encryption key (from the OS keyring and the key files) first,
then the practice store, its journal files, caches and settings. Downloaded
speech models are kept unless --models is given. This cannot be undone, and
copies of the store taken before can no longer be opened with anything
Rehearse keeps (see PRIVACY.md for what a wipe cannot reach).

Only files Rehearse made are deleted, and only in folders that are
Rehearse's (they hold its marker file, or a store its key opens); anything
else in them stays. A folder that is not Rehearse's is left untouched and
the wipe fails with the reason.

With --exports, the files that 'rehearse export' and the window's export
wrote are deleted too, but only those still exactly as Rehearse wrote them
(their checksums are kept in the store); exports changed since are listed
and left. This needs the store unlocked, as for any command.

On a terminal you are asked to type '` + wipePhrase + `'; scripts pass --yes.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			yes := fs.Bool("yes", false, "do not ask for confirmation")
			models := fs.Bool("models", false, "delete the downloaded speech models too")
			exports := fs.Bool("exports", false, "delete the exports Rehearse wrote too, if unchanged since")
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				if env.Deps == nil || env.Deps.Data == nil {
					return errors.New("the practice store is not available in this build")
				}
				l, err := env.Deps.Data.Layout(env.Global)
				if err != nil {
					return err
				}
				if !*yes {
					f, ok := env.Stdin.(*os.File)
					if !ok || !vault.IsTerminal(f) {
						return &ExitError{Code: 2, Msg: "refusing to wipe without confirmation: run it on a terminal, or pass --yes"}
					}
					what := "your practice sessions, recordings, settings and the encryption key"
					if *models {
						what += ", and the downloaded speech models"
					}
					fmt.Fprintf(env.Stderr, "This deletes %s in %s for good.\nType '%s' to go on: ", what, l.Data, wipePhrase)
					line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
					if strings.TrimSpace(line) != wipePhrase {
						return &ExitError{Code: 1, Msg: "not confirmed; nothing was deleted"}
					}
				}
				// The list of exports is in the store: read before it goes.
				var files []practice.ExportedFile
				if *exports {
					svc, closeFn, err := openPractice(ctx, env)
					if err != nil {
						return fmt.Errorf("the exports to delete are listed in the store, which could not be opened; nothing was deleted: %w", err)
					}
					files, err = svc.Exports(ctx)
					closeFn()
					if err != nil {
						return err
					}
				}
				rep, err := env.Deps.Data.Wipe(ctx, env.Global, *models)
				printWipe(env, rep)
				if err != nil {
					return err
				}
				if *exports {
					deleted, derr := practice.DeleteExports(files)
					for _, p := range deleted {
						fmt.Fprintf(env.Stdout, "removed %s (an export, unchanged since Rehearse wrote it)\n", p)
					}
					for _, f := range files {
						if f.State == practice.ExportChanged {
							fmt.Fprintf(env.Stdout, "left    %s (an export changed since Rehearse wrote it)\n", f.Path)
						}
					}
					if derr != nil {
						return derr
					}
				}
				fmt.Fprintln(env.Stdout, "wiped: Rehearse will start fresh")
				return nil
			}
		},
	})
}

func printWipe(env *Env, rep vault.WipeReport) {
	for _, a := range rep.KeyringEntries {
		fmt.Fprintf(env.Stdout, "removed key from the OS keyring: %s\n", a)
	}
	for _, p := range rep.Removed {
		fmt.Fprintf(env.Stdout, "removed %s\n", p)
	}
	for _, p := range rep.Kept {
		fmt.Fprintf(env.Stdout, "kept    %s (speech models; use --models to delete them too)\n", p)
	}
	for _, p := range rep.Others {
		fmt.Fprintf(env.Stdout, "left    %s (not made by Rehearse)\n", p)
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(env.Stderr, "problem: %s\n", p)
	}
}

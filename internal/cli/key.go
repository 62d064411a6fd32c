package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/rehearse-app/rehearse/internal/vault"
)

// resetPhrase is what the user types to confirm starting over.
const resetPhrase = "start over"

func init() {
	register(&Command{
		Name:  "key",
		Args:  "status | rotate | set-passphrase | use-keyring | set-recovery | reset   [flags]",
		Short: "see where the encryption key is kept; rotate it; set a passphrase or a recovery passphrase",
		Long: `status           where the key of the practice store is kept (no unlocking)
rotate           re-encrypt the store under a new random key, kept wherever
                 the old one was (asks for the passphrases that wrap it)
set-passphrase   keep the key wrapped under a passphrase instead of the OS
                 keyring, or change that passphrase
use-keyring      keep the key in the OS keyring again (drops the passphrase)
set-recovery     set a recovery passphrase that opens the store when the
                 keyring loses the key or the passphrase is forgotten;
                 --remove removes it
reset            start over with a new, empty store and a new key, when the
                 store is missing or damaged: the database (if any) is kept
                 as rehearse.db.set-aside-TIME and the key file as
                 key-TIME.json.old (its keyring entry stays), so the old
                 store still opens if you put both back; nothing is deleted.
                 On a terminal you are asked to type '` + resetPhrase + `'; scripts
                 pass --yes

Passphrases are read from files (first line) or asked on the terminal,
never taken as command-line values. The global --passphrase-file unlocks.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			newFile := fs.String("new-passphrase-file", "", "set-passphrase: read the new passphrase from `FILE`")
			recFile := fs.String("recovery-file", "", "set-recovery, rotate: read the recovery passphrase from `FILE`")
			remove := fs.Bool("remove", false, "set-recovery: remove the recovery passphrase")
			asJSON := fs.Bool("json", false, "status: print JSON")
			yes := fs.Bool("yes", false, "reset: do not ask for confirmation")
			return func(ctx context.Context, env *Env, args []string) error {
				rest := args
				if len(rest) != 1 {
					return usagef("say what to do: status, rotate, set-passphrase, use-keyring, set-recovery or reset")
				}
				if env.Deps == nil || env.Deps.Keys == nil {
					return errors.New("the practice store is not available in this build")
				}
				d := env.Deps.Keys
				switch rest[0] {
				case "status":
					st, err := d.KeyStatus(ctx, env.Global)
					if err != nil {
						return err
					}
					if *asJSON {
						return encodeIndented(env.Stdout, st)
					}
					fmt.Fprintf(env.Stdout, "store:      %s\nkey file:   %s\n%s\n", st.Store, st.KeyFile, st)
					if st.Exists && !st.Recovery {
						fmt.Fprintln(env.Stdout, "tip: 'rehearse key set-recovery' keeps your data reachable if the keyring loses the key or the passphrase is forgotten")
					}
					return nil
				case "rotate":
					var rec []byte
					if *recFile != "" {
						var err error
						if rec, err = vault.ReadPassphraseFile(*recFile); err != nil {
							return err
						}
					} else if f, ok := env.Stdin.(*os.File); !ok || !vault.IsTerminal(f) {
						if st, err := d.KeyStatus(ctx, env.Global); err == nil && st.Recovery {
							return usagef("this store has a recovery passphrase: give it with --recovery-file FILE so the new key is wrapped for it too")
						}
					}
					if err := d.RotateKey(ctx, env.Global, rec); err != nil {
						return err
					}
					fmt.Fprintln(env.Stdout, "the store is now encrypted under a new key")
					return nil
				case "set-passphrase":
					pass, err := newSecret(ctx, env, *newFile, "--new-passphrase-file", "Choose a passphrase for your practice store.")
					if err != nil {
						return err
					}
					if err := d.SetPassphrase(ctx, env.Global, pass); err != nil {
						return err
					}
					fmt.Fprintln(env.Stdout, "the key is now kept wrapped under your passphrase (not in the OS keyring); without the passphrase the store cannot be opened")
					return nil
				case "use-keyring":
					if err := d.UseKeyring(ctx, env.Global); err != nil {
						return err
					}
					fmt.Fprintln(env.Stdout, "the key is now kept in the OS keyring")
					return nil
				case "reset":
					// Starting over deletes nothing, but the store in use is
					// set aside: a person confirms it, a script says --yes.
					if !*yes {
						f, ok := env.Stdin.(*os.File)
						if !ok || !vault.IsTerminal(f) {
							return &ExitError{Code: 2, Msg: "refusing to start over without confirmation: run it on a terminal, or pass --yes"}
						}
						fmt.Fprintf(env.Stderr, "This sets the practice store and its key aside (nothing is deleted) and starts a new, empty store.\nType '%s' to go on: ", resetPhrase)
						line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
						if strings.TrimSpace(line) != resetPhrase {
							return &ExitError{Code: 1, Msg: "not confirmed; nothing was changed"}
						}
					}
					rep, err := d.StartOver(ctx, env.Global)
					if err != nil {
						return err
					}
					if rep.KeptStore != "" {
						fmt.Fprintf(env.Stdout, "kept the old database as %s\n", rep.KeptStore)
					}
					if rep.KeptKey != "" {
						fmt.Fprintf(env.Stdout, "kept the old key file as %s\n", rep.KeptKey)
					}
					if rep.Restore != "" {
						fmt.Fprintf(env.Stdout, "%s\n", rep.Restore)
					}
					fmt.Fprintln(env.Stdout, "the next use of Rehearse creates a new, empty store with a new key")
					return nil
				case "set-recovery":
					if *remove {
						if err := d.SetRecovery(ctx, env.Global, nil); err != nil {
							return err
						}
						fmt.Fprintln(env.Stdout, "recovery passphrase removed")
						return nil
					}
					pass, err := newSecret(ctx, env, *recFile, "--recovery-file", "Choose a recovery passphrase; write it down and keep it somewhere safe.")
					if err != nil {
						return err
					}
					if err := d.SetRecovery(ctx, env.Global, pass); err != nil {
						return err
					}
					fmt.Fprintln(env.Stdout, "recovery passphrase set")
					return nil
				}
				return usagef("unknown key command %q", rest[0])
			}
		},
	})
}

// newSecret reads a new passphrase from file, or asks twice on the terminal.
func newSecret(ctx context.Context, env *Env, file, flagName, msg string) ([]byte, error) {
	if file != "" {
		return vault.ReadPassphraseFile(file)
	}
	f, ok := env.Stdin.(*os.File)
	if !ok || !vault.IsTerminal(f) {
		return nil, usagef("no terminal to ask on: give the new passphrase with %s FILE", flagName)
	}
	return vault.TerminalAsker(f, env.Stderr)(ctx, vault.Prompt{Kind: vault.AskNew, Message: msg})
}

package cli

import (
	"context"
	"flag"
	"fmt"
)

func init() {
	register(&Command{
		Name:  "doctor",
		Short: "check encryption, speech, models, microphone, keyring and the data folder",
		Long: `Prints one line per fact. Exits with status 1 when something needed for
practising with an encrypted store is missing, and says how to fix it.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) > 0 {
					return usagef("doctor takes no arguments")
				}
				var facts []Fact
				if d := env.Deps; d != nil {
					for _, src := range []interface {
						Doctor(context.Context, Global) []Fact
					}{d.Data, d.Speech, d.Models} {
						if src != nil {
							facts = append(facts, src.Doctor(ctx, env.Global)...)
						}
					}
				}
				failed := 0
				for _, f := range facts {
					mark := "ok  "
					switch {
					case !f.OK && f.Needed:
						mark = "FAIL"
						failed++
					case !f.OK:
						mark = "note"
					}
					fmt.Fprintf(env.Stdout, "%s  %-22s %s\n", mark, f.Name, f.Value)
					if !f.OK && f.Fix != "" {
						fmt.Fprintf(env.Stdout, "      %-22s fix: %s\n", "", f.Fix)
					}
				}
				if failed > 0 {
					return &ExitError{Code: 1, Msg: fmt.Sprintf("%d needed part(s) missing; see the fixes above", failed)}
				}
				return nil
			}
		},
	})
}

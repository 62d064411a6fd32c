package cli

import (
	"context"
	"flag"
	"fmt"
	"runtime"
)

func init() {
	register(&Command{
		Name:  "version",
		Short: "print the version of Rehearse",
		Flags: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) > 0 {
					return usagef("version takes no arguments")
				}
				v := "dev"
				if env.Deps != nil && env.Deps.Version != "" {
					v = env.Deps.Version
				}
				fmt.Fprintf(env.Stdout, "rehearse %s (%s, %s/%s)\n", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
				return nil
			}
		},
	})
}

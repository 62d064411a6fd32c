// Package cli is Rehearse's command line: the subcommands that script and
// automate practice without the window. It talks to the rest of the program
// only through the domain types and the Deps that cmd/rehearse wires in, so
// it never imports an adapter.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Env is what a command runs with.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Deps           *Deps
	Global         Global
}

// Global holds the flags that come before the subcommand.
type Global struct {
	// PassphraseFile names a file whose first line is the passphrase
	// (--passphrase-file or REHEARSE_PASSPHRASE_FILE); never a value on
	// the command line.
	PassphraseFile string
	// DataDir overrides the data folder (--data-dir or REHEARSE_DATA_DIR).
	DataDir string
}

// Command is one subcommand.
type Command struct {
	Name  string
	Args  string // synopsis after the name, e.g. "[--json] FILE"
	Short string // one line for the command list
	Long  string // shown by --help
	// Flags declares the command's flags on fs and returns the function
	// that runs it with the remaining arguments.
	Flags func(fs *flag.FlagSet) func(ctx context.Context, env *Env, args []string) error
}

var commands = map[string]*Command{}

// register adds a command; each command's file calls it from init.
func register(c *Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: duplicate command " + c.Name)
	}
	commands[c.Name] = c
}

// UsageError makes Main print the command's usage and exit with status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, a ...any) error { return &UsageError{Msg: fmt.Sprintf(format, a...)} }

// ExitError ends the program with a status other than 1 after printing Msg
// (when not empty).
type ExitError struct {
	Code int
	Msg  string
}

func (e *ExitError) Error() string { return e.Msg }

// Main runs the command line and returns the exit status. With no
// subcommand it opens the window (Deps.GUI).
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, deps *Deps) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Deps: deps}
	gfs := flag.NewFlagSet("rehearse", flag.ContinueOnError)
	gfs.SetOutput(io.Discard)
	declareGlobal(gfs, &env.Global, Global{
		PassphraseFile: os.Getenv("REHEARSE_PASSPHRASE_FILE"),
		DataDir:        os.Getenv("REHEARSE_DATA_DIR"),
	})
	if err := gfs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, gfs)
			return 0
		}
		fmt.Fprintf(stderr, "rehearse: %v\n\n", err)
		printUsage(stderr, gfs)
		return 2
	}
	rest := gfs.Args()
	if len(rest) == 0 {
		if deps == nil || deps.GUI == nil {
			printUsage(stderr, gfs)
			return 2
		}
		return report(stderr, "", deps.GUI(ctx, env.Global))
	}
	name := rest[0]
	if name == "help" {
		if len(rest) > 1 {
			c, ok := commands[rest[1]]
			if !ok {
				fmt.Fprintf(stderr, "rehearse: unknown command %q\n\n", rest[1])
				printUsage(stderr, gfs)
				return 2
			}
			printCommandUsage(stdout, c, nil, nil)
			return 0
		}
		printUsage(stdout, gfs)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "rehearse: unknown command %q\n\n", name)
		printUsage(stderr, gfs)
		return 2
	}
	fs := flag.NewFlagSet("rehearse "+c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	run := c.Flags(fs)
	// The global flags are accepted after the command too
	// (rehearse sessions list --data-dir DIR).
	own := flagNames(fs)
	declareGlobal(fs, &env.Global, env.Global)
	args, err := parseArgs(fs, rest[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandUsage(stdout, c, fs, own)
			return 0
		}
		fmt.Fprintf(stderr, "rehearse %s: %v\n\n", c.Name, err)
		printCommandUsage(stderr, c, fs, own)
		return 2
	}
	err = run(ctx, env, args)
	var ue *UsageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "rehearse %s: %s\n\n", c.Name, ue.Msg)
		printCommandUsage(stderr, c, fs, own)
		return 2
	}
	return report(stderr, c.Name, err)
}

func report(stderr io.Writer, name string, err error) int {
	if err == nil {
		return 0
	}
	prefix := "rehearse"
	if name != "" {
		prefix += " " + name
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Msg != "" {
			fmt.Fprintf(stderr, "%s: %s\n", prefix, ee.Msg)
		}
		return ee.Code
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "%s: cancelled\n", prefix)
		return 130
	}
	fmt.Fprintf(stderr, "%s: %v\n", prefix, err)
	if errors.Is(err, rehearse.ErrCorruptStore) {
		fmt.Fprintln(stderr, "  The file was left as it is. 'rehearse export --salvage -o FILE' saves what can still be read;\n"+
			"  'rehearse key reset' then starts over (the damaged file and its key are kept aside),\n"+
			"  and 'rehearse import FILE' brings the saved sessions back.")
	}
	return 1
}

func printUsage(w io.Writer, gfs *flag.FlagSet) {
	fmt.Fprint(w, `Rehearse — practise interview answers out loud, on this computer only.

Usage:
  rehearse [global flags]                 open the practice window
  rehearse [global flags] COMMAND [flags] run one command

Commands:
`)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].Short)
	}
	fmt.Fprint(w, "\nGlobal flags:\n")
	gfs.SetOutput(w)
	gfs.PrintDefaults()
	gfs.SetOutput(io.Discard)
	fmt.Fprint(w, "\nRun 'rehearse COMMAND --help' for a command's flags.\n")
}

// printCommandUsage prints c's synopsis, description and flags. fs is the
// parsed flag set (nil: declare a new one) and own the names of the flags
// that belong to the command rather than to the global ones.
func printCommandUsage(w io.Writer, c *Command, fs *flag.FlagSet, own map[string]bool) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", strings.TrimSpace("rehearse "+c.Name+" "+c.Args), c.Short)
	if c.Long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.Long))
	}
	if fs == nil {
		fs = flag.NewFlagSet(c.Name, flag.ContinueOnError)
		c.Flags(fs)
		own = flagNames(fs)
	}
	if len(own) > 0 {
		cmd := flag.NewFlagSet(c.Name, flag.ContinueOnError)
		fs.VisitAll(func(f *flag.Flag) {
			if own[f.Name] {
				cmd.Var(f.Value, f.Name, f.Usage)
				// Show the declared default, not the value just parsed.
				cmd.Lookup(f.Name).DefValue = f.DefValue
			}
		})
		fmt.Fprint(w, "\nFlags:\n")
		cmd.SetOutput(w)
		cmd.PrintDefaults()
	}
	fmt.Fprint(w, "\nFlags go before or after the arguments; '--' ends them. The global flags\n(--data-dir, --passphrase-file) may follow the command too.\n")
}

// declareGlobal declares the global flags on fs, storing into g, with the
// defaults def; a command's own flag of the same name wins.
func declareGlobal(fs *flag.FlagSet, g *Global, def Global) {
	if fs.Lookup("passphrase-file") == nil {
		fs.StringVar(&g.PassphraseFile, "passphrase-file", def.PassphraseFile, "read the passphrase from `FILE`")
	}
	if fs.Lookup("data-dir") == nil {
		fs.StringVar(&g.DataDir, "data-dir", def.DataDir, "keep all data under `DIR`")
	}
}

func flagNames(fs *flag.FlagSet) map[string]bool {
	names := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) { names[f.Name] = true })
	return names
}

// parseArgs parses the flags of fs wherever they appear among args, before,
// between or after the other arguments, and returns those others in order.
// "--" ends the flags (what follows is taken as it is); "-" is an argument
// (standard input). The standard library's parser stops at the first
// argument that is not a flag, so it is resumed after each one.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		used := len(args) - fs.NArg()
		if used > 0 && args[used-1] == "--" && !takesValue(fs, args[:used-1]) {
			return append(rest, fs.Args()...), nil
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// takesValue reports whether the last of parsed is a flag still waiting
// for its value (so that a "--" after it is that value, not the end of the
// flags).
func takesValue(fs *flag.FlagSet, parsed []string) bool {
	if len(parsed) == 0 {
		return false
	}
	a := parsed[len(parsed)-1]
	if len(a) < 2 || a[0] != '-' || strings.Contains(a, "=") || a == "--" {
		return false
	}
	f := fs.Lookup(strings.TrimLeft(a, "-"))
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

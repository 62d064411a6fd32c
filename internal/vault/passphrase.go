package vault

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// PromptKind says why a passphrase is asked for.
type PromptKind int

// The reasons for asking.
const (
	// AskUnlock asks for the passphrase of a store in passphrase mode.
	AskUnlock PromptKind = iota
	// AskRecovery asks for the recovery passphrase.
	AskRecovery
	// AskNew asks for a new passphrase (a terminal asks twice).
	AskNew
)

// Prompt is one request for a passphrase.
type Prompt struct {
	Kind    PromptKind
	Message string
}

// Asker supplies a passphrase. It returns an error wrapping
// rehearse.ErrPassphraseNeeded when it has no way to get one.
type Asker func(ctx context.Context, p Prompt) ([]byte, error)

// MinPassphrase is the shortest passphrase accepted for a new wrapping.
const MinPassphrase = 8

func checkNewPassphrase(field string, p []byte) error {
	if len(bytes.TrimSpace(p)) < MinPassphrase {
		return &rehearse.InputError{Field: field, Reason: fmt.Sprintf("too short: use at least %d characters", MinPassphrase)}
	}
	return nil
}

// ReadPassphraseFile returns the first line of the file at path (without the
// line ending). Passphrases are given in files, never on the command line,
// where other users could read them from the process list.
func ReadPassphraseFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("passphrase file: %w", err)
	}
	defer f.Close()
	line, err := bufio.NewReaderSize(io.LimitReader(f, 64<<10), 4096).ReadBytes('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("passphrase file %q: %w", path, err)
	}
	line = bytes.TrimRight(line, "\r\n")
	if len(line) == 0 {
		return nil, &rehearse.InputError{Field: "passphrase file", Value: path, Reason: "the first line is empty"}
	}
	return line, nil
}

// FileAsker answers every prompt with the passphrase in the file at path.
func FileAsker(path string) Asker {
	return func(ctx context.Context, p Prompt) ([]byte, error) { return ReadPassphraseFile(path) }
}

// NoAsker is used when there is neither a passphrase file nor a terminal.
func NoAsker(ctx context.Context, p Prompt) ([]byte, error) {
	why := ""
	if p.Kind != AskUnlock {
		why = " (" + strings.TrimSuffix(p.Message, ".") + ")"
	}
	return nil, fmt.Errorf("%w%s, and there is no terminal to ask on: give it with --passphrase-file FILE (or REHEARSE_PASSPHRASE_FILE)", rehearse.ErrPassphraseNeeded, why)
}

// TerminalAsker asks on the terminal in, without echo, writing prompts to
// out. A new passphrase is asked twice.
func TerminalAsker(in *os.File, out io.Writer) Asker {
	return func(ctx context.Context, p Prompt) ([]byte, error) {
		fmt.Fprintf(out, "%s\nPassphrase: ", p.Message)
		pass, err := readHidden(in)
		fmt.Fprintln(out)
		if err != nil {
			return nil, fmt.Errorf("read passphrase: %w", err)
		}
		if p.Kind == AskNew {
			fmt.Fprint(out, "Repeat it: ")
			again, err := readHidden(in)
			fmt.Fprintln(out)
			if err != nil {
				return nil, fmt.Errorf("read passphrase: %w", err)
			}
			if !bytes.Equal(pass, again) {
				return nil, &rehearse.InputError{Field: "passphrase", Reason: "the two entries differ"}
			}
		}
		if len(pass) == 0 {
			return nil, fmt.Errorf("%s: %w", p.Message, rehearse.ErrPassphraseNeeded)
		}
		return pass, nil
	}
}

// IsTerminal reports whether f is an interactive terminal.
func IsTerminal(f *os.File) bool { return isTerminal(f) }

// readLine reads up to a newline one byte at a time, so nothing after the
// line is consumed.
func readLine(r io.Reader) ([]byte, error) {
	var line []byte
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n == 1 {
			if b[0] == '\n' {
				return bytes.TrimRight(line, "\r"), nil
			}
			line = append(line, b[0])
			if len(line) > 4096 {
				return nil, errors.New("line too long")
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) && len(line) > 0 {
				return line, nil
			}
			return nil, err
		}
	}
}

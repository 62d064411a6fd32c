package cli

import (
	"fmt"
	"io"
	"os"
)

// Limits on what commands read whole.
const (
	maxAnswerBytes = 8 << 20 // a typed answer
	maxJobBytes    = 1 << 20 // a job description
)

// openInput opens the file name, or standard input when name is "-".
func openInput(env *Env, name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(env.Stdin), nil
	}
	return os.Open(name)
}

// readInput reads all of the file name (standard input for "-"), refusing
// more than limit bytes; what names the input in errors.
func readInput(env *Env, what, name string, limit int64) (string, error) {
	r, err := openInput(env, name)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", what, err)
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return "", fmt.Errorf("read %s %q: %w", what, name, err)
	}
	if int64(len(b)) > limit {
		return "", fmt.Errorf("%s %q is larger than %d KiB", what, name, limit>>10)
	}
	return string(b), nil
}

// readJob reads a job description (--job FILE).
func readJob(env *Env, name string) (string, error) {
	jd, err := readInput(env, "job description", name, maxJobBytes)
	if err != nil {
		return "", fmt.Errorf("%w (paste only the advert text)", err)
	}
	return jd, nil
}

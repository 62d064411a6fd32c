// Package langenv normalises the process's locale variables before the GUI
// toolkit reads them. Fyne parses LANG and friends as BCP 47 tags while it
// initialises and logs an error for the POSIX "C" locale (common on servers
// and in containers, e.g. LANG=C.UTF-8), which would clutter every command's
// output. Importing this package for its side effect maps "C"/"POSIX" to
// English before that happens; real locales are left alone.
package langenv

import (
	"os"
	"strings"
)

func init() { normalise() }

// normalise rewrites C/POSIX locale variables to en_US.UTF-8. It is called
// by the package's initialiser, so importing the package is enough.
func normalise() {
	for _, name := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		v, ok := os.LookupEnv(name)
		if !ok {
			continue
		}
		base, _, _ := strings.Cut(v, ".")
		if base == "C" || base == "POSIX" {
			os.Setenv(name, "en_US.UTF-8")
		}
	}
}

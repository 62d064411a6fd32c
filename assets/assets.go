// Package assets embeds the files Rehearse ships inside its binary: the icon,
// the question bank, the job-title table that places a role in one of the
// bank's fields, and the default feedback rulebook.
package assets

import "embed"

// FS holds every embedded asset; paths are relative to this folder.
//
//go:embed icon.png questions.json roles.json rulebook.json
var FS embed.FS

// Read returns one embedded file.
func Read(name string) ([]byte, error) { return FS.ReadFile(name) }

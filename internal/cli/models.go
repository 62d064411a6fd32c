package cli

import "context"

// ModelDeps manages the whisper.cpp speech models.
type ModelDeps interface {
	Doctor(ctx context.Context, g Global) []Fact
	List(ctx context.Context, g Global) ([]ModelStatus, error)
	// Download fetches a catalogue model (resuming an interrupted one),
	// verifies it and installs it. Only called after the user agreed.
	Download(ctx context.Context, g Global, name string, progress func(done, total int64)) (ModelStatus, error)
	// Import copies a ggml model file in after checking it; name "" takes
	// the name from the file.
	Import(ctx context.Context, g Global, path, name string) (ModelStatus, error)
	Remove(ctx context.Context, g Global, name string) error
	Use(ctx context.Context, g Global, name string) error
}

// ModelStatus is one catalogue or installed model.
type ModelStatus struct {
	Name       string `json:"name"`
	Installed  bool   `json:"installed"`
	Active     bool   `json:"active"`
	Size       int64  `json:"size"`
	Checksum   string `json:"checksum"`    // how the file is verified
	ChecksumOK bool   `json:"checksum_ok"` // installed and verified
	Source     string `json:"source"`      // download URL, or where it was imported from
	Partial    int64  `json:"partial,omitempty"`
	InCatalog  bool   `json:"in_catalogue"`
	English    bool   `json:"english"`
	Path       string `json:"path,omitempty"`
}

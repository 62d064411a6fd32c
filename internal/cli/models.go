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
	// Recommend runs the speed self-test and returns the largest English
	// model that streams in real time here; progress is told each model
	// before it is measured. Without whisper.cpp compiled in the error
	// wraps rehearse.ErrNoTranscriber.
	Recommend(ctx context.Context, g Global, progress func(model string)) (ModelAdvice, error)
}

// ModelAdvice is what the self-test recommends, and why.
type ModelAdvice struct {
	Name      string       `json:"name"`
	Size      int64        `json:"size"` // download size, the same on disk
	Source    string       `json:"source"`
	Checksum  string       `json:"checksum"`
	Accuracy  string       `json:"accuracy"` // in words
	Installed bool         `json:"installed"`
	Streams   bool         `json:"streams"` // false: even the smallest is too slow to stream
	RTF       float64      `json:"rtf"`     // of the recommended model
	Limit     float64      `json:"limit"`   // the largest real-time factor offered for streaming
	Audio     float64      `json:"audio_seconds"`
	Threads   int          `json:"threads"`
	Engine    string       `json:"engine"` // whisper.cpp version
	Measured  []ModelSpeed `json:"measured"`
}

// ModelSpeed is one model shape's self-test figure.
type ModelSpeed struct {
	Name    string  `json:"name"`
	RTF     float64 `json:"rtf"`
	Streams bool    `json:"streams"`
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

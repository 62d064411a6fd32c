package rehearse

import (
	"context"
	"time"
)

// SessionSummary is one row of the history list.
type SessionSummary struct {
	Session
	Attempts  int     `json:"attempts"`
	Questions int     `json:"questions"` // distinct questions answered
	SpokenS   float64 `json:"spoken_s"`  // total answer time
}

// SessionFilter narrows ListSessions. Zero values mean "no filter".
type SessionFilter struct {
	Since  time.Time
	Until  time.Time
	Text   string // full-text search over transcripts, titles and questions
	Limit  int
	Offset int
}

// SearchHit is one attempt matched by a full-text search.
type SearchHit struct {
	SessionID    int64     `json:"session_id"`
	AttemptID    int64     `json:"attempt_id"`
	SessionTitle string    `json:"session_title"`
	QuestionText string    `json:"question_text"`
	Snippet      string    `json:"snippet"`
	CreatedAt    time.Time `json:"created_at"`
}

// StoreStats describes what the practice store holds, for the privacy center
// and `rehearse doctor`.
type StoreStats struct {
	Sessions       int       `json:"sessions"`
	Attempts       int       `json:"attempts"`
	Recordings     int       `json:"recordings"`
	RecordingBytes int64     `json:"recording_bytes"`
	CustomQuestion int       `json:"custom_questions"`
	Oldest         time.Time `json:"oldest,omitempty"`
	Newest         time.Time `json:"newest,omitempty"`
	FileBytes      int64     `json:"file_bytes"` // database + WAL on disk
	CipherVersion  string    `json:"cipher_version"`
	CipherProvider string    `json:"cipher_provider"`
	SchemaVersion  int       `json:"schema_version"`
}

// Store keeps sessions, answers and settings. Every method that returns
// without error has committed its change durably.
type Store interface {
	CreateSession(ctx context.Context, s *Session) error // sets ID, CreatedAt, UpdatedAt
	UpdateSession(ctx context.Context, s *Session) error // title, job description, settings (an interview adds its follow-ups), finish time
	FinishSession(ctx context.Context, id int64, at time.Time) error
	Session(ctx context.Context, id int64) (*Session, error) // ErrNotFound
	ListSessions(ctx context.Context, f SessionFilter) ([]SessionSummary, error)
	DeleteSession(ctx context.Context, id int64) error

	// AddAttempt stores a finished answer (and its audio when audio is not
	// nil) in one transaction; it sets ID and Number.
	AddAttempt(ctx context.Context, a *Attempt, audio *Audio) error
	// UpdateAttempt rewrites transcript, correction, analysis and status.
	UpdateAttempt(ctx context.Context, a *Attempt) error
	Attempt(ctx context.Context, id int64) (*Attempt, error)
	Attempts(ctx context.Context, sessionID int64) ([]Attempt, error)
	// PendingAttempts lists answers recorded but not yet transcribed.
	PendingAttempts(ctx context.Context) ([]Attempt, error)
	AllAttempts(ctx context.Context, since time.Time) ([]Attempt, error)
	AttemptAudio(ctx context.Context, attemptID int64) (*Audio, error) // ErrNotFound when none kept
	DeleteAttemptAudio(ctx context.Context, attemptID int64) error
	Search(ctx context.Context, text string, limit int) ([]SearchHit, error)
	// ImportSessions adds the records (with new IDs) in one transaction:
	// all of them or none.
	ImportSessions(ctx context.Context, recs []SessionRecord) error

	CustomQuestions(ctx context.Context) ([]Question, error)
	SaveQuestion(ctx context.Context, q *Question) error // insert or update; sets ID if empty
	DeleteQuestion(ctx context.Context, id string) error

	// Setting and SetSetting keep small named values (JSON text), e.g. the
	// rulebook overrides, the chosen microphone, the expiry in days.
	Setting(ctx context.Context, name string) (string, bool, error)
	SetSetting(ctx context.Context, name, value string) error

	// Expire deletes answers (and then empty sessions) created before the
	// cut-off and reclaims the space; it returns how many answers went.
	Expire(ctx context.Context, before time.Time) (int, error)
	Stats(ctx context.Context) (StoreStats, error)
	Close() error
}

// TranscribeOptions tunes one transcription.
type TranscribeOptions struct {
	Language      string // "en" by default
	InitialPrompt string // a short prompt with fillers in it, so that fewer are dropped
	Threads       int
	MaxTokens     int // per segment; 0 = model default
}

// TranscribeProgress is sent while a long recording is transcribed.
type TranscribeProgress struct {
	Done, Total time.Duration
}

// Transcriber turns 16 kHz mono audio into timed words. Implementations honour
// ctx cancellation promptly, also while the recogniser is running.
type Transcriber interface {
	Transcribe(ctx context.Context, audio Audio, opt TranscribeOptions, progress func(TranscribeProgress)) (Transcript, error)
	// ModelName names the loaded model, for Transcript.Source.
	ModelName() string
	Close() error
}

package ui

import (
	"context"
	"strings"
	"time"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Deps is everything the window needs. cmd/rehearse fills it with the real
// core; the package tests fill it with an in-memory stand-in.
type Deps struct {
	Practice Practice
	Data     Data
	Models   Models
	Mic      Mic
	// Pending transcribes waiting answers in the background; nil hides
	// the count and progress on Home and History.
	Pending Pending

	// FirstRun shows the welcome screen (what Rehearse does and does not
	// do, microphone and model set-up) before Home.
	FirstRun bool
	// FirstRunDone, when set, is called (off the UI goroutine) once the
	// user leaves the welcome screen, to remember that it was shown.
	FirstRunDone func(ctx context.Context) error
	// OpenErr is why the practice store could not be opened, or nil.
	// ErrPassphraseNeeded, ErrNoKeyring and ErrCannotUnlock show the
	// unlock screen (Unlock must then be set); ErrCorruptStore shows the
	// recovery screen (StartFresh must then be set).
	OpenErr error
	// Unlock tries a passphrase; it returns nil once the store is open and
	// Practice/Data work, or an error wrapping ErrCannotUnlock.
	Unlock UnlockFunc
	// NewStore says that no practice store exists yet: a passphrase asked
	// for now is a new one, chosen on the create screen (Create must then
	// be set), not one to unlock with.
	NewStore bool
	// Create makes the new store, its key wrapped under passphrase and,
	// when recovery is not empty, also under the recovery passphrase. It
	// returns nil once the store is open and Practice/Data work.
	Create func(ctx context.Context, passphrase, recovery string) error
	// State reports whether the store is open now, and if not, why; the
	// window asks after a wipe, which may leave no store when there is no
	// keyring to keep a new key. Nil: the store is taken to be open.
	State func(ctx context.Context) StoreState
	// StartFresh moves a damaged store aside (it is kept, never deleted)
	// and creates an empty one. It returns where the damaged file now is.
	StartFresh func(ctx context.Context) (keptAt string, err error)
	// Salvage writes what can still be read of a damaged store to a JSON
	// export at path, without changing the store. Nil hides the option.
	Salvage func(ctx context.Context, path string) (Salvaged, error)
}

// StoreState is whether the practice store is open and, if not, why.
type StoreState struct {
	// Err is why the store is not open (nil: open), as Deps.OpenErr.
	Err error
	// New is true when no store exists yet (as Deps.NewStore).
	New bool
}

// Salvaged is what Salvage saved, and what it could not read.
type Salvaged struct {
	Sessions, Answers int
	Lost              []string // one line for each session or recording left behind
}

// UnlockFunc is one attempt to open the practice store with a passphrase.
type UnlockFunc func(ctx context.Context, passphrase string) error

// Practice is the practice service: questions, sessions, answers and their
// feedback, history, progress, the rulebook and settings.
type Practice interface {
	// Questions returns the built-in bank followed by the user's own.
	Questions(ctx context.Context) ([]rehearse.Question, error)
	// SaveQuestion adds (empty ID) or edits a custom question.
	SaveQuestion(ctx context.Context, q rehearse.Question) (rehearse.Question, error)
	DeleteQuestion(ctx context.Context, id string) error
	// Roles lists the role tags of the bank ("software", "healthcare", ...).
	Roles(ctx context.Context) ([]string, error)
	// PickQuestions chooses questions for a session from the bank and the
	// user's own questions, each with why it was chosen; questions answered
	// recently come last.
	PickQuestions(ctx context.Context, s questions.Selection) ([]questions.Picked, error)

	StartSession(ctx context.Context, plan Plan) (rehearse.Session, error)
	// Resume returns an unfinished session with its questions and answers.
	Resume(ctx context.Context, sessionID int64) (Resumed, error)
	// SubmitTyped stores a typed answer and analyses it. A second answer
	// to the same question is a retake (Attempt.Number grows).
	SubmitTyped(ctx context.Context, sessionID int64, q rehearse.Question, text string, duration time.Duration) (Result, error)
	// Record starts a spoken answer on the chosen microphone.
	Record(ctx context.Context, sessionID int64, q rehearse.Question) (Take, error)
	// Reanalyze stores a corrected transcript for an attempt and analyses it again.
	Reanalyze(ctx context.Context, attemptID int64, text string) (Result, error)
	FinishSession(ctx context.Context, sessionID int64) error
	// Summary is a session's results: per question, job-term coverage and
	// changes against earlier attempts. It also serves the history detail.
	Summary(ctx context.Context, sessionID int64) (Summary, error)
	// Sessions lists sessions, newest first; f.Text is a full-text search
	// over transcripts, titles and questions.
	Sessions(ctx context.Context, f rehearse.SessionFilter) ([]rehearse.SessionSummary, error)
	DeleteSession(ctx context.Context, sessionID int64) error
	// Progress returns one point per analysed session, oldest first.
	Progress(ctx context.Context) ([]ProgressPoint, error)

	// Rules lists the rulebook's rules with the user's overrides applied.
	Rules(ctx context.Context) ([]feedback.RuleInfo, error)
	// RuleList returns the current words of one list of a rule.
	RuleList(ctx context.Context, ruleID, list string) ([]string, error)
	Overrides(ctx context.Context) (feedback.Overrides, error)
	// SetOverrides stores the user's rulebook edits; empty Overrides
	// resets the rulebook to its defaults.
	SetOverrides(ctx context.Context, o feedback.Overrides) error
	// Rescore analyses every stored answer again with the current rules,
	// calling progress after each one; it stops early when ctx ends.
	Rescore(ctx context.Context, progress func(done, total int)) error

	Settings(ctx context.Context) (Settings, error)
	SaveSettings(ctx context.Context, s Settings) error
	// Play plays an attempt's kept recording from a time (seconds); it
	// returns when playback ends or ctx is cancelled.
	Play(ctx context.Context, attemptID int64, from float64) error
}

// Plan is a session about to start.
type Plan struct {
	Title          string
	JobDescription string
	Questions      []rehearse.Question
	Settings       rehearse.SessionSettings
}

// Resumed is an unfinished session, ready to continue.
type Resumed struct {
	Session   rehearse.Session
	Questions []rehearse.Question
	Results   []Result // answers given so far, oldest first
}

// Take is a spoken answer being recorded.
type Take interface {
	// Levels delivers meter readings; it is closed when the recording ends,
	// also when the microphone goes away mid-answer.
	Levels() <-chan rehearse.Level
	// Partial delivers the live transcript so far (whole text each time);
	// closed when the recording ends. Never sends when no model is loaded.
	Partial() <-chan string
	// Stop ends the recording, saves it and analyses it. When it cannot be
	// transcribed now (no model, transcription failed) the answer is still
	// saved: Result.Pending is true. When the microphone was lost, Stop
	// returns what was recorded together with an error wrapping
	// ErrDeviceLost.
	Stop(ctx context.Context) (Result, error)
	// Cancel discards the recording.
	Cancel()
}

// Result is one stored answer and its feedback.
type Result struct {
	Attempt  rehearse.Attempt
	Feedback *feedback.Result // nil when Pending
	// Pending means the answer is saved and will be transcribed later.
	Pending bool
	Note    string // shown with the answer, e.g. why it is pending
}

// Summary is a finished (or paused) session.
type Summary struct {
	Session      rehearse.Session
	Items        []SummaryItem
	JobTerms     []TermUse
	Improvements []string // plain sentences, e.g. "Fillers per 100 words: 6.1 → 3.2"
}

// SummaryItem is one question and every attempt at it, oldest first.
type SummaryItem struct {
	Question rehearse.Question
	Results  []Result
}

// TermUse says whether a term from the job description came up in the answers.
type TermUse struct {
	Term string
	Used bool
}

// ProgressPoint is one session on the progress charts. NaN means unknown.
type ProgressPoint struct {
	At         time.Time
	SessionID  int64
	FillerRate float64 // per 100 words
	HedgeRate  float64 // per 100 words
	PaceWPM    float64
	STARShare  float64 // 0..1, share of STAR components in behavioural answers
	LengthPct  float64 // answer length as % of the target band's middle
}

// Settings are the user's preferences.
type Settings struct {
	FluencyMetrics bool // fillers, pauses and pace feedback
	ExpiryDays     int  // 0 = keep until deleted
	Theme          string
	PrepSeconds    int
	AnswerSeconds  int
	KeepRecordings bool
	Microphone     string // device name, "" = system default
	// LastSetup is what the setup screen was last started with.
	LastSetup SetupMemory
}

// SetupMemory is what the setup screen remembers between sessions (kept in
// the encrypted store like everything else).
type SetupMemory struct {
	Role           string   `json:"role,omitempty"`
	Field          string   `json:"field,omitempty"` // chosen under Field; "" = from the role
	JobDescription string   `json:"job_description,omitempty"`
	Types          []string `json:"types,omitempty"`
	Count          int      `json:"count,omitempty"`
}

// Theme names for Settings.Theme.
const (
	ThemeLight  = "light"
	ThemeDark   = "dark"
	ThemeSystem = "system"
)

// Data is the privacy center's view of what Rehearse keeps.
type Data interface {
	Stats(ctx context.Context) (DataStats, error)
	// Export writes every session to path as "json" or "markdown"; the
	// kept recordings go into a JSON export only when recordings is true.
	Export(ctx context.Context, path, format string, recordings bool) error
	// WipeAll destroys the store and its key (and downloaded models when
	// models is true). Afterwards the window starts afresh.
	WipeAll(ctx context.Context, models bool) error
	// Network lists every transfer Rehearse made (model downloads only).
	Network(ctx context.Context) ([]NetworkUse, error)
}

// DataStats is what is stored and where.
type DataStats struct {
	Store       rehearse.StoreStats
	Paths       []NamedPath // database, recordings, models, settings
	KeyLocation string      // e.g. "OS keyring (Secret Service)" or "passphrase (not stored)"
	ModelBytes  int64
	ExpiryDays  int
}

// NamedPath is a labelled location on disk.
type NamedPath struct {
	Label string
	Path  string
}

// NetworkUse is bytes received/sent for one purpose.
type NetworkUse struct {
	What  string // e.g. "model download: base.en"
	Bytes int64
	At    time.Time
}

// Models manages the speech models used for transcription.
type Models interface {
	// Available reports whether transcription is compiled into this copy.
	Available() bool
	// List returns the catalogue and every installed model.
	List(ctx context.Context) ([]ModelInfo, error)
	// Download fetches a model from its Source after the user chose it,
	// reporting progress; cancelling ctx keeps the partial file so the next
	// download (also in a later run) resumes where it stopped. An error
	// wrapping models.ErrOffline means the server could not be reached.
	Download(ctx context.Context, name string, progress func(done, total int64)) error
	Import(ctx context.Context, path string) (ModelInfo, error)
	Remove(ctx context.Context, name string) error
	Use(ctx context.Context, name string) error
	Threads() int
	SetThreads(n int) error
	// Recommend runs the speed self-test (a few seconds of real
	// transcription with synthetic models of each size) and returns the
	// largest English model that keeps up with speech on this computer.
	// progress, when not nil, is told each model before it is measured.
	Recommend(ctx context.Context, progress func(model string)) (ModelAdvice, error)
}

// ModelInfo describes one catalogue or installed model, in words first;
// the technical details (file name, checksum) come with the download.
type ModelInfo struct {
	Name      string // file-level name, e.g. "base.en-q5_1"
	Title     string // in words, e.g. "Base, English, compressed further"
	Accuracy  string // what to expect, in a sentence
	SizeBytes int64
	Source    string // download URL; "" for a model only on this computer
	// Published is true when a checksum is published for the catalogue
	// file, so that a download is verified against it.
	Published bool
	// Trust is how far the installed file was checked: "verified" (it
	// matched a published checksum), "checked" (a whole, readable model,
	// but no published checksum to compare) or "unchecked"; "" when not
	// installed.
	Trust     string
	Installed bool
	Active    bool
	Partial   int64 // bytes of an interrupted download kept to resume it
}

// ModelAdvice is the self-test's choice for this computer.
type ModelAdvice struct {
	Model ModelInfo // the recommended model
	// Streams is false when even the smallest model is slower than speech
	// here: it is still the one offered, and answers are transcribed after
	// they end.
	Streams  bool
	RTF      float64      // the recommended model's transcription time ÷ audio time
	Measured []ModelSpeed // every model measured, smallest first
	Threads  int
	// Free is the disk space free where models are kept; 0 when unknown.
	Free int64
}

// ModelSpeed is one measured model: its transcription time ÷ audio time.
type ModelSpeed struct {
	Name    string
	RTF     float64
	Streams bool
}

// Mic lists microphones and tests one.
type Mic interface {
	Devices(ctx context.Context) ([]rehearse.InputDevice, error)
	// Test records from device for d, calling level for each meter
	// reading; it returns the loudest peak heard.
	Test(ctx context.Context, device string, d time.Duration, level func(rehearse.Level)) (peak float32, err error)
}

// starCount is how many of the four STAR components an answer has.
func starCount(s feedback.Star) int {
	n := 0
	for _, b := range []bool{s.Situation, s.Task, s.Action, s.Result} {
		if b {
			n++
		}
	}
	return n
}

// evidenceKind is the highlight class of evidence: "filler", "hedge",
// "pause" or "" (shown only when selected).
func evidenceKind(e feedback.Evidence) string {
	switch {
	case strings.HasPrefix(e.Metric, "fillers."):
		return "filler"
	case strings.HasPrefix(e.Metric, "hedges."):
		return "hedge"
	case strings.HasPrefix(e.Metric, "pauses."):
		return "pause"
	}
	return ""
}

package ui

import (
	"context"
	"strings"
	"time"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Deps is everything the window needs. internal/local fills it from the practice
// core; the package tests fill it with an in-memory stand-in.
type Deps struct {
	// The practice core, one small interface for each part of the window
	// (practice.App provides them all).
	Practice    Practice
	Planner     Planner
	Questions   Questions
	History     History
	Rulebook    Rulebook
	Preferences Preferences

	Data   Data
	Models Models
	Mic    Mic
	// Exports lists the files Rehearse exported, which Delete everything
	// offers to delete too; nil offers none.
	Exports Exports
	// RememberOutside records what the window created outside Rehearse's
	// folders, for a wipe to delete; CreatedSince lists what appeared in
	// the user's shared folders since the window started. Nil: nothing
	// is recorded.
	RememberOutside func(ctx context.Context, o OutsideFiles) error
	CreatedSince    func() []string
	// Keys changes where the store's key is kept (Settings › Security);
	// nil shows where it is kept without the controls to change it.
	Keys KeyCustody
	// Pending transcribes waiting answers in the background; nil hides
	// the count and progress on Home and History.
	Pending Pending
	// Interviews runs interview mode; nil offers practice only.
	Interviews Interviews
	// Voice asks interview questions aloud; nil when the computer has none
	// (questions are then shown as text).
	Voice Voice

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
	// the practice core and Data work, or an error wrapping ErrCannotUnlock.
	Unlock UnlockFunc
	// NewStore says that no practice store exists yet: a passphrase asked
	// for now is a new one, chosen on the create screen (Create must then
	// be set), not one to unlock with.
	NewStore bool
	// Create makes the new store, its key wrapped under passphrase and,
	// when recovery is not empty, also under the recovery passphrase. It
	// returns nil once the store is open and the practice core and Data work.
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

// StoreState is whether the practice store is open and, if not, why (as
// Deps.OpenErr and Deps.NewStore).
type StoreState = practice.StoreState

// Salvaged is what Salvage saved, and what it could not read.
type Salvaged = practice.Salvaged

// UnlockFunc is one attempt to open the practice store with a passphrase.
type UnlockFunc func(ctx context.Context, passphrase string) error

// Practice is what the practice screen does with an answer: take it typed
// or spoken, correct its transcript, play it back, end the session.
type Practice interface {
	// SubmitTyped stores a typed answer and analyses it. A second answer
	// to the same question is a retake (Attempt.Number grows).
	SubmitTyped(ctx context.Context, sessionID int64, q rehearse.Question, text string, duration time.Duration) (Result, error)
	// Record starts a spoken answer on the chosen microphone.
	Record(ctx context.Context, sessionID int64, q rehearse.Question) (Take, error)
	// Reanalyze stores a corrected transcript for an attempt and analyses it again.
	Reanalyze(ctx context.Context, attemptID int64, text string) (Result, error)
	FinishSession(ctx context.Context, sessionID int64) error
	// Play plays an attempt's kept recording from a time (seconds); it
	// returns when playback ends or ctx is cancelled.
	Play(ctx context.Context, attemptID int64, from float64) error
}

// Planner starts sessions: the setup screen and resuming from Home.
type Planner interface {
	// Roles lists the role tags of the bank ("software", "healthcare", ...).
	Roles(ctx context.Context) ([]string, error)
	// PickQuestions chooses questions for a session from the bank and the
	// user's own questions, each with why it was chosen; questions answered
	// recently come last.
	PickQuestions(ctx context.Context, s questions.Selection) ([]questions.Picked, error)
	StartSession(ctx context.Context, plan Plan) (rehearse.Session, error)
	// Resume returns an unfinished session with its questions and answers.
	Resume(ctx context.Context, sessionID int64) (Resumed, error)
}

// Questions is the question bank with the user's own questions.
type Questions interface {
	// Questions returns the built-in bank followed by the user's own.
	Questions(ctx context.Context) ([]rehearse.Question, error)
	// SaveQuestion adds (empty ID) or edits a custom question.
	SaveQuestion(ctx context.Context, q rehearse.Question) (rehearse.Question, error)
	DeleteQuestion(ctx context.Context, id string) error
}

// History is the sessions kept: the list, one session's review, the
// progress charts.
type History interface {
	// Sessions lists sessions, newest first; f.Text is a full-text search
	// over transcripts, titles and questions.
	Sessions(ctx context.Context, f rehearse.SessionFilter) ([]rehearse.SessionSummary, error)
	// Summary is a session's results: per question, job-term coverage and
	// changes against earlier attempts. It also serves the history detail.
	Summary(ctx context.Context, sessionID int64) (Summary, error)
	DeleteSession(ctx context.Context, sessionID int64) error
	// Progress returns one point per analysed session, oldest first.
	Progress(ctx context.Context) ([]ProgressPoint, error)
}

// Rulebook is the feedback rules and the user's changes to them.
type Rulebook interface {
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
}

// Preferences are the user's settings.
type Preferences interface {
	Settings(ctx context.Context) (Settings, error)
	SaveSettings(ctx context.Context, s Settings) error
}

// The values the practice screens show are the practice core's own.
type (
	Plan          = practice.Plan
	Resumed       = practice.Resumed
	Take          = practice.SpokenAnswer
	Result        = practice.Result
	Summary       = practice.Review
	SummaryItem   = practice.ReviewItem
	TermUse       = practice.TermUse
	ProgressPoint = practice.SessionPoint
	Settings      = practice.Settings
	SetupMemory   = practice.SetupMemory
)

// Theme names for Settings.Theme.
const (
	ThemeLight  = practice.ThemeLight
	ThemeDark   = practice.ThemeDark
	ThemeSystem = practice.ThemeSystem
)

// Exports are the files Rehearse's exports wrote, each with its State now
// (practice.ExportUnchanged, ExportChanged or ExportGone).
type Exports interface {
	Exports(ctx context.Context) ([]ExportedFile, error)
}

// ExportedFile is one file an export wrote.
type ExportedFile = practice.ExportedFile

// The states of an exported file.
const (
	ExportUnchanged = practice.ExportUnchanged
	ExportChanged   = practice.ExportChanged
)

// DeleteExports deletes those files still exactly as Rehearse wrote them.
var DeleteExports = practice.DeleteExports

// KeyCustody changes where the key of the practice store is kept: a
// passphrase, the OS keyring, a recovery passphrase. current is the
// passphrase the user typed to prove they may ("" when the keyring holds
// the key). A change that fails leaves the key working where it was.
type KeyCustody interface {
	KeyCustody(ctx context.Context) (practice.KeyCustody, error)
	SetPassphrase(ctx context.Context, current, pass string) error
	SetRecovery(ctx context.Context, current, recovery string) error
	UseKeyring(ctx context.Context, current string) error
}

// Data is the privacy center's view of what Rehearse keeps.
type Data interface {
	Stats(ctx context.Context) (DataStats, error)
	// Export writes every session to path as "json" or "markdown".
	Export(ctx context.Context, path, format string) error
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
	List(ctx context.Context) ([]ModelInfo, error)
	// Download fetches a model from its Source after the user consented,
	// reporting progress; cancelling ctx keeps the partial file so the next download resumes where it stopped.
	Download(ctx context.Context, name string, progress func(done, total int64)) error
	Import(ctx context.Context, path string) (ModelInfo, error)
	Remove(ctx context.Context, name string) error
	Use(ctx context.Context, name string) error
	Threads() int
	SetThreads(n int) error
}

// ModelInfo describes one catalogue or installed model.
type ModelInfo struct {
	Name      string
	SizeBytes int64
	Source    string // download URL
	SHA1      string // pinned checksum; "" when none is published
	Checksum  string // "verified", "not pinned", "mismatch" or "" (not installed)
	Installed bool
	Active    bool
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

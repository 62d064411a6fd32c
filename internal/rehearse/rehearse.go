// Package rehearse holds Rehearse's domain: the values that describe a practice
// session (questions, answers, transcripts, words with timings) and the errors
// every part of the program shares. It has no dependencies beyond the standard
// library; adapters (SQLCipher, PortAudio, whisper.cpp, Fyne) depend on it,
// never the other way round.
package rehearse

import "time"

// QuestionType is the kind of interview question; it selects the length band
// and whether feedback looks for the STAR structure.
type QuestionType string

// The question types.
const (
	Behavioral  QuestionType = "behavioral"
	Intro       QuestionType = "intro"
	Technical   QuestionType = "technical"
	Situational QuestionType = "situational"
	Motivation  QuestionType = "motivation"
)

// QuestionTypes lists every valid question type in display order.
var QuestionTypes = []QuestionType{Behavioral, Situational, Intro, Motivation, Technical}

// Valid reports whether t is one of the known question types.
func (t QuestionType) Valid() bool {
	for _, q := range QuestionTypes {
		if q == t {
			return true
		}
	}
	return false
}

// ParseQuestionType turns user input ("behavioural", "Intro") into a type.
func ParseQuestionType(s string) (QuestionType, error) {
	switch s {
	case "behavioural", "Behavioural", "Behavioral", "BEHAVIORAL":
		return Behavioral, nil
	}
	t := QuestionType(lower(s))
	if !t.Valid() {
		return "", &InputError{Field: "type", Value: s, Reason: "want one of behavioral, situational, intro, motivation, technical"}
	}
	return t, nil
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Question is one interview question from the built-in bank or written by the user.
type Question struct {
	ID     string       `json:"id"`
	Text   string       `json:"text"`
	Type   QuestionType `json:"type"`
	Tags   []string     `json:"tags,omitempty"`
	Tip    string       `json:"tip,omitempty"`
	Custom bool         `json:"custom,omitempty"`
}

// Word is one transcribed word. Start and End are seconds on the recording's
// clock; P is the recogniser's probability in [0,1].
type Word struct {
	Text  string  `json:"text"`
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	P     float64 `json:"p"`
}

// Transcript is what was said in one answer. Timed is true when Words carry
// real timings and probabilities (a spoken answer); a typed answer has only
// Text and, optionally, DurationS.
type Transcript struct {
	Text      string  `json:"text"`
	Words     []Word  `json:"words,omitempty"`
	Timed     bool    `json:"timed"`
	DurationS float64 `json:"duration_s,omitempty"`
	// Source says where the words came from: "typed", "edited" or
	// "whisper:<model name>".
	Source string `json:"source,omitempty"`
}

// SessionSettings is the snapshot of choices a session was run with.
type SessionSettings struct {
	QuestionIDs    []string `json:"question_ids,omitempty"`
	PrepSeconds    int      `json:"prep_seconds"`
	AnswerSeconds  int      `json:"answer_seconds"`
	KeepRecordings bool     `json:"keep_recordings"`
	FluencyMetrics bool     `json:"fluency_metrics"`
	// Mode is practice (empty) or interview; FollowUps are the follow-up
	// questions an interview put, in order.
	Mode      SessionMode     `json:"mode,omitempty"`
	FollowUps []FollowUpAsked `json:"follow_ups,omitempty"`
}

// Session is one mock interview: a role, optionally a job description, and
// the answers given.
type Session struct {
	ID             int64           `json:"id"`
	Title          string          `json:"title"`
	JobDescription string          `json:"job_description,omitempty"`
	Settings       SessionSettings `json:"settings"`
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
	FinishedAt     *time.Time      `json:"finished_at,omitempty"`
}

// AttemptStatus says whether an answer has been analysed or waits for
// transcription.
type AttemptStatus string

// Attempt states.
const (
	StatusAnalyzed             AttemptStatus = "analyzed"
	StatusPendingTranscription AttemptStatus = "pending_transcription"
)

// Attempt is one answer to one question. Retakes of the same question in a
// session have increasing Numbers.
type Attempt struct {
	ID           int64         `json:"id"`
	SessionID    int64         `json:"session_id"`
	QuestionID   string        `json:"question_id,omitempty"`
	QuestionText string        `json:"question_text"`
	QuestionType QuestionType  `json:"question_type"`
	Number       int           `json:"number"`
	Status       AttemptStatus `json:"status"`
	StartedAt    time.Time     `json:"started_at"`
	DurationS    float64       `json:"duration_s"`
	// LatencyKnown is true when the recording started at the end of the
	// question prompt, so the first word's start is the response latency.
	LatencyKnown bool        `json:"latency_known,omitempty"`
	Transcript   Transcript  `json:"transcript"`
	Corrected    *Transcript `json:"corrected,omitempty"`
	// Analysis is the feedback result (feedback.Result) as JSON, produced
	// by RulebookVersion.
	Analysis        []byte    `json:"analysis,omitempty"`
	RulebookVersion string    `json:"rulebook_version,omitempty"`
	HasAudio        bool      `json:"has_audio,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
}

// Effective returns the transcript feedback should use: the user's correction
// when there is one.
func (a *Attempt) Effective() Transcript {
	if a.Corrected != nil {
		return *a.Corrected
	}
	return a.Transcript
}

// SampleRate is the rate of every Audio value inside Rehearse (whisper.cpp's).
const SampleRate = 16000

// Audio is mono float32 PCM at SampleRate.
type Audio struct {
	Samples []float32
}

// Duration is the length of the audio in seconds.
func (a Audio) Duration() float64 { return float64(len(a.Samples)) / SampleRate }

// Segment is a span of speech found by voice-activity detection, in seconds
// on the recording's clock.
type Segment struct {
	Start float64 `json:"start"`
	End   float64 `json:"end"`
}

// Level is one reading of the input level meter.
type Level struct {
	RMS     float32       // root mean square of the last block, 0..1
	Peak    float32       // absolute peak of the last block, 0..1
	Elapsed time.Duration // time recorded so far
	Overrun int           // blocks dropped because the consumer fell behind
}

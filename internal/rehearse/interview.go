package rehearse

// SessionMode is how a session was run.
type SessionMode string

// Session modes. A session saved before modes existed has no mode and is a
// practice session.
const (
	// ModePractice gives feedback after every answer.
	ModePractice SessionMode = ""
	// ModeInterview runs a mock interview: no feedback between questions,
	// at most one follow-up question per question, and a report at the end.
	ModeInterview SessionMode = "interview"
)

// FollowUpAsked records a follow-up question put in an interview: which
// main question it followed, the follow-up rule that chose it and the words
// asked. Its answer, when given, is an attempt whose QuestionID is
// FollowUpQuestionID(QuestionID).
type FollowUpAsked struct {
	// QuestionID is the id of the main question the follow-up belongs to.
	QuestionID string `json:"question_id"`
	// Rule is the id of the follow-up rule that fired.
	Rule string `json:"rule"`
	// Text is the follow-up question as asked.
	Text string `json:"text"`
}

// followUpSuffix marks the question id of a follow-up answer.
const followUpSuffix = "#follow-up"

// FollowUpQuestionID is the question id under which the answer to the
// follow-up of main question id is saved, so that it is never counted as a
// retake of the main question.
func FollowUpQuestionID(id string) string { return id + followUpSuffix }

// IsFollowUpQuestionID reports whether id names a follow-up answer and, if
// so, returns the main question's id.
func IsFollowUpQuestionID(id string) (string, bool) {
	if len(id) > len(followUpSuffix) && id[len(id)-len(followUpSuffix):] == followUpSuffix {
		return id[:len(id)-len(followUpSuffix)], true
	}
	return "", false
}

// Package interview runs a mock interview: the second mode beside practice.
// A practice session gives feedback after every answer; an interview gives
// none between questions, asks at most one follow-up question per question
// when the answer leaves something out, as a good interviewer would, and
// reports at the end.
//
// # Exchanges
//
// An interview is N main questions. Each becomes an exchange: the main
// answer, at most one follow-up question and the answer to it. After the
// main answer is analysed, the follow-up is chosen by the rulebook's
// follow-up rules (feedback.Rulebook.ChooseFollowUp) from what the analysis
// found missing, in the rulebook's order; by default: no specific example →
// "Can you tell me about a specific time?", no Result → "What was the
// outcome?", a Result without a number → "How did you know it worked — can
// you put a number on it?", actions told only with "we" → "What was your own
// part in that?", far too short → "Could you say more about <the answer's
// key term>?". The follow-up answer is analysed together with the main
// answer (so it can complete the STAR story) and the exchange is reported as
// one answer.
//
// # Running an interview
//
// Start picks the questions (by role, job description and seed, like
// 'rehearse questions pick') and creates a session whose settings mark it
// as an interview (rehearse.ModeInterview). For each question i (0-based):
//
//	q := iv.Question(i)
//	step, err := iv.SubmitMainText(ctx, i, text, 0)   // or SubmitMainAudio, or
//	// take := svc.Record(ctx, iv.SessionID(), q, device, true); ans, err := take.Stop(ctx)
//	// step, err := iv.MainAnswered(ctx, i, ans)
//	if step.FollowUp != nil {
//	    // ask step.FollowUp.Text; record the answer to iv.FollowUpQuestion(i)
//	    _, err = iv.SubmitFollowUpText(ctx, i, text2, 0)  // or SubmitFollowUpAudio / FollowUpAnswered
//	}   // a follow-up left unanswered stays unanswered
//	...
//	report, err := iv.Finish(ctx)
//
// Answers are saved by the practice service as they are given, exactly like
// practice answers (encrypted, transcribed later when no speech model is
// available). The main answer is saved under the question's id; the
// follow-up answer under rehearse.FollowUpQuestionID(id), so it is never a
// retake of the main question. The follow-up questions asked are kept in the
// session's settings (rehearse.SessionSettings.FollowUps), so an interview
// exports, imports and reopens (Open, BuildReport) with nothing else.
//
// An answer that waits for transcription cannot be analysed yet, so it gets
// no follow-up; its exchange is reported as pending.
//
// # The report
//
// BuildReport (and Finish) return the end-of-interview Report: every
// exchange with its transcripts, the flags (suggestions) and checklist of
// the combined analysis, the time used against the question type's target,
// what changed since the previous interview, and the one or two changes
// with the biggest expected effect, each pointing to the answers and words
// that support it. The report is deterministic for the same stored answers
// and rulebook; WriteText and WriteMarkdown print it, and it marshals to
// JSON as is. The report is built by package report (internal/interview/
// report) from records alone, so that exports, which cannot depend on the
// practice service, include it too; its types are aliased here.
package interview

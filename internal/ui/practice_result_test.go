package ui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// TestFeedbackInWords: the result view says each rule in words; the rule's
// id appears only under "Why?", and "Show evidence" says why the marked
// words are the evidence. A typed answer hears nothing about the
// transcriber.
func TestFeedbackInWords(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, nil)
	startSession(t, h, "Backend engineer", "")
	h.typeAnswer(answerHesitant)
	h.mustShow("Suggestions")
	shown := h.text()
	if m := regexp.MustCompile(`[a-z]+_[a-z_]+|= (true|false)|STAR [a-z]+ =|[a-z]+\.[a-z]+\.[a-z]+`).FindString(shown); m != "" {
		t.Errorf("the feedback shows the internal name %q:\n%s", m, shown)
	}
	if strings.Contains(shown, "transcriber") {
		t.Errorf("a typed answer is told about the transcriber:\n%s", shown)
	}
	h.tap("Why?")
	h.mustShow("Suggested when: no step told with “I” and an action verb was found. Rule “star.action”")
	h.tap("Show evidence")
	h.mustShow("Marked in the transcript: The result you tell: no step of yours, told with “I” and an action verb, leads to it. Decided by: ")
	if h.shows("Suggested when:") {
		t.Error("the note of Why? stays open beside the evidence note")
	}
}

// TestTypedPaceFromSpeakingTime: a typed answer with a speaking time gets a
// pace; without one, pace stays unknown rather than made up.
func TestTypedPaceFromSpeakingTime(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, nil)
	startSession(t, h, "Backend engineer", "")
	h.tap("Type an answer instead")
	h.act(func() {
		h.entry("Type your answer").SetText(answerSTAR)
		h.entry("auto").SetText("40")
	})
	h.tap("Analyse answer")
	words := len(strings.Fields(answerSTAR))
	if !h.shows("pace ") || h.shows("pace —") {
		t.Fatalf("no pace for %d words said in 40 s:\n%s", words, h.text())
	}
	h.shortcut("R")
	h.typeAnswer(answerSTAR)
	h.mustShow("pace —")
}

// TestAnswerLengthAgrees: a spoken answer's length in the history header is
// the length its feedback speaks of, not the recording's.
func TestAnswerLengthAgrees(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, nil)
	startSession(t, h, "Backend engineer", "")
	h.space()
	h.waitFor("recording", func() bool { return h.u.practice.recording })
	h.space()
	h.waitFor("the analysed answer", func() bool { return h.u.practice.shown != nil && !h.u.practice.stopping })
	h.settle()
	h.mu.Lock()
	r := *h.u.practice.shown
	id := r.Attempt.SessionID
	h.mu.Unlock()
	span := *r.Feedback.Metrics.SpeechSpanS
	if r.Attempt.DurationS-span < 1 {
		t.Fatalf("the fake answer's recording (%.1f s) should be longer than its speech (%.1f s)", r.Attempt.DurationS, span)
	}
	h.mustShow("Attempt 1  ·  " + clock(time.Duration(span*float64(time.Second))))
	h.act(func() { h.u.showDetail(id) })
	m := regexp.MustCompile(`Attempt 1  ·  (\d+):(\d\d)`).FindStringSubmatch(h.text())
	if m == nil {
		t.Fatalf("no attempt header:\n%s", h.text())
	}
	if got, want := m[1]+":"+m[2], clock(time.Duration(span*float64(time.Second))); got != want {
		t.Errorf("header says %s, the answer's speech lasted %s (recording %.1f s)", got, want, r.Attempt.DurationS)
	}
	if l := regexp.MustCompile(`lasted (\d+) s`).FindStringSubmatch(h.text()); l != nil && "0:"+pad2(l[1]) != m[1]+":"+m[2] {
		t.Errorf("header %s:%s, suggestion says it lasted %s s", m[1], m[2], l[1])
	}
}

func pad2(s string) string {
	if len(s) < 2 {
		return "0" + s
	}
	return s
}

// TestAnswerCountsAgree: Home and History count a session's answers the
// same way, retakes included, and say how many questions they answer.
func TestAnswerCountsAgree(t *testing.T) {
	f := newFake()
	ctx := context.Background()
	qs := f.bank.Select(selectionFor(5))
	s, err := f.StartSession(ctx, Plan{Title: "Teacher", Questions: qs})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []rehearse.Question{qs[0], qs[0], qs[0], qs[1], qs[1]} {
		if _, err := f.SubmitTyped(ctx, s.ID, q, answerSTAR, 40*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, f, nil)
	h.button("Resume “Teacher” (5 answers to 2 questions so far)")
	h.mustShow("Teacher  ·  5 answers to 2 questions  ·  unfinished")
	h.tap("History")
	h.mustShow("5 answers to 2 questions · unfinished")
}

// TestRuleDescriptionsInWords: How feedback works gives each rule's
// thresholds as numbers in its sentences, not as names like
// pause_as_comma_s.
func TestRuleDescriptionsInWords(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, nil)
	h.tap("How feedback works")
	h.mustShow("a silent gap of at least 0.5 seconds counts as a pause")
	h.mustShow("A suggestion needs at least 4 fillers and a rate of at least 5 per 100 words")
	shown := h.text()
	var names []string
	for _, line := range strings.Split(shown, "\n") {
		if strings.HasPrefix(line, "Thresholds — ") {
			continue // the reference list of the rulebook's settings
		}
		names = append(names, regexp.MustCompile(`\b[a-z]+(_[a-z0-9]+)+\b`).FindAllString(line, -1)...)
	}
	if len(names) > 0 {
		t.Errorf("rule descriptions show internal names %q", names)
	}
}

// TestResumeSessionWithoutQuestionList: a session started on the command
// line has answers but no question list; continuing it in the window goes
// on with the questions it answered instead of failing.
func TestResumeSessionWithoutQuestionList(t *testing.T) {
	f := newFake()
	ctx := context.Background()
	q := f.bank.Select(selectionFor(1))[0]
	s, err := f.StartSession(ctx, Plan{Title: "From the command line"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.SubmitTyped(ctx, s.ID, q, answerSTAR, 40*time.Second); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, f, nil)
	h.tap("Resume “From the command line” (1 answer so far)")
	if got := h.screen(); got != "practice" {
		t.Fatalf("screen = %q, want practice", got)
	}
	h.mustShow("Question 1 of 1")
	h.mustShow(q.Text)
	h.mustShow("Attempt 1")

	empty, err := f.StartSession(ctx, Plan{Title: "Nothing yet"})
	if err != nil {
		t.Fatal(err)
	}
	h.act(func() { h.u.resume(empty.ID) })
	h.mustShow("This session has no questions to continue")
}

// TestEvidenceNoteOfStoredFeedback: feedback stored before suggestions had
// an evidence note still says what each marked item is.
func TestEvidenceNoteOfStoredFeedback(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "stored", "behavioral_text-before-kinds.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fb feedback.Result
	if err := json.Unmarshal(b, &fb); err != nil {
		t.Fatal(err)
	}
	// a suggestion as earlier versions stored it: evidence, no note
	var refs []int
	for i, e := range fb.Evidence {
		if e.Kind == feedback.KindHedge || e.Kind == feedback.KindFiller {
			refs = append(refs, i)
		}
	}
	got := evidenceNote(feedback.Suggestion{ID: "fillers.dense", EvidenceRefs: refs}, fb.Evidence)
	if want := "Marked in the transcript: “So” is counted as a filler here"; !strings.HasPrefix(got, want) {
		t.Errorf("note %q, want it to start %q", got, want)
	}
	if n := strings.Count(got, "counted as a"); n != 3 {
		t.Errorf("note %q explains %d items, want the first 3", got, n)
	}
}

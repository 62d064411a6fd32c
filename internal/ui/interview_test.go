package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/interview"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// fakeVoice records what it was asked to say and when, and can fail.
type fakeVoice struct {
	mu      sync.Mutex
	said    []string
	events  *[]string // shared log of voice and microphone events
	err     error
	options []VoiceOption
	// voice and rate are what Use chose last.
	voice string
	rate  int
}

func (v *fakeVoice) Speak(ctx context.Context, text string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.err != nil {
		return v.err
	}
	v.said = append(v.said, text)
	*v.events = append(*v.events, "spoke: "+text)
	return nil
}
func (v *fakeVoice) Engine() string { return "test voice" }
func (v *fakeVoice) Voices(context.Context) ([]VoiceOption, error) {
	return v.options, nil
}
func (v *fakeVoice) Use(voice string, rate int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.voice, v.rate = voice, rate
}

// fakeInterviews runs interviews on the fake backend with the real
// follow-up rules and the real report.
type fakeInterviews struct {
	f      *fakeBackend
	events *[]string
	mu     *sync.Mutex
	runs   []*fakeRun
}

type fakeRun struct {
	fi        *fakeInterviews
	s         rehearse.Session
	qs        []rehearse.Question
	followUps map[int]rehearse.FollowUpAsked
	attempts  []rehearse.Attempt
}

func (fi *fakeInterviews) StartInterview(ctx context.Context, p Plan) (InterviewRun, error) {
	p.Settings.Mode = rehearse.ModeInterview
	s, err := fi.f.StartSession(ctx, p)
	if err != nil {
		return nil, err
	}
	r := &fakeRun{fi: fi, s: s, qs: p.Questions, followUps: map[int]rehearse.FollowUpAsked{}}
	fi.runs = append(fi.runs, r)
	return r, nil
}

func (fi *fakeInterviews) ResumeInterview(_ context.Context, id int64) (InterviewRun, error) {
	for _, r := range fi.runs {
		if r.s.ID == id {
			return r, nil
		}
	}
	return nil, errors.New("no such interview")
}

func (fi *fakeInterviews) InterviewReport(ctx context.Context, id int64) (*interview.Report, error) {
	for _, r := range fi.runs {
		if r.s.ID == id {
			return r.Finish(ctx)
		}
	}
	return nil, errors.New("no such interview")
}

func (r *fakeRun) Next() int {
	n := 0
	for _, a := range r.attempts {
		if _, fu := rehearse.IsFollowUpQuestionID(a.QuestionID); !fu {
			n++
		}
	}
	return n
}
func (r *fakeRun) Session() rehearse.Session        { return r.s }
func (r *fakeRun) Len() int                         { return len(r.qs) }
func (r *fakeRun) Question(i int) rehearse.Question { return r.qs[i] }
func (r *fakeRun) MainAnswered(_ context.Context, i int, res Result) (string, error) {
	r.fi.mu.Lock()
	*r.fi.events = append(*r.fi.events, fmt.Sprintf("answered %d", i+1))
	r.fi.mu.Unlock()
	r.attempts = append(r.attempts, res.Attempt)
	if res.Feedback == nil {
		return "", nil
	}
	fu, ok := r.fi.f.rulebook().ChooseFollowUp(res.Feedback, res.Attempt.Effective().Text, r.qs[i].Text)
	if !ok {
		return "", nil
	}
	r.followUps[i] = rehearse.FollowUpAsked{QuestionID: r.qs[i].ID, Rule: fu.Rule, Text: fu.Text}
	return fu.Text, nil
}
func (r *fakeRun) FollowUpQuestion(i int) (rehearse.Question, bool) {
	fu, ok := r.followUps[i]
	if !ok {
		return rehearse.Question{}, false
	}
	q := r.qs[i]
	return rehearse.Question{ID: rehearse.FollowUpQuestionID(q.ID), Text: fu.Text, Type: q.Type}, true
}
func (r *fakeRun) FollowUpAnswered(_ context.Context, i int, res Result) error {
	if _, ok := r.followUps[i]; !ok {
		return errors.New("no follow-up was asked")
	}
	r.fi.mu.Lock()
	*r.fi.events = append(*r.fi.events, fmt.Sprintf("answered follow-up %d", i+1))
	r.fi.mu.Unlock()
	r.attempts = append(r.attempts, res.Attempt)
	return nil
}
func (r *fakeRun) Finish(context.Context) (*interview.Report, error) {
	s := r.s
	for i := range r.qs {
		if fu, ok := r.followUps[i]; ok {
			s.Settings.FollowUps = append(s.Settings.FollowUps, fu)
		}
	}
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	s.FinishedAt = &now
	rep, ok := interview.ReportFor([]rehearse.SessionRecord{{Session: s, Attempts: r.attempts}}, 0, r.fi.f.rulebook())
	if !ok {
		return nil, errors.New("not an interview")
	}
	return rep, nil
}

// interviewHarness is a window with interview mode, a fake voice and a
// shared log of what was spoken and answered, in order.
func interviewHarness(t *testing.T, voice bool) (*harness, *fakeInterviews, *fakeVoice) {
	f := newFake()
	var events []string
	mu := &sync.Mutex{}
	fi := &fakeInterviews{f: f, events: &events, mu: mu}
	fv := &fakeVoice{events: &events}
	h := newHarness(t, f, func(d *Deps) {
		d.Interviews = fi
		if voice {
			d.Voice = fv
		}
	})
	return h, fi, fv
}

// startInterview chooses Interview on the setup screen and starts it; the
// first question is asked and recording starts on its own, so nothing
// waits for background work to finish.
func startInterview(t *testing.T, h *harness, count string) {
	t.Helper()
	h.tap("Start a practice session")
	h.act(func() {
		h.entry("Role or title").SetText("Backend engineer")
		h.u.setup.count.SetSelected(count)
		h.u.setup.mode.SetSelected(modeInterview)
	})
	h.mustShow("No feedback until the report at the end")
	if !h.u.setup.prep.Disabled() {
		t.Error("the prep time can still be chosen for an interview")
	}
	h.waitFor("the questions", func() bool { return !h.button("Start").Disabled() })
	h.actNoWait(func() { test.Tap(h.button("Start")) })
	h.waitFor("the interview screen", func() bool { return h.u.screen == "interview" })
}

// recordingOrReport waits until an answer is being recorded (other than
// prev) or the report is shown.
func recordingOrReport(h *harness, prev Take) {
	h.t.Helper()
	h.waitFor("recording or the report", func() bool {
		if h.u.screen == "interview-report" {
			return true
		}
		p := h.u.interview
		return p != nil && p.recording && p.take != prev
	})
}

// stopAnswer presses Space while recording and returns the take stopped.
func stopAnswer(h *harness) Take {
	var take Take
	h.actNoWait(func() {
		take = h.u.interview.take
		h.u.onSpace()
	})
	return take
}

// TestInterviewSpeaksThenRecordsAndReportsAtTheEnd: every question and
// follow-up is spoken before the microphone opens, no feedback appears
// between questions, at most one follow-up is asked per question, and the
// report lists every exchange.
func TestInterviewSpeaksThenRecordsAndReportsAtTheEnd(t *testing.T) {
	h, fi, fv := interviewHarness(t, true)
	var events []string
	fi.events, fv.events = &events, &events
	startInterview(t, h, "3")
	rec := 0
	var prev Take
	for step := 0; step < 10; step++ {
		recordingOrReport(h, prev)
		done := false
		h.actNoWait(func() {
			if h.u.screen != "interview" {
				done = true
				return
			}
			fv.mu.Lock()
			events = append(events, "recording")
			fv.mu.Unlock()
			for _, no := range []string{"Suggestions", "STAR", "Checklist", "Flag:"} {
				if strings.Contains(h.text(), no) {
					t.Errorf("interview screen shows %q before the end", no)
				}
			}
		})
		if done {
			break
		}
		rec++
		prev = stopAnswer(h)
	}
	h.settle()
	if got := h.screen(); got != "interview-report" {
		t.Fatalf("after %d answers the screen is %q, want interview-report", rec, got)
	}
	// Order: each recording comes right after something was spoken.
	for i, e := range events {
		if e == "recording" && (i == 0 || !strings.HasPrefix(events[i-1], "spoke: ")) {
			t.Errorf("recording started without the question being spoken first: %q", events)
			break
		}
	}
	run := fi.runs[0]
	if len(fv.said) != 3+len(run.followUps) || rec != len(fv.said) {
		t.Errorf("spoke %d times and recorded %d times for 3 questions and %d follow-ups: %q", len(fv.said), rec, len(run.followUps), events)
	}
	if len(run.followUps) == 0 {
		t.Errorf("the simulated answer (we-heavy, hedged) drew no follow-up: %q", events)
	}
	if fv.said[0] != run.qs[0].Text {
		t.Errorf("first words spoken %q, want the first question %q", fv.said[0], run.qs[0].Text)
	}
	for _, want := range []string{"Interview report", "The biggest changes", "Since the last interview", "This is your first interview", "Follow-up:", "Checklist:", "against a target of", "Export the report"} {
		h.mustShow(want)
	}
	for _, q := range run.qs {
		h.mustShow(q.Text)
	}
}

// TestInterviewWithoutVoiceShowsText: with no voice the question is shown
// as text, says so, and the interview still runs.
func TestInterviewWithoutVoiceShowsText(t *testing.T) {
	h, _, _ := interviewHarness(t, false)
	startInterview(t, h, "3")
	recordingOrReport(h, nil)
	h.actNoWait(func() {
		for _, want := range []string{noVoiceText, h.u.interview.run.Question(0).Text} {
			if !strings.Contains(h.text(), want) {
				t.Errorf("window does not show %q:\n%s", want, h.text())
			}
		}
		h.u.interview.leave()
	})
}

// TestInterviewVoiceFailureFallsBackToText: a voice that fails once is not
// tried again; the question is shown and recording starts.
func TestInterviewVoiceFailureFallsBackToText(t *testing.T) {
	h, _, fv := interviewHarness(t, true)
	fv.err = errors.New("speak with speech-dispatcher: the speech engine did not finish speaking")
	startInterview(t, h, "3")
	recordingOrReport(h, nil)
	h.actNoWait(func() {
		if !strings.Contains(h.text(), "could not be spoken") {
			t.Errorf("the failure is not explained:\n%s", h.text())
		}
		if !h.u.interview.voiceFailed {
			t.Error("the failed voice is still used")
		}
		h.u.interview.leave()
	})
}

// TestInterviewWithoutMicrophoneTakesTypedAnswers: when recording cannot
// start the answer is typed, and the interview goes on.
func TestInterviewWithoutMicrophoneTakesTypedAnswers(t *testing.T) {
	h, fi, _ := interviewHarness(t, true)
	h.f.devices = nil
	startInterview(t, h, "3")
	h.waitFor("the typing box", func() bool { return h.shows("Submit answer") })
	h.act(func() {
		h.entry("Type your answer").SetText("Last year I rebuilt our release pipeline. I wrote the scripts and I trained the team. Releases went from two days to two hours.")
	})
	h.tap("Submit answer")
	h.waitFor("the next question", func() bool {
		return len(fi.runs[0].attempts) == 1 && h.shows("Submit answer")
	})
}

// TestInterviewEndEarlyReportsUnanswered: ending the interview early shows
// the report with the questions not reached.
func TestInterviewEndEarlyReportsUnanswered(t *testing.T) {
	h, _, _ := interviewHarness(t, true)
	startInterview(t, h, "3")
	recordingOrReport(h, nil)
	stopAnswer(h)
	h.waitFor("the next question", func() bool { return len(h.u.interview.run.(*fakeRun).attempts) > 0 })
	h.actNoWait(func() { test.Tap(h.button("End the interview now")) })
	h.settle()
	if got := h.screen(); got != "interview-report" {
		t.Fatalf("screen = %q, want interview-report", got)
	}
	h.mustShow("Not answered: the interview ended before this question.")
}

// TestInterviewResumesWhereItStopped: an interview left for Home is
// resumed from Home as an interview, at the first question without an
// answer, with no feedback shown.
func TestInterviewResumesWhereItStopped(t *testing.T) {
	h, fi, _ := interviewHarness(t, true)
	startInterview(t, h, "3")
	recordingOrReport(h, nil)
	stopAnswer(h)
	h.waitFor("the answer to be handed over", func() bool { return len(fi.runs[0].attempts) == 1 })
	h.actNoWait(func() { h.u.showHome() })
	h.settle()
	h.actNoWait(func() { h.u.resume(fi.runs[0].s.ID) })
	h.waitFor("the interview screen", func() bool { return h.u.screen == "interview" })
	recordingOrReport(h, nil)
	h.actNoWait(func() {
		want := "Question 2 of 3"
		if !strings.Contains(h.text(), want) || strings.Contains(h.text(), "Checklist") {
			t.Errorf("resumed interview does not show %q (or shows feedback):\n%s", want, h.text())
		}
		h.u.interview.leave()
	})
}

// TestInterviewReportFromHistory: a stored interview's History page opens
// its report; a practice session's page does not offer one.
func TestInterviewReportFromHistory(t *testing.T) {
	h, fi, _ := interviewHarness(t, true)
	startInterview(t, h, "3")
	recordingOrReport(h, nil)
	h.actNoWait(func() { test.Tap(h.button("End the interview now")) })
	h.settle()
	h.act(func() { h.u.showDetail(fi.runs[0].s.ID) })
	h.tap("Interview report")
	if got := h.screen(); got != "interview-report" {
		t.Fatalf("screen = %q, want interview-report", got)
	}
	h.mustShow("The biggest changes")

	h.act(func() { h.u.showHome() })
	startSession(t, h, "Backend engineer", "")
	h.typeAnswer(answerSTAR)
	var practiceID int64
	h.actNoWait(func() { practiceID = h.u.practice.session.ID })
	h.act(func() { h.u.showDetail(practiceID) })
	if h.shows("Interview report") {
		t.Error("a practice session offers an interview report")
	}
}

// TestInterviewReportExports writes the report as Markdown and as JSON.
func TestInterviewReportExports(t *testing.T) {
	h, fi, _ := interviewHarness(t, true)
	startInterview(t, h, "3")
	recordingOrReport(h, nil)
	h.actNoWait(func() { test.Tap(h.button("End the interview now")) })
	h.settle()
	dir := t.TempDir()
	for _, tc := range []struct{ format, file, want string }{
		{reportMarkdown, "r.md", "# Interview report"},
		{reportJSON, "r.json", `"exchanges"`},
	} {
		path := filepath.Join(dir, tc.file)
		h.act(func() { findRadio(h, reportMarkdown).SetSelected(tc.format) })
		h.act(func() {
			for _, e := range h.entries() {
				if strings.Contains(e.Text, "rehearse-interview-") {
					e.SetText(path)
				}
			}
		})
		h.tap("Export the report")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s export: %v", tc.format, err)
		}
		if !strings.Contains(string(b), tc.want) {
			t.Errorf("%s export lacks %q:\n%s", tc.format, tc.want, b)
		}
		if tc.format == reportJSON {
			var r interview.Report
			if err := json.Unmarshal(b, &r); err != nil || len(r.Exchanges) != 3 {
				t.Logf("%d questions, ids %q", len(fi.runs[0].qs), fi.runs[0].s.Settings.QuestionIDs)
				t.Errorf("JSON export: %v, %d exchanges", err, len(r.Exchanges))
			}
		}
		h.mustShow("Saved to " + path)
	}
}

// findRadio is the radio group offering option.
func findRadio(h *harness, option string) *widget.RadioGroup {
	h.t.Helper()
	for _, o := range h.objects() {
		if r, ok := o.(*widget.RadioGroup); ok && slices.Contains(r.Options, option) {
			return r
		}
	}
	h.t.Fatalf("no choice of %q; window shows:\n%s", option, h.text())
	return nil
}

// findSelect is the drop-down offering option.
func findSelect(h *harness, option string) *widget.Select {
	h.t.Helper()
	for _, o := range h.objects() {
		if s, ok := o.(*widget.Select); ok && slices.Contains(s.Options, option) {
			return s
		}
	}
	h.t.Fatalf("no list offering %q; window shows:\n%s", option, h.text())
	return nil
}

// TestPickerVoices: English voices only, the variants left out when there
// are too many (speech-dispatcher lists thousands), never more than the
// drop-down can hold.
func TestPickerVoices(t *testing.T) {
	var many []VoiceOption
	for _, l := range []string{"af", "en-GB", "en-US", "fr"} {
		many = append(many, VoiceOption{Name: l, Language: l})
		for i := range 70 {
			many = append(many, VoiceOption{Name: fmt.Sprintf("%s+v%d", l, i), Language: l})
		}
	}
	tests := []struct {
		name string
		in   []VoiceOption
		want []string
	}{
		{"few, English only", []VoiceOption{{Name: "fr", Language: "fr"}, {Name: "en-us", Language: "en-us"}, {Name: "en-gb+Alex", Language: "en-gb"}}, []string{"en-us", "en-gb+Alex"}},
		{"no English voice", []VoiceOption{{Name: "fr", Language: "fr"}, {Name: "de", Language: "de"}}, []string{"fr", "de"}},
		{"thousands", many, []string{"en-GB", "en-US"}},
	}
	for _, tt := range tests {
		var got []string
		for _, o := range pickerVoices(tt.in) {
			got = append(got, o.Name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestSettingsVoicePicker: Settings › Interviewer voice lists English
// voices first, saves the voice and speed through the voice, and speaks a
// sample; without a voice it says that questions are shown as text.
func TestSettingsVoicePicker(t *testing.T) {
	h, _, fv := interviewHarness(t, true)
	var events []string
	fv.events = &events
	fv.options = []VoiceOption{{Name: "fr", Label: "French", Language: "fr"}, {Name: "en-us", Label: "English (America)", Language: "en-us"}}
	h.act(func() { h.u.settings.Voice, h.u.settings.VoiceRate = "fr", -20; h.u.showSettings() })
	selectTab(h, 5)
	h.mustShow("Speech engine: test voice")
	sel := findSelect(h, "English (America)")
	if want := []string{defaultVoiceLabel, "English (America)", "French"}; !slices.Equal(sel.Options, want) {
		// French is offered because it is the saved choice.
		t.Errorf("voices offered %q, want %q", sel.Options, want)
	}
	if sel.Selected != "French" {
		t.Errorf("the saved voice is not selected: %q", sel.Selected)
	}
	h.mustShow("20% slower")
	h.act(func() { sel.SetSelected("English (America)") })
	h.tap("Try the voice")
	h.f.mu.Lock()
	saved := h.f.settings
	h.f.mu.Unlock()
	if saved.Voice != "en-us" || saved.VoiceRate != -20 {
		t.Errorf("saved voice %q at rate %d, want en-us at -20", saved.Voice, saved.VoiceRate)
	}
	if fv.voice != "en-us" || fv.rate != -20 {
		t.Errorf("spoke with voice %q at rate %d, want en-us at -20", fv.voice, fv.rate)
	}
	if len(fv.said) != 1 || fv.said[0] != sampleQuestion {
		t.Errorf("said %q, want the sample question", fv.said)
	}

	h2, _, _ := interviewHarness(t, false)
	h2.act(func() { h2.u.showSettings() })
	selectTab(h2, 5)
	h2.mustShow(noVoiceText)
}

// TestInterviewScreenshots renders interview mode's screens with Fyne's
// software painter and compares each with testdata/<name>.png: the setup
// with Interview chosen, a question being answered, the report, and the
// voice settings.
func TestInterviewScreenshots(t *testing.T) {
	t.Setenv("HOME", "/home/sam")
	t.Run("setup-interview", func(t *testing.T) {
		h, _, _ := interviewHarness(t, true)
		h.tap("Start a practice session")
		h.act(func() {
			h.entry("Role or title").SetText("Backend engineer at a logistics company")
			h.u.setup.count.SetSelected("3")
			h.u.setup.mode.SetSelected(modeInterview)
		})
		compareGolden(t, "setup-interview", h.capture())
	})
	t.Run("interview", func(t *testing.T) {
		h, _, _ := interviewHarness(t, false)
		startInterview(t, h, "3")
		recordingOrReport(h, nil)
		// The simulated microphone's six readings have all arrived.
		h.waitFor("the last level reading", func() bool { return strings.HasPrefix(h.u.interview.timer.Text, "0:06") })
		img := h.capture()
		h.actNoWait(func() { h.u.interview.leave() })
		compareGolden(t, "interview", img)
	})
	t.Run("interview-report", func(t *testing.T) {
		h, _, _ := interviewHarness(t, true)
		startInterview(t, h, "3")
		var prev Take
		for range 10 {
			recordingOrReport(h, prev)
			if h.screen() != "interview" {
				break
			}
			prev = stopAnswer(h)
		}
		h.settle()
		compareGolden(t, "interview-report", h.capture())
	})
	t.Run("settings-voice", func(t *testing.T) {
		h, _, fv := interviewHarness(t, true)
		fv.options = []VoiceOption{{Name: "en-us", Label: "English (America)", Language: "en-us"}, {Name: "en-gb", Label: "English (Great Britain)", Language: "en-gb"}}
		h.act(func() { h.u.settings.Voice, h.u.settings.VoiceRate = "en-gb", 20; h.u.showSettings() })
		selectTab(h, 5)
		compareGolden(t, "settings-voice", h.capture())
	})
}

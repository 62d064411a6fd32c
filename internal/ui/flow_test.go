package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

const answerSTAR = "Um, last year our checkout service kept timing out during sales. I was the on-call lead, so I had to find the cause. " +
	"I think I basically traced it to a slow payment call, and I moved it to a queue and added retries. " +
	"As a result, failed checkouts dropped by 40 percent and we kept it that way."

const answerHesitant = "Um, so, I think we, like, basically fixed the checkout, um, problem. I guess we, uh, kind of moved the payment calls " +
	"to a queue, you know, and it was, um, better. I think it was, like, fine in the end, I guess."

const answerBetter = "Last year our checkout service kept timing out during sales. As the on-call lead I had to find the cause. " +
	"I traced it to a slow payment call, moved it to a queue and added retries. Failed checkouts dropped by 40 percent."

func TestFirstRun(t *testing.T) {
	f := newFake()
	remembered := false
	h := newHarness(t, f, func(d *Deps) {
		d.FirstRun = true
		d.FirstRunDone = func(context.Context) error { remembered = true; return nil }
	})
	if got := h.screen(); got != "first-run" {
		t.Fatalf("screen = %q, want first-run", got)
	}
	for _, s := range []string{"never use it during a real interview", "Everything stays on this computer", "Delete everything", "PRACTICE"} {
		h.mustShow(s)
	}
	// Microphone: the default device is chosen and the test shows a level.
	h.mustShow("2 microphone(s) found")
	h.tap("Test (3 s)")
	h.mustShow("Heard you: the loudest moment reached 50%")

	// The speech model: the self-test's choice for this computer, with its
	// measured speed, cost and source, and a one-click download.
	for _, s := range []string{"Recommended for this computer: Base, English", "a minute of speech takes about 19 s to transcribe, so it keeps up",
		"Costs 141.1 MiB of disk space (12.0 GiB free)", "huggingface.co", "published checksum"} {
		h.mustShow(s)
	}
	if f.recommends != 1 {
		t.Fatalf("the self-test ran %d times, want once", f.recommends)
	}
	// A failed download says so and offers a way forward.
	f.downloadErr = errors.New("connection reset by peer")
	h.tap("Download Base, English (141.1 MiB)")
	h.mustShow("The download failed")
	h.mustShow("type your answers")

	f.downloadErr = nil
	h.tap("Try the download again")
	h.mustShow("Base, English is ready")
	h.tap("Start practising")
	if got := h.screen(); got != "home" {
		t.Fatalf("screen = %q, want home", got)
	}
	h.mustShow("PRACTICE") // the badge stays
	if !remembered {
		t.Fatal("FirstRunDone was not called")
	}
}

func TestFirstRunWithoutMicrophone(t *testing.T) {
	f := newFake()
	f.devices = nil
	h := newHarness(t, f, func(d *Deps) { d.FirstRun = true })
	h.mustShow("No microphone found. Plug one in and press Refresh, or continue with typed answers.")
	h.tap("Continue with typed answers")
	if got := h.screen(); got != "home" {
		t.Fatalf("screen = %q, want home", got)
	}
}

// typeAnswer answers the current question by typing.
func (h *harness) typeAnswer(text string) {
	h.t.Helper()
	h.tap("Type an answer instead")
	h.act(func() { h.entry("Type your answer").SetText(text) })
	h.tap("Analyse answer")
}

func startSession(t *testing.T, h *harness, title, jd string) {
	t.Helper()
	h.tap("Start a practice session")
	if got := h.screen(); got != "setup" {
		t.Fatalf("screen = %q, want setup", got)
	}
	h.act(func() {
		h.entry("Role or title").SetText(title)
		h.entry("Optional: paste the job description").SetText(jd)
		h.u.body.Objects[0].(fyne.Widget).Refresh()
	})
	h.tap("Shuffle")
	h.tap("Start")
	if got := h.screen(); got != "practice" {
		t.Fatalf("screen = %q, want practice", got)
	}
}

func TestPracticeSessionTyped(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, nil)
	startSession(t, h, "Backend engineer", "We use Kubernetes and PostgreSQL. Kubernetes experience is a must.")
	h.mu.Lock()
	n := len(h.u.practice.qs)
	h.mu.Unlock()
	if n != 5 {
		t.Fatalf("%d questions picked, want 5", n)
	}
	h.mustShow("Question 1 of 5")

	// Answer 1, typed, with fillers and hedges highlighted in place.
	h.typeAnswer(answerHesitant)
	h.mustShow("Attempt 1")
	h.mustShow("Suggestions")
	h.mu.Lock()
	segs := h.u.practice.transcript.Segments
	h.mu.Unlock()
	colours := map[fyne.ThemeColorName]string{}
	for _, s := range segs {
		ts := s.(*widget.TextSegment)
		colours[ts.Style.ColorName] += ts.Text
	}
	if !strings.Contains(colours[colorFiller], "Um") || colours[colorHedge] == "" {
		t.Fatalf("filler/hedge highlights missing: %q", colours)
	}

	// Clicking a suggestion highlights its evidence.
	h.tap("Show evidence")
	h.mu.Lock()
	sel := 0
	for _, s := range h.u.practice.transcript.Segments {
		if s.(*widget.TextSegment).Style.ColorName == colorSelected {
			sel++
		}
	}
	h.mu.Unlock()
	if sel == 0 {
		t.Fatal("no evidence highlighted after Show evidence")
	}

	// Retake (Ctrl+R) and compare the attempts side by side.
	h.shortcut(fyne.KeyR)
	h.typeAnswer(answerBetter)
	h.mustShow("Attempt 2")
	h.mustShow("Your attempts side by side")

	// Edit the transcript and re-analyse.
	h.tap("Edit transcript & re-analyse")
	h.act(func() {
		h.entries()[0].SetText(answerBetter + " I learned to load-test payment paths before each sale.")
	})
	h.tap("Re-analyse")
	h.mustShow("(edited)")
	if c := f.sessions[0].results[1].Attempt.Corrected; c == nil || !strings.Contains(c.Text, "load-test") {
		t.Fatalf("correction not stored: %+v", c)
	}

	// The remaining questions, next with Ctrl+N.
	for i := 2; i <= 5; i++ {
		h.shortcut(fyne.KeyN)
		h.mustShow("Question " + string(rune('0'+i)) + " of 5")
		h.typeAnswer(answerBetter)
	}
	h.shortcut(fyne.KeyN) // on the last question: finish
	if got := h.screen(); got != "summary" {
		t.Fatalf("screen = %q, want summary", got)
	}
	h.mustShow("Answers (5 of 5 questions)")
	h.mustShow("Job description terms")
	h.mustShow("Kubernetes")
	h.mustShow("attempt 1 → 2")
	if f.sessions[0].s.FinishedAt == nil {
		t.Fatal("session not finished")
	}
}

func TestTypedAnswerBadInput(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, nil)
	startSession(t, h, "Analyst", "")
	h.tap("Type an answer instead")
	h.tap("Analyse answer")
	h.mustShow("The answer is empty")
	long := strings.Repeat("word ", 5000)
	h.act(func() {
		// Paste it, as a user would.
		clip := test.NewClipboard()
		clip.SetContent(long)
		h.answerBox().TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	})
	h.tap("Analyse answer")
	h.mustShow("This answer has 5000 words")
	h.mustShow("line wrapping is off while the text is this long")
	h.mu.Lock()
	kept := h.entry("Type your answer").Text
	h.mu.Unlock()
	if kept != long {
		t.Fatal("the typed text was lost")
	}
	if len(f.sessions[0].results) != 0 {
		t.Fatal("a rejected answer was saved")
	}
}

func TestRecordedAnswer(t *testing.T) {
	f := newFake()
	f.settings.KeepRecordings = true
	h := newHarness(t, f, nil)
	startSession(t, h, "Support lead", "")
	h.space()
	h.waitFor("level meter and partial transcript", func() bool {
		p := h.u.practice
		return p.recording && p.meter.value > 0 && p.partial.Text != "" && strings.Contains(p.timer.Text, "left")
	})
	h.space()
	h.waitFor("the analysed answer", func() bool { return h.u.practice.shown != nil && !h.u.practice.stopping })
	h.settle()
	h.mustShow("whisper:base.en")
	h.mu.Lock()
	var pause, filler bool
	for _, s := range h.u.practice.transcript.Segments {
		ts := s.(*widget.TextSegment)
		pause = pause || ts.Style.ColorName == colorPause
		filler = filler || ts.Style.ColorName == colorFiller
	}
	h.mu.Unlock()
	if !pause || !filler {
		t.Fatalf("pause marker %v, filler highlight %v; want both", pause, filler)
	}
	// The recording was kept: showing a suggestion's evidence plays that moment.
	h.tap("Show evidence")
	if len(f.played) != 1 || f.played[0] <= 0 {
		t.Fatalf("played %v, want one playback from the evidence's time", f.played)
	}
}

func TestRecordingProblems(t *testing.T) {
	t.Run("no microphone", func(t *testing.T) {
		f := newFake()
		h := newHarness(t, f, nil)
		startSession(t, h, "Nurse", "")
		f.devices = nil
		h.space()
		h.settle()
		h.mustShow("No microphone found. Plug one in and press Record again, or type your answer instead.")
		h.button("Type an answer instead")
	})
	t.Run("microphone unplugged mid-answer", func(t *testing.T) {
		f := newFake()
		f.loseMic = true
		h := newHarness(t, f, nil)
		startSession(t, h, "Nurse", "")
		h.space()
		h.waitFor("the partial answer after the microphone went away", func() bool {
			return h.u.practice.shown != nil && !h.u.practice.stopping && h.u.practice.take == nil
		})
		h.settle()
		h.mustShow("The microphone stopped responding. What was recorded until then is saved.")
		if len(f.sessions[0].results) != 1 {
			t.Fatal("the partial recording was not saved")
		}
	})
	t.Run("no model", func(t *testing.T) {
		f := newFake()
		f.noModel = true
		h := newHarness(t, f, nil)
		startSession(t, h, "Nurse", "")
		h.space()
		h.waitFor("recording", func() bool { return h.u.practice.recording })
		h.space()
		h.waitFor("pending answer", func() bool { return h.u.practice.shown != nil && !h.u.practice.stopping })
		h.settle()
		h.mustShow("will be transcribed once you add one")
		h.tap("Type this answer instead")
		h.entry("Type your answer")
	})
}

// seed stores finished sessions through the fake's own API.
func seed(t testing.TB, f *fakeBackend, titles ...string) {
	ctx := context.Background()
	for i, title := range titles {
		qs := f.bank.Select(selectionFor(2))
		s, err := f.StartSession(ctx, Plan{Title: title, Questions: qs, Settings: rehearse.SessionSettings{KeepRecordings: i%2 == 0}})
		if err != nil {
			t.Fatal(err)
		}
		text := answerSTAR
		if i%2 == 1 {
			text = answerBetter + " We talked about the " + title + " roadmap."
		}
		for _, q := range qs {
			if _, err := f.SubmitTyped(ctx, s.ID, q, text, time.Duration(25+5*i)*time.Second); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.FinishSession(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
	}
}

func TestHistorySearchAndDelete(t *testing.T) {
	f := newFake()
	seed(t, f, "Data engineer", "Product manager", "Site reliability")
	h := newHarness(t, f, nil)
	h.tap("History")
	h.mustShow("3 sessions")
	h.act(func() { h.entry("Search transcripts").SetText("roadmap") })
	h.tap("Search")
	h.mustShow("1 sessions")
	h.act(func() { h.entry("Search transcripts").SetText("zebra") })
	h.tap("Search")
	h.mustShow("Nothing matches “zebra”.")
	h.act(func() { h.entry("Search transcripts").SetText("") })
	h.tap("Search")
	h.mustShow("3 sessions")

	// Open the newest session, delete it after the confirmation.
	var list *widget.List
	h.act(func() {
		for _, o := range h.objects() {
			if l, ok := o.(*widget.List); ok {
				list = l
			}
		}
		list.Select(0)
	})
	if got := h.screen(); got != "detail" {
		t.Fatalf("screen = %q, want detail", got)
	}
	h.mustShow("Site reliability")
	h.tap("Delete this session")
	h.mustShow("and its 2 answers")
	h.tap("Delete")
	h.mustShow("The session was deleted.")
	h.mustShow("2 sessions")
	if len(f.sessions) != 2 {
		t.Fatalf("%d sessions left, want 2", len(f.sessions))
	}
}

// Export asks where to save, leaves recordings out unless asked (showing
// their size), and says that the file is not encrypted.
func TestExport(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	docs := filepath.Join(home, "Documents")
	if err := os.Mkdir(docs, 0o700); err != nil {
		t.Fatal(err)
	}
	f := newFake()
	seed(t, f, "Data engineer", "Designer")
	f.sessions[0].results[0].Attempt.HasAudio = true
	f.sessions[0].results[0].Attempt.DurationS = 60
	h := newHarness(t, f, nil)
	h.u.clock = func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }
	h.tap("Privacy")
	h.mustShow("Include my recordings (1, about 2.4 MiB)")
	h.mustShow("The export is not encrypted")
	if h.shows("rehearse-export.json") || len(h.entries()) != 0 {
		t.Fatalf("an export path is filled in before the user chose one:\n%s", h.text())
	}
	var rec *widget.Check
	for _, o := range h.objects() {
		if c, ok := o.(*widget.Check); ok && strings.HasPrefix(c.Text, "Include my recordings") {
			rec = c
		}
	}
	if rec == nil || rec.Checked {
		t.Fatalf("recordings are included by default")
	}
	h.tap("Export…")
	if es := h.entries(); len(es) != 1 || es[0].Text != "rehearse-export-2026-03-02.json" {
		t.Fatalf("the save dialog does not suggest a file name: %v", es)
	}
	h.tap("Save")
	out := filepath.Join(docs, "rehearse-export-2026-03-02.json")
	h.mustShow("Saved to " + out + " (without recordings). The export is not encrypted")
	var recs []rehearse.SessionRecord
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &recs); err != nil || len(recs) != 2 || f.exportRec {
		t.Fatalf("export: %d records, err %v, recordings %v", len(recs), err, f.exportRec)
	}
	// Recordings when asked for.
	h.act(func() { rec.SetChecked(true) })
	h.tap("Export…")
	h.act(func() { h.entries()[0].SetText("with-audio.json") })
	h.tap("Save")
	h.mustShow("(with your recordings)")
	if !f.exportRec {
		t.Fatal("recordings were asked for but not exported")
	}
	// Markdown never has recordings.
	h.act(func() {
		for _, o := range h.objects() {
			if r, ok := o.(*widget.RadioGroup); ok {
				r.SetSelected(exportMarkdown)
			}
		}
	})
	if rec.Checked || !rec.Disabled() {
		t.Fatal("recordings offered with Markdown")
	}
	h.tap("Export…")
	h.tap("Save")
	md := filepath.Join(docs, "rehearse-export-2026-03-02.md")
	h.mustShow("Saved to " + md)
	if b, err := os.ReadFile(md); err != nil || !strings.Contains(string(b), "# Designer") {
		t.Fatalf("markdown export: %v %q", err, b)
	}
}

func TestDeleteEverything(t *testing.T) {
	f := newFake()
	f.models[0].Installed, f.models[0].Active = true, true
	seed(t, f, "Data engineer", "Designer", "Teacher")
	h := newHarness(t, f, nil)
	h.tap("Privacy")
	h.tap("Delete everything…")
	h.mustShow("3 sessions with 6 answers")
	h.mustShow("the encryption key")
	h.act(func() {
		for _, o := range h.objects() {
			if c, ok := o.(*widget.Check); ok && strings.HasPrefix(c.Text, "Also delete downloaded speech models") {
				c.SetChecked(true)
			}
		}
	})
	h.tap("Delete everything")
	if got := h.screen(); got != "first-run" {
		t.Fatalf("screen = %q, want first-run (a fresh start)", got)
	}
	h.mustShow("Everything was deleted, including the encryption key.")
	if len(f.sessions) != 0 || !f.wipedModels {
		t.Fatalf("wipe incomplete: %d sessions, models wiped %v", len(f.sessions), f.wipedModels)
	}
}

func TestUnlock(t *testing.T) {
	f := newFake()
	f.unlockPass = "correct horse"
	h := newHarness(t, f, func(d *Deps) {
		d.OpenErr = rehearse.ErrNoKeyring
		d.Unlock = f.unlock
	})
	if got := h.screen(); got != "unlock" {
		t.Fatalf("screen = %q, want unlock", got)
	}
	h.mustShow("The OS keyring is locked or not available")
	h.act(func() { h.entry("Passphrase").SetText("wrong") })
	h.tap("Unlock")
	h.mustShow("That passphrase did not unlock the practice store. Nothing was changed; try again.")
	h.act(func() { h.entry("Passphrase").SetText("correct horse") })
	h.tap("Unlock")
	if got := h.screen(); got != "home" {
		t.Fatalf("screen = %q, want home", got)
	}
}

func TestCorruptStore(t *testing.T) {
	f := newFake()
	var savedTo []string
	h := newHarness(t, f, func(d *Deps) {
		d.OpenErr = rehearse.ErrCorruptStore
		d.StartFresh = func(context.Context) (string, error) { return "/data/rehearse.db.damaged-1", nil }
		d.Salvage = func(_ context.Context, path string) (Salvaged, error) {
			savedTo = append(savedTo, path)
			lost := []string{"session 3 \"Designer\" (2 answers): the practice store is damaged"}
			for i := 0; i < 6; i++ {
				lost = append(lost, fmt.Sprintf("session %d: damaged", 10+i))
			}
			return Salvaged{Sessions: 4, Answers: 9, Lost: lost}, nil
		}
	})
	h.mustShow("Nothing has been deleted and the file has not been changed")
	h.act(func() { h.entries()[0].SetText("/home/sam/saved.json") })
	h.tap("Save what can be read")
	h.waitFor("the salvage report", func() bool { return h.shows("Saved 4 sessions with 9 answers to /home/sam/saved.json") })
	for _, s := range []string{"7 could not be read", `session 3 "Designer" (2 answers)`, "… and 2 more"} {
		h.mustShow(s)
	}
	if len(savedTo) != 1 || savedTo[0] != "/home/sam/saved.json" {
		t.Fatalf("saved to %q", savedTo)
	}
	h.tap("Start with an empty store")
	if got := h.screen(); got != "home" {
		t.Fatalf("screen = %q, want home", got)
	}
	h.mustShow("The damaged file was kept at /data/rehearse.db.damaged-1.")
}

func TestCorruptStoreDeleteEverything(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, func(d *Deps) {
		d.OpenErr = rehearse.ErrCorruptStore
		d.StartFresh = func(context.Context) (string, error) { return "", errors.New("not used") }
	})
	h.tap("Delete everything…")
	h.mustShow("destroys the damaged store, its encryption key")
	h.tap("Delete everything")
	if got := h.screen(); got != "first-run" || f.wipes != 1 {
		t.Fatalf("screen = %q after %d wipes, want first-run after one", got, f.wipes)
	}
}

func TestRulebookEditing(t *testing.T) {
	f := newFake()
	seed(t, f, "Data engineer")
	h := newHarness(t, f, nil)
	h.tap("Settings")
	h.act(func() {
		for _, o := range h.objects() {
			if tabs, ok := o.(interface{ SelectIndex(int) }); ok {
				tabs.SelectIndex(3)
			}
		}
	})
	h.mustShow("Re-score history")
	rules, _ := f.Rules(context.Background())
	first := rules[0]
	// Switch the first rule off and save it.
	h.act(func() {
		for _, o := range h.objects() {
			if c, ok := o.(*widget.Check); ok && c.Text == "On" {
				c.SetChecked(false)
				break
			}
		}
	})
	h.tap("Save rule")
	h.mustShow(first.Title + " saved.")
	if ro, ok := f.overrides.Rules[first.ID]; !ok || ro.Enabled == nil || *ro.Enabled {
		t.Fatalf("override not stored: %+v", f.overrides)
	}
	h.tap("Re-score history")
	h.mustShow("Re-scored 2 answers.")
	h.tap("Reset all rules")
	h.tap("Yes")
	h.mustShow("Rules reset to their defaults.")
	if len(f.overrides.Rules) != 0 {
		t.Fatalf("overrides not reset: %+v", f.overrides)
	}
}

func TestRunWithoutDisplay(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the display check applies to Linux")
	}
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	err := Run(context.Background(), newFake().deps())
	if !errors.Is(err, ErrNoDisplay) || !strings.Contains(err.Error(), "rehearse --help") {
		t.Fatalf("Run without a display = %v", err)
	}
}

func selectionFor(n int) questions.Selection {
	return questions.Selection{Types: []rehearse.QuestionType{rehearse.Behavioral}, Count: n, Seed: 1}
}

func TestResumeUnfinished(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, nil)
	startSession(t, h, "Teacher", "")
	h.typeAnswer(answerBetter)
	h.tap("Home")
	h.tap("Resume “Teacher” (1 answer so far)")
	if got := h.screen(); got != "practice" {
		t.Fatalf("screen = %q, want practice", got)
	}
	h.mustShow("Question 2 of 5")
}

func TestPrepCountdownAndAnswerLimit(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, nil)
	ctx := context.Background()
	qs := f.bank.Select(selectionFor(2))
	s, err := f.StartSession(ctx, Plan{Title: "Timed", Questions: qs, Settings: rehearse.SessionSettings{PrepSeconds: 1, AnswerSeconds: 3}})
	if err != nil {
		t.Fatal(err)
	}
	h.act(func() { h.u.showPractice(s, qs, nil) }) // waits for the one-second countdown
	h.mustShow("Prep time is over: answer when ready")

	// The answer stops by itself at the time limit.
	h.space()
	h.waitFor("the answer to stop at the limit", func() bool {
		p := h.u.practice
		return p.shown != nil && !p.recording && !p.stopping
	})
	h.settle()
	if n := len(f.sessions[0].results); n != 1 {
		t.Fatalf("%d answers saved, want 1", n)
	}
}

func TestSettingsSave(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, nil)
	h.tap("Settings")
	h.act(func() {
		for _, o := range h.objects() {
			switch w := o.(type) {
			case *widget.RadioGroup:
				w.SetSelected(ThemeDark)
			case *widget.Check:
				if strings.HasPrefix(w.Text, "Give feedback on fillers") {
					w.SetChecked(false)
				}
			}
		}
	})
	h.tap("Save")
	if f.settings.Theme != ThemeDark || f.settings.FluencyMetrics {
		t.Fatalf("settings not saved: %+v", f.settings)
	}
	h.mu.Lock()
	variant := h.u.app.Settings().Theme().(*calmTheme).variant
	h.mu.Unlock()
	if variant != theme.VariantDark {
		t.Fatalf("theme variant %d, want dark", variant)
	}
	// Bad numbers get a message, nothing is saved.
	h.act(func() {
		for _, e := range h.entries() {
			if e.Text == "120" {
				e.SetText("5")
			}
		}
	})
	h.tap("Save")
	h.mustShow("answer time between 10 and 900 seconds")
	if f.settings.AnswerSeconds != 120 {
		t.Fatalf("a bad answer time was saved: %d", f.settings.AnswerSeconds)
	}
}

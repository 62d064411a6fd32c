package local

import (
	"context"

	"github.com/rehearse-app/rehearse/internal/interview"
	"github.com/rehearse-app/rehearse/internal/osvoice"
	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/ui"
)

// guiInterviews runs the window's interview mode on the interview core.
type guiInterviews struct {
	service func() (*practice.Service, error)
}

// NewInterviews is the window's interview mode on the practice core.
func NewInterviews(app *practice.App) ui.Interviews { return guiInterviews{service: app.Service} }

func (g guiInterviews) StartInterview(ctx context.Context, p ui.Plan) (ui.InterviewRun, error) {
	svc, err := g.service()
	if err != nil {
		return nil, err
	}
	iv, err := interview.Start(ctx, svc, interview.Plan{Title: p.Title, JobDescription: p.JobDescription, Settings: p.Settings, Chosen: p.Questions})
	if err != nil {
		return nil, err
	}
	return guiInterviewRun{iv}, nil
}

func (g guiInterviews) ResumeInterview(ctx context.Context, id int64) (ui.InterviewRun, error) {
	svc, err := g.service()
	if err != nil {
		return nil, err
	}
	iv, err := interview.Open(ctx, svc, id)
	if err != nil {
		return nil, err
	}
	return guiInterviewRun{iv}, nil
}

func (g guiInterviews) InterviewReport(ctx context.Context, id int64) (*interview.Report, error) {
	svc, err := g.service()
	if err != nil {
		return nil, err
	}
	return interview.BuildReport(ctx, svc, id)
}

type guiInterviewRun struct{ *interview.Interview }

func answerOf(r ui.Result) *practice.Answer {
	a := r.Attempt
	return &practice.Answer{Attempt: &a, Result: r.Feedback}
}

func (g guiInterviewRun) MainAnswered(ctx context.Context, i int, r ui.Result) (string, error) {
	step, err := g.Interview.MainAnswered(ctx, i, answerOf(r))
	if err != nil || step.FollowUp == nil {
		return "", err
	}
	return step.FollowUp.Text, nil
}

func (g guiInterviewRun) FollowUpAnswered(ctx context.Context, i int, r ui.Result) error {
	return g.Interview.FollowUpAnswered(ctx, i, answerOf(r))
}

func (g guiInterviewRun) Session() rehearse.Session { return g.Interview.Session() }

// guiVoice is the operating system's voice for the window.
type guiVoice struct{ s *osvoice.Speaker }

// NewVoice is the operating system's voice (osvoice) for the window; nil
// when the computer has no voice, and the window then shows questions as
// text.
func NewVoice() ui.Voice {
	s, err := osvoice.Find()
	if err != nil {
		return nil
	}
	return guiVoice{s: s}
}

func (v guiVoice) Engine() string { return v.s.Engine() }

func (v guiVoice) Speak(ctx context.Context, text string) error { return v.s.Speak(ctx, text) }

func (v guiVoice) Use(voice string, rate int) {
	v.s.SetVoice(voice)
	v.s.SetRate(rate)
}

func (v guiVoice) Voices(ctx context.Context) ([]ui.VoiceOption, error) {
	vs, err := v.s.Voices(ctx)
	out := make([]ui.VoiceOption, len(vs))
	for i, x := range vs {
		out[i] = ui.VoiceOption{Name: x.Name, Label: x.Label(), Language: x.Language}
	}
	return out, err
}

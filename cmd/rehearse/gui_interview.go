package main

import (
	"context"
	"encoding/json"

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

// settingVoice keeps the interviewer's voice and speed (JSON of
// ui.VoiceChoice) in the encrypted store with the other settings.
const settingVoice = "interviewer_voice"

// guiVoice is the operating system's voice with the user's saved choice.
type guiVoice struct {
	s       *osvoice.Speaker
	service func() (*practice.Service, error)
}

// newGUIVoice is nil when the computer has no voice: the window then shows
// questions as text.
func newGUIVoice(service func() (*practice.Service, error)) ui.Voice {
	s, err := osvoice.Find()
	if err != nil {
		return nil
	}
	return &guiVoice{s: s, service: service}
}

func (v *guiVoice) Engine() string { return v.s.Engine() }

func (v *guiVoice) Speak(ctx context.Context, text string) error {
	if c, err := v.Choice(ctx); err == nil {
		v.s.SetVoice(c.Voice)
		v.s.SetRate(c.Rate)
	}
	return v.s.Speak(ctx, text)
}

func (v *guiVoice) Voices(ctx context.Context) ([]ui.VoiceOption, error) {
	vs, err := v.s.Voices(ctx)
	out := make([]ui.VoiceOption, len(vs))
	for i, x := range vs {
		out[i] = ui.VoiceOption{Name: x.Name, Label: x.Label(), Language: x.Language}
	}
	return out, err
}

func (v *guiVoice) Choice(ctx context.Context) (ui.VoiceChoice, error) {
	var c ui.VoiceChoice
	svc, err := v.service()
	if err != nil {
		return c, err
	}
	s, ok, err := svc.Store().Setting(ctx, settingVoice)
	if err != nil || !ok {
		return c, err
	}
	// A setting that does not parse is forgotten: the default voice speaks.
	_ = json.Unmarshal([]byte(s), &c)
	return c, nil
}

func (v *guiVoice) SetChoice(ctx context.Context, c ui.VoiceChoice) error {
	svc, err := v.service()
	if err != nil {
		return err
	}
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := svc.Store().SetSetting(ctx, settingVoice, string(b)); err != nil {
		return err
	}
	v.s.SetVoice(c.Voice)
	v.s.SetRate(c.Rate)
	return nil
}

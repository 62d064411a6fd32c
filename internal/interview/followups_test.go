package interview

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// labelled is one answer of testdata/followups.json, labelled by hand for
// which follow-up triggers should fire and which follow-up should be asked.
type labelled struct {
	Name      string                `json:"name"`
	Question  string                `json:"question"`
	Type      rehearse.QuestionType `json:"type"`
	DurationS float64               `json:"duration_s"`
	Answer    string                `json:"answer"`
	Labels    map[string]bool       `json:"labels"`
	Want      string                `json:"want"`
	WantText  string                `json:"want_text"`
	Why       string                `json:"why"`
}

func loadLabelled(t *testing.T) []labelled {
	t.Helper()
	data, err := os.ReadFile("testdata/followups.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		About   string     `json:"about"`
		Answers []labelled `json:"answers"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Answers
}

func (l labelled) analyze(rb *feedback.Rulebook) *feedback.Result {
	return feedback.Analyze(feedback.Input{Question: l.Question, Type: l.Type, Text: l.Answer, DurationS: l.DurationS}, rb)
}

var allTriggers = []string{feedback.TriggerNoExample, feedback.TriggerNoResult, feedback.TriggerNoNumber, feedback.TriggerWeOnly, feedback.TriggerFarTooShort}

// TestFollowUpTriggersOnLabelledAnswers checks every trigger against the
// hand labels: it fires where the label says so and stays silent where it
// does not.
func TestFollowUpTriggersOnLabelledAnswers(t *testing.T) {
	rows := loadLabelled(t)
	rb := feedback.DefaultRulebook()
	fires, silent := map[string]int{}, map[string]int{}
	for _, row := range rows {
		t.Run(row.Name, func(t *testing.T) {
			fired := feedback.FiredTriggers(row.analyze(rb))
			for _, trig := range allTriggers {
				want, ok := row.Labels[trig]
				if !ok {
					t.Fatalf("label %s missing", trig)
				}
				if got := slices.Contains(fired, trig); got != want {
					t.Errorf("trigger %s fired = %v, labelled %v (%s)", trig, got, want, row.Why)
				}
				if want {
					fires[trig]++
				} else {
					silent[trig]++
				}
			}
		})
	}
	for _, trig := range allTriggers {
		if fires[trig] == 0 || silent[trig] == 0 {
			t.Errorf("the labelled answers must have %s both firing (%d) and silent (%d)", trig, fires[trig], silent[trig])
		}
	}
}

// TestChooseFollowUpOnLabelledAnswers checks the follow-up asked: the first
// rule in order that applies to the question type and whose trigger fires,
// or none.
func TestChooseFollowUpOnLabelledAnswers(t *testing.T) {
	rows := loadLabelled(t)
	rb := feedback.DefaultRulebook()
	asked := map[string]bool{}
	for _, row := range rows {
		t.Run(row.Name, func(t *testing.T) {
			fu, ok := rb.ChooseFollowUp(row.analyze(rb), row.Answer, row.Question)
			if got := fu.Rule; got != row.Want || ok != (row.Want != "") {
				t.Fatalf("follow-up %q (%q), want %q (%s)", got, fu.Text, row.Want, row.Why)
			}
			if row.WantText != "" && fu.Text != row.WantText {
				t.Errorf("asked %q, want %q", fu.Text, row.WantText)
			}
			asked[fu.Rule] = true
		})
	}
	for _, r := range rb.FollowUpRules() {
		if !asked[r.ID] {
			t.Errorf("no labelled answer asks %s", r.ID)
		}
	}
}

// expected is the follow-up the labels call for with the rulebook rb: the
// first rule in rb's order that is on, applies to the type and whose
// trigger is labelled as firing.
func (l labelled) expected(rb *feedback.Rulebook) string {
	for _, r := range rb.FollowUpRules() {
		if r.Enabled && slices.Contains(r.Types, string(l.Type)) && l.Labels[r.Trigger] {
			return r.ID
		}
	}
	return ""
}

// TestFollowUpRulesAreEditable switches each rule off in turn and moves the
// last rule first: the follow-up asked follows the labels and the edited
// order, so every rule's trigger, its place and its switch matter.
func TestFollowUpRulesAreEditable(t *testing.T) {
	rows := loadLabelled(t)
	base := feedback.DefaultRulebook()
	off := false
	var edits []feedback.Overrides
	for _, r := range base.FollowUpRules() {
		edits = append(edits, feedback.Overrides{Rules: map[string]feedback.RuleOverride{r.ID: {Enabled: &off}}})
	}
	edits = append(edits, feedback.Overrides{Rules: map[string]feedback.RuleOverride{
		"followup.more":   {Thresholds: map[string]float64{"order": 0}},
		"followup.result": {Text: map[string]string{"question": "And how did it end?"}},
	}})
	for _, o := range edits {
		rb, err := base.With(o)
		if err != nil {
			t.Fatal(err)
		}
		changed := 0
		for _, row := range rows {
			want := row.expected(rb)
			if want != row.Want {
				changed++
			}
			fu, ok := rb.ChooseFollowUp(row.analyze(rb), row.Answer, row.Question)
			if fu.Rule != want || ok != (want != "") {
				t.Errorf("with %s: %s: follow-up %q, want %q", o.Hash(), row.Name, fu.Rule, want)
			}
			if fu.Rule == "followup.result" && o.Rules["followup.result"].Text != nil && fu.Text != "And how did it end?" {
				t.Errorf("reworded follow-up asked as %q", fu.Text)
			}
		}
		if changed == 0 && o.Rules["followup.result"].Text == nil {
			t.Errorf("overrides %+v change no labelled answer's follow-up", o)
		}
	}
}

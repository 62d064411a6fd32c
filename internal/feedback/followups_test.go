package feedback

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/assets"
)

func TestFollowUpSectionIsChecked(t *testing.T) {
	for _, c := range []struct{ name, section, want string }{
		{"unknown trigger", `{"rules": [{"id": "x", "trigger": "nope", "question": "Why?", "types": ["behavioral"]}]}`, "trigger"},
		{"no question", `{"rules": [{"id": "x", "trigger": "no_result", "types": ["behavioral"]}]}`, "question"},
		{"bad type", `{"rules": [{"id": "x", "trigger": "no_result", "question": "Why?", "types": ["chat"]}]}`, "types"},
		{"duplicate", `{"rules": [{"id": "x", "trigger": "no_result", "question": "A?"}, {"id": "x", "trigger": "no_number", "question": "B?"}]}`, "duplicate"},
		{"unknown field", `{"rules": [{"id": "x", "trigger": "no_result", "question": "A?", "wording": "B"}]}`, "wording"},
	} {
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(mustRead(t), &doc); err != nil {
			t.Fatal(err)
		}
		doc["followups"] = json.RawMessage(c.section)
		data, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseRulebook(data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
}

func TestFollowUpOverrides(t *testing.T) {
	rb := DefaultRulebook()
	for _, c := range []struct {
		o    string
		want string // error text; "" for none
	}{
		{`{"rules": {"followup.more": {"enabled": false, "thresholds": {"order": 0}, "text": {"question": "Tell me more about {term}?"}}}}`, ""},
		{`{"rules": {"followup.more": {"thresholds": {"min": 1}}}}`, "no such threshold"},
		{`{"rules": {"followup.more": {"text": {"question": " "}}}}`, "must not be empty"},
		{`{"rules": {"followup.more": {"text": {"greeting": "hi"}}}}`, "no such text"},
		{`{"rules": {"followup.more": {"add": {"keys": ["x"]}}}}`, "no word lists"},
		{`{"rules": {"fillers": {"text": {"question": "Why?"}}}}`, "only follow-up rules"},
	} {
		o, err := ParseOverrides([]byte(c.o))
		if err != nil {
			t.Fatal(err)
		}
		_, err = rb.With(o)
		if (err == nil) != (c.want == "") || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.o, err, c.want)
		}
	}
	// the follow-up rules are listed with the others, in the order tried
	var ids []string
	for _, r := range rb.Rules() {
		if r.Group == "interview" {
			ids = append(ids, r.ID)
			if !strings.Contains(r.Description, "Asks: “") {
				t.Errorf("%s: description does not say what is asked: %s", r.ID, r.Description)
			}
		}
	}
	if got := strings.Join(ids, " "); got != "followup.example followup.result followup.number followup.own_part followup.more" {
		t.Errorf("listed follow-up rules: %s", got)
	}
}

func TestKeyTerm(t *testing.T) {
	rb := DefaultRulebook()
	for _, c := range []struct{ answer, question, want string }{
		{"We moved the billing service to Kubernetes. The billing service was slow.", "Tell me about a migration.", "the billing"},
		{"Last year our deploys kept failing, so I rewrote the deploy script.", "Tell me about a fix.", "deploys"},
		{"I like it. Yes.", "Why us?", ""},
		{"I usually listen first, and I always write the plan down.", "Tell me about yourself.", "the plan"},
		{"Kubernetes, mostly. I ran Kubernetes at my last job.", "What do you know best?", "Kubernetes"},
		{"I led the migration of the payments database. The database had grown too big.", "Tell me about a database migration.", "the payments"},
	} {
		if got := rb.KeyTerm(c.answer, c.question); got != c.want {
			t.Errorf("KeyTerm(%q) = %q, want %q", c.answer, got, c.want)
		}
	}
}

func mustRead(t *testing.T) []byte {
	t.Helper()
	data, err := assets.Read("rulebook.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

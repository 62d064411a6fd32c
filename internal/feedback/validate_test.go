package feedback

import (
	"errors"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// TestContradictoryThresholdsRefused: an edit that leaves a rule's
// thresholds out of order is refused with the reason, and the same
// thresholds in order are accepted.
func TestContradictoryThresholdsRefused(t *testing.T) {
	for _, c := range []struct {
		name, json string
		want       []string // words the error must contain; nil when accepted
	}{
		{"filler suggest below mention", `{"rules":{"fillers":{"thresholds":{"suggest_rate":2}}}}`,
			[]string{"rules.fillers.thresholds", "mention_rate (3)", "suggest_rate (2)", "suggestion", "mention"}},
		{"hedge mention above suggest", `{"rules":{"hedges":{"thresholds":{"mention_rate":4}}}}`,
			[]string{"rules.hedges.thresholds", "mention_rate (4)", "suggest_rate (3)"}},
		{"latency suggest before mention", `{"rules":{"latency":{"thresholds":{"suggest_s":2}}}}`,
			[]string{"rules.latency.thresholds", "mention_s (3)", "suggest_s (2)"}},
		{"pace bands crossed", `{"rules":{"pace":{"thresholds":{"comfortable_low_wpm":200}}}}`,
			[]string{"rules.pace.thresholds", "comfortable_low_wpm (200)", "comfortable_high_wpm (180)"}},
		{"length long before target", `{"rules":{"length":{"thresholds":{"intro_long_s":100}}}}`,
			[]string{"rules.length.thresholds", "intro_target_high_s (120)", "intro_long_s (100)", "intro answers"}},
		{"share above one", `{"rules":{"ownership":{"thresholds":{"we_share":1.5}}}}`,
			[]string{"rules.ownership.thresholds.we_share", "above 1"}},
		{"both rates raised in order", `{"rules":{"fillers":{"thresholds":{"mention_rate":6,"suggest_rate":8}}}}`, nil},
		{"equal rates", `{"rules":{"hedges":{"thresholds":{"mention_rate":3}}}}`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			o, err := ParseOverrides([]byte(c.json))
			if err != nil {
				t.Fatal(err)
			}
			_, err = DefaultRulebook().With(o)
			if c.want == nil {
				if err != nil {
					t.Fatalf("refused thresholds in order: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted contradictory thresholds %s", c.json)
			}
			var ie *rehearse.InputError
			if !errors.As(err, &ie) {
				t.Errorf("error %v is not an input error, so the editor would not show it as it is", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestParseRulebookRefusesContradictoryThresholds: a whole rulebook file
// is checked the same way as an edit.
func TestParseRulebookRefusesContradictoryThresholds(t *testing.T) {
	rb := `{"version":"t","rules":[{"id":"fillers","enabled":true,"thresholds":{"mention_rate":5,"suggest_rate":3}}]}`
	_, err := ParseRulebook([]byte(rb))
	if err == nil || !strings.Contains(err.Error(), "mention_rate (5) is above suggest_rate (3)") {
		t.Fatalf("error = %v", err)
	}
}

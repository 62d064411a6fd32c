package promises

import (
	"encoding/json"
	"testing"

	"github.com/rehearse-app/rehearse/internal/feedback"
)

// FuzzParseOverrides feeds the rulebook-override parser arbitrary bytes (the
// overrides are user-edited JSON kept in the store and imported with
// exports). It must never panic; what it accepts must survive a round trip
// through JSON with the same hash, and applying it to the default rulebook
// must either fail with an error or give a rulebook that lists its rules.
func FuzzParseOverrides(f *testing.F) {
	for _, s := range []string{
		``,
		`{}`,
		`{"fluency": false}`,
		`{"rules": {"fillers": {"thresholds": {"min_total": 6}}}}`,
		`{"rules": {"hedges.just": {"enabled": false}}}`,
		`{"rules": {"fillers.lexical": {"add": {"keys": ["honestly"]}, "remove": {"keys": ["like"]}}}}`,
		`{"rules": {"nope": {"enabled": true}}}`,
		`{"rules": {"fillers": {"thresholds": {"min_total": -1}}}}`,
		`{"fluency": true, "unknown": 1}`,
		`{"rules": {"fillers": {"lists": {"keys": []}}}} trailing`,
		`[1,2,3]`,
		`{"rules": {"fillers": {"thresholds": {"min_total": 1e308}}}}`,
	} {
		f.Add([]byte(s))
	}
	base := feedback.DefaultRulebook()
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := feedback.ParseOverrides(data)
		if err != nil {
			return
		}
		again, err := json.Marshal(o)
		if err != nil {
			t.Fatalf("accepted overrides do not encode: %v", err)
		}
		o2, err := feedback.ParseOverrides(again)
		if err != nil {
			t.Fatalf("accepted overrides %q do not parse after a round trip (%q): %v", data, again, err)
		}
		if o.Hash() != o2.Hash() {
			t.Fatalf("hash changed over a round trip: %s vs %s (%q)", o.Hash(), o2.Hash(), again)
		}
		rb, err := base.With(o)
		if err != nil {
			return
		}
		if len(rb.Rules()) != len(base.Rules()) {
			t.Fatalf("overrides changed the number of rules: %d vs %d", len(rb.Rules()), len(base.Rules()))
		}
	})
}

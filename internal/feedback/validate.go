package feedback

import (
	"fmt"
	"strings"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// thresholdOrder says that a rule's thresholds must not decrease in the
// order given: a rulebook in which a rate earns a suggestion but not a
// mention, or in which the long band starts before the target band, gives
// feedback that contradicts itself, so it is refused when loaded or edited.
type thresholdOrder struct {
	rule  string
	names []string
	why   string
}

var thresholdOrders = []thresholdOrder{
	{"fillers", []string{"mention_rate", "suggest_rate"}, "a filler rate high enough for a suggestion must also be high enough for a mention"},
	{"hedges", []string{"mention_rate", "suggest_rate"}, "a hedge rate high enough for a suggestion must also be high enough for a mention"},
	{"latency", []string{"mention_s", "suggest_s"}, "a delay long enough for a suggestion must also be long enough for a mention"},
	{"repetition.overused", []string{"min_share", "suggest_share"}, "a word frequent enough for a suggestion must also be frequent enough for a mention"},
	{"pace", []string{"slow_wpm", "comfortable_low_wpm", "comfortable_high_wpm", "fast_wpm"}, "the pace bands go from slow through comfortable to fast"},
	{"pauses", []string{"long_s", "very_long_s"}, "a very long pause is also a long one"},
	{"pauses", []string{"long_s", "any_pause_s"}, "a pause that earns a suggestion on its own is also a long one"},
	{"repetition.phrases", []string{"min_n", "long_n", "max_n"}, "phrase lengths go from the shortest through the long ones to the longest"},
}

// unitIntervals are thresholds that are shares or probabilities.
var unitIntervals = [][2]string{
	{"asr.confidence", "min_probability"},
	{"ownership", "we_share"},
	{"repetition.overused", "min_share"},
	{"repetition.overused", "suggest_share"},
}

// lengthTypes are the question types whose length bands must be ordered.
var lengthTypes = []string{"behavioral", "situational", "intro", "motivation", "technical"}

// validate refuses thresholds that contradict each other, naming the
// thresholds, their values and why they must be ordered. The error is an
// input error, so the rulebook editor shows it as it is.
func (rb *Rulebook) validate() error {
	orders := thresholdOrders
	for _, t := range lengthTypes {
		orders = append(orders, thresholdOrder{"length", []string{t + "_short_s", t + "_target_low_s", t + "_target_high_s", t + "_long_s"},
			"the length bands for " + t + " answers go from short through the target to long"})
	}
	for _, o := range orders {
		if err := rb.checkOrder(o); err != nil {
			return err
		}
	}
	for _, u := range unitIntervals {
		r := rb.byID[u[0]]
		if r == nil {
			continue
		}
		if v, ok := r.Thresholds[u[1]]; ok && v > 1 {
			return &rehearse.InputError{Field: "rules." + u[0] + ".thresholds." + u[1],
				Reason: fmt.Sprintf("%g is above 1; it is a share between 0 and 1", v)}
		}
	}
	return nil
}

func (rb *Rulebook) checkOrder(o thresholdOrder) error {
	r := rb.byID[o.rule]
	if r == nil {
		return nil
	}
	for i := 1; i < len(o.names); i++ {
		lo, okLo := r.Thresholds[o.names[i-1]]
		hi, okHi := r.Thresholds[o.names[i]]
		if okLo && okHi && lo > hi {
			return &rehearse.InputError{Field: "rules." + o.rule + ".thresholds",
				Reason: fmt.Sprintf("%s (%g) is above %s (%g), but %s: keep %s",
					o.names[i-1], lo, o.names[i], hi, o.why, strings.Join(o.names, " ≤ "))}
		}
	}
	return nil
}

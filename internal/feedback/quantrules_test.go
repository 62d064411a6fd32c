package feedback

import (
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// TestOutcomeClauseRules: one short answer per outcome-clause rule, in
// words of its own, with the count the rule gives.
func TestOutcomeClauseRules(t *testing.T) {
	for _, c := range []struct {
		name, text string
		typ        rehearse.QuestionType
		want       int
	}{
		{"a vague magnitude is vague", "Printing costs were high. I switched the office to double-sided printing, which saved a few thousand pounds.", rehearse.Behavioral, 0},
		{"an exact magnitude counts", "Printing costs were high. I switched the office to double-sided printing, which saved four thousand pounds.", rehearse.Behavioral, 1},
		{"forms and decades are codes", "Clients kept filing late. I went through their 1099s with each of them, and every return went in on time.", rehearse.Behavioral, 0},
		{"a baseline after compared with belongs to the outcome", "Our pass rate was low. I ran revision clinics, and by June the pass rate was 88%, compared with 64% the year before.", rehearse.Behavioral, 1},
		{"a baseline after versus belongs to the outcome", "Tickets piled up. I added a triage rota, and we closed 140 tickets that week, versus 90 the week before.", rehearse.Behavioral, 1},
		{"a fraction of what the step touched is a parameter", "The form was too long. I removed about a third of the questions, and completion went up by 12%.", rehearse.Behavioral, 1},
		{"a fraction as the size of a change counts", "The bill was too high. I moved the logs to cold storage and cut the bill by a third.", rehearse.Behavioral, 1},
		{"a limit the speaker set is a parameter", "Stand-ups ran long. I kept each stand-up under fifteen minutes, and people told me they liked it.", rehearse.Behavioral, 0},
		{"no episode: a present statement is not an outcome", "The shop is open from 9 to 5, and the queue is longest from 12 to 1. That rhythm suits me.", rehearse.Motivation, 0},
		{"what had happened before the next step", "I opened the dashboards. Error rates had climbed from 1% to 6%. I traced them to a bad retry setting and fixed it, and errors fell back to 1%.", rehearse.Behavioral, 1},
		{"what the speaker found before the next step", "I was asked to cut support load. I sorted a month of tickets and found that 40% of them were password resets. I built a self-service reset page, and tickets fell by a third.", rehearse.Behavioral, 1},
		{"a state in progress before the next step", "I checked the queue. Requests were timing out at a rate of 200 an hour. I raised the pool limit, and the timeouts stopped.", rehearse.Behavioral, 0},
		{"an outcome followed by more steps still counts", "Checkout was slow. I cached the basket, and checkout time fell by 40%. I then rolled the cache out to search as well.", rehearse.Behavioral, 1},
		{"a target changed by someone else is a plan", "When I started on the help desk, my lead decided to cut our response target from eight hours to two hours. I thought that was too tight.", rehearse.Behavioral, 0},
		{"reaching a target is an outcome", "Our team had to cut cloud costs by a fifth. We moved batch jobs to spot instances and hit the target a month early.", rehearse.Behavioral, 1},
		{"a bad state before the next step", "I launched the new rota. Within a week, half the nurses were completely overwhelmed. I split the night shift into two halves, and complaints stopped.", rehearse.Behavioral, 0},
		{"a duration against the plan after a particle", "I ran the fit-out of a clinic at my last firm. We handed it over two weeks early, and the owner gave us the next site too.", rehearse.Behavioral, 1},
		{"no episode: a figure from others is not the speaker's outcome", "Under the standard every lease goes on the balance sheet. Short leases are exempt, and for small assets I think the committee talked about three thousand dollars as a limit. Not much changed for lessors.", rehearse.Technical, 0},
		{"no episode: an outcome told with the speaker's change counts", "Conversion went up 20% after my change to the pricing page.", rehearse.Behavioral, 1},
		{"a duration as the size of a change", "Agents were rushing calls. I coached them to pause before closing, and satisfaction rose from 71 to 84, and call time only went up by about twenty seconds.", rehearse.Behavioral, 2},
		{"a duration the speaker moved a step by is a parameter", "The release clashed with the audit. I pushed the deploy by an hour, and the audit went ahead on time.", rehearse.Behavioral, 0},
		{"a share out of a total", "Our courier went bust the week before Christmas. I booked two backup couriers that morning, and we only lost three parcels out of about four hundred.", rehearse.Behavioral, 1},
		{"a count achieved since the work", "Bad config kept reaching production. I added a canary stage to the pipeline, which has stopped three bad pushes since.", rehearse.Behavioral, 1},
		{"a measure spelled out", "The service kept running out of memory. I removed a listener leak, and memory stayed flat at about three hundred megabytes.", rehearse.Behavioral, 1},
		{"money in pounds before of", "Stock was piling up. I reset the reorder points per item, and we released around £200,000 of working capital.", rehearse.Behavioral, 1},
		{"essentially restates the outcome", "Arrears were climbing. I changed the reminder schedule, and arrears fell to four percent. So, essentially, we halved the arrears rate.", rehearse.Behavioral, 1},
		{"N times a shift is a frequency of the problem", "I joined the plant as a shift engineer. I checked the line logs, and one of the packers kept jamming six or seven times a shift. I replaced a worn sensor, which saved us about ten hours of downtime a month.", rehearse.Intro, 1},
		{"earlier this year is an anchor", "I checked the forecasts. Earlier this year the buyers were complaining that the forecasts came a week late. I moved the run to Sunday night, and the buyers were happy.", rehearse.Behavioral, 0},
		{"a span of the past is context", "Renewals were slipping. I went back through every lost renewal from the previous eighteen months and called each customer, and we won back nine accounts.", rehearse.Behavioral, 1},
		{"a step rescheduled is a parameter", "Reports kept arriving late. I built a checklist and moved the data pull two days earlier, and the client stayed.", rehearse.Behavioral, 0},
		{"finishing early is an outcome", "The office move was tight. I planned the packing by team, and we finished two weeks early.", rehearse.Behavioral, 1},
		{"a partitive won back counts", "Our territory had lost a lot of accounts. I called the biggest customers myself, and we won back six of the accounts we had lost.", rehearse.Behavioral, 1},
		{"a partitive of who did it does not", "Our territory had lost a lot of accounts. I asked two of my colleagues to call the biggest customers with me.", rehearse.Behavioral, 0},
		{"a quantity inside what the speaker offered", "Suppliers kept delivering late. I offered a 5% bonus for early delivery, and late deliveries stopped.", rehearse.Behavioral, 0},
		{"the speaker's step finished early", "The audit was close. I got the evidence pack out three days early.", rehearse.Behavioral, 1},
		{"material the speaker's step worked on", "The charity needed a short film. I cut about thirty hours of interviews down to a five-minute film, and the appeal raised twice what it raised the year before.", rehearse.Behavioral, 1},
		{"a duration against the baseline told before the work", "Our month-end close used to take four full days. I scripted the reconciliations and moved two approvals earlier, and the next close took a day and a half.", rehearse.Behavioral, 1},
		{"a step that took snapshots is not a duration", "Memory kept growing and the service restarted every few hours. I took two heap snapshots an hour apart and found a leaking listener.", rehearse.Behavioral, 0},
		{"under a second is a measured state", "Pages were slow. I cached the four busiest pages, and load time fell to under a second.", rehearse.Behavioral, 1},
		{"a second engineer is not a quantity", "The outage dragged on. I rolled back the config and got a second engineer to review the fix.", rehearse.Behavioral, 0},
		{"a change found and then rolled out", "Returns were high. I added size guides to every product page. After a month I checked and found that returns had dropped by 30%, so I rolled the guides out to our other brand.", rehearse.Behavioral, 1},
		{"a percentage more in progress before the next step", "Tickets piled up every Monday. I set up a triage rota. By March we were closing 30% more tickets per day. I then shared the rota with the other regions.", rehearse.Behavioral, 1},
		{"saves in the present and spread told by its subject", "Reports were built by hand. I wrote a script that builds them, which saves the analysts about four hours a week, and three other teams adopted it.", rehearse.Behavioral, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Analyze(Input{Type: c.typ, Text: c.text, DurationS: 70}, nil)
			if r.Metrics.QuantifiedResults != c.want {
				t.Errorf("quantified_results = %d, want %d", r.Metrics.QuantifiedResults, c.want)
				for _, e := range r.Evidence {
					if e.Metric == "quantified_results" {
						t.Logf("%s | %s", e.Text, e.Reason)
					}
				}
			}
		})
	}
}

// TestUnknownOutcomeIsNoResult: an outcome the speaker says they do not
// know cancels the weak results told before it.
func TestUnknownOutcomeIsNoResult(t *testing.T) {
	for _, c := range []struct {
		name, text string
		result     bool
	}{
		{"not sure how much", "Our onboarding guide was out of date. I rewrote it over a weekend, and the new starters got it on their first day. I'm not sure how much they actually used it.", false},
		{"don't know whether", "The stock counts never matched. I rebuilt the count sheet and trained the Saturday staff on it. I left soon after, so I don't know whether it stuck.", false},
		{"known outcome", "The stock counts never matched. I rebuilt the count sheet and trained the Saturday staff on it. The next count matched to the last box.", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Analyze(Input{Type: rehearse.Behavioral, Text: c.text, DurationS: 70}, nil)
			if r.Metrics.Star.Result != c.result {
				t.Errorf("result = %v, want %v", r.Metrics.Star.Result, c.result)
			}
		})
	}
}

// TestHedgeIDoesNotMakeAnEpisode: the I of a hedge ("I think the committee
// talked about…") does not make past facts about others the speaker's
// episode.
func TestHedgeIDoesNotMakeAnEpisode(t *testing.T) {
	text := "Under the standard every lease goes on the balance sheet. For small assets I think the committee talked about a limit, and not much changed for lessors."
	r := Analyze(Input{Type: rehearse.Technical, Text: text, DurationS: 40}, nil)
	if r.Metrics.Star.Episode {
		t.Errorf("episode found in a technical explanation: %+v", r.Metrics.Star)
	}
}

// TestNewRuleListsAreEditable: the cue lists these rules read live in the
// rulebook, so editing them changes the analysis.
func TestNewRuleListsAreEditable(t *testing.T) {
	text := "Our pass rate was low. I ran revision clinics, and by June the pass rate was 88%, compared with 64% the year before."
	for _, c := range []struct {
		name, overrides string
		want            int
	}{
		{"default", `{}`, 1},
		{"baseline opener removed", `{"rules":{"quantified":{"remove":{"baseline_openers":["compared with"]}}}}`, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			o, err := ParseOverrides([]byte(c.overrides))
			if err != nil {
				t.Fatal(err)
			}
			rb, err := DefaultRulebook().With(o)
			if err != nil {
				t.Fatal(err)
			}
			if got := Analyze(Input{Type: rehearse.Behavioral, Text: text, DurationS: 40}, rb).Metrics.QuantifiedResults; got != c.want {
				t.Errorf("quantified_results = %d, want %d", got, c.want)
			}
		})
	}
	o, _ := ParseOverrides([]byte(`{"rules":{"fillers.filled_pause":{"remove":{"keys":["er"]}}}}`))
	rb, err := DefaultRulebook().With(o)
	if err != nil {
		t.Fatal(err)
	}
	if n := Analyze(Input{Text: "Er, I rebuilt the rota, er, last spring.", DurationS: 10}, rb).Metrics.Fillers["er"]; n != 0 {
		t.Errorf("er counted %d times after it was removed from the filled pauses", n)
	}
}

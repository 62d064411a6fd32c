package feedback

import (
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// TestCareerSummariesAreNoEpisode: career chronologies and summaries of a
// stretch of work have no episode, while one event picked out inside them
// still has one.
func TestCareerSummariesAreNoEpisode(t *testing.T) {
	for _, c := range []struct {
		name, text string
		typ        rehearse.QuestionType
		episode    bool
		quantified int
	}{
		{"a chronology with one step in it", "I studied civil engineering at Leeds Beckett, graduated in 2015. My first job was as a site engineer at a housing developer in Hull, where I checked setting-out for about 200 plots. In 2018 I moved to Sheffield for a planning role with a contractor. I wrote most of the lookahead schedules the site teams still use. Since 2021 I've been a project manager, and I look after four sites and about $12 million a year in work.",
			rehearse.Intro, false, 0},
		{"started out and moved into", "I started out in retail at a garden centre, then after two years I moved into their buying team, where I picked up forecasting. In 2022 I switched to category management at my current company, which meant learning a new system from scratch.",
			rehearse.Behavioral, false, 0},
		{"a stretch of work summed up", "Over my three years at Fernhill I was the top planner in the office twice, I closed out 95% of snag lists within a week most months, and I trained most of the new coordinators.",
			rehearse.Behavioral, false, 0},
		{"a chronology with one event anchored in it", "I'm a chartered accountant, qualified in 2015. I trained at a small audit firm in Derby, where I spent three years on charity clients. Then I moved in-house to a housing group as a management accountant, and I've been there since 2019. I look after the month-end close, and we moved to a new finance system last year. Now I'm looking for a role with more business partnering.",
			rehearse.Intro, false, 0},
		{"a present frame around a past clause", "I want this role because of the product. That's a big part of why your posting caught my eye. I enjoy building tools that people use every day.",
			rehearse.Motivation, false, 0},
		{"a step in a chronology with a measured outcome", "I studied economics at Leeds and graduated in 2015. I joined a bank as an analyst, then I moved to a fintech in 2018 as a product analyst. In 2021 I moved to Acme as head of billing. There, I rebuilt the billing pipeline, and invoice errors were down 40% by the end of the year.",
			rehearse.Intro, true, 1},
		{"one event picked out of a career", "I studied economics at Durham and joined a bank as an analyst in 2016. I moved to a fintech in 2019. Last year our payment run failed on a Friday night. I rolled back the release and rebuilt the file by hand, and every supplier was paid on Monday.",
			rehearse.Intro, true, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Analyze(Input{Type: c.typ, Text: c.text, DurationS: 60}, nil)
			if r.Metrics.Star.Episode != c.episode {
				t.Errorf("episode = %v, want %v (%+v)", r.Metrics.Star.Episode, c.episode, r.Metrics.Star)
			}
			if r.Metrics.QuantifiedResults != c.quantified {
				t.Errorf("quantified_results = %d, want %d", r.Metrics.QuantifiedResults, c.quantified)
			}
		})
	}
}

// TestDaysAndMonthsAreNotEmployers: a capitalised day or month after a
// career verb is when the step happened, not a company, so the clause is
// a concrete step, not career history; and "I set up" is a past step when
// the answer tells something else in the past ("the backlog was cleared").
func TestDaysAndMonthsAreNotEmployers(t *testing.T) {
	for _, text := range []string{
		"The backlog was huge. I set up a triage rota, and within ten days the backlog was cleared.",
		"The forecasts reached the buyers too late. I moved the forecast run to Sunday night, and the buyers had them first thing on Monday.",
		"The audit clashed with the year-end close. I moved the audit prep to early November, and the close finished on time.",
	} {
		r := Analyze(Input{Type: rehearse.Behavioral, Text: text, DurationS: 40}, nil)
		if !r.Metrics.Star.Episode || !r.Metrics.Star.Action {
			t.Errorf("%q: episode %v action %v, want both", text, r.Metrics.Star.Episode, r.Metrics.Star.Action)
		}
	}
}

// TestNoEpisodeInPlansAndRoutines: verbs whose past and base forms are the
// same (put, let, set) do not turn a plan or a routine into a story.
func TestNoEpisodeInPlansAndRoutines(t *testing.T) {
	for _, c := range []struct {
		name, text string
		typ        rehearse.QuestionType
	}{
		{"I'd with put is would", "Let me start with the load. I'd expect a few thousand writes a second. I'd store events in a log, and then I'd put a cache in front of the read path, since most reads hit recent items. A stale entry gets evicted after a minute.", rehearse.Technical},
		{"a routine with let", "When two people clash, I separate them first. I let each of them talk without interruption, then I bring them back together and we agree on one next step. Usually nobody feels ignored.", rehearse.Behavioral},
		{"trained at is career history", "I'm a chartered surveyor, qualified in 2016. I trained at a small practice in York, where I spent three years on residential work. Then I moved in-house to a housing association as a senior surveyor, and I've been there since 2020.", rehearse.Intro},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Analyze(Input{Type: c.typ, Text: c.text, DurationS: 50}, nil)
			if r.Metrics.Star.Episode {
				t.Errorf("episode found: %+v", r.Metrics.Star)
			}
		})
	}
}

// TestBackgroundBeforeTheNextStepIsSituation: a past perfect or past
// progressive told before the speaker's next step is what was going on;
// told after the last step it is what came of the work.
func TestBackgroundBeforeTheNextStepIsSituation(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       starWant
	}{
		{"had been shrinking, then steps", "Last spring I set myself a goal of rebuilding the northern territory, which had been shrinking for two years. I needed to get it back to where it was before the old rep left. I called every lapsed account and rebuilt the price list.", starWant{s: true, t: true, a: true}},
		{"was handling, after the last step", "A new hire was struggling with support tickets. I sat with her for a week and showed her the macros. A month later she was handling the queue on her own.", starWant{s: true, a: true, r: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Analyze(Input{Type: rehearse.Behavioral, Text: c.text, DurationS: 50}, nil)
			if got := starOf(r); got != c.want {
				t.Errorf("star = %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestPlansAndLessonsAreNoResult: a step scheduled for later and how the
// speaker is now are not outcomes of the actions.
func TestPlansAndLessonsAreNoResult(t *testing.T) {
	for _, c := range []struct {
		name, text string
		result     bool
	}{
		{"goes out next week", "Our volunteer rota was a mess. I asked every volunteer for their availability and rebuilt the rota in a shared sheet, and the first new rota goes out next week.", false},
		{"launches tomorrow", "Our volunteer rota was a mess. I asked every volunteer for their availability and rebuilt the rota in a shared sheet. It launches tomorrow.", false},
		{"I'm careful now", "I once shipped a price change without a second check, and a customer was overcharged. I told my manager straight away and refunded the customer. I'm really careful about that now.", false},
		{"the go-to person now", "Nobody on the team understood the new booking tool. I read the manual, built a cheat sheet and ran two lunchtime demos. I'm now the go-to person for it.", true},
		{"the team uses it now", "Our volunteer rota was a mess. I asked every volunteer for their availability and rebuilt the rota in a shared sheet. Everyone uses it now.", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Analyze(Input{Type: rehearse.Behavioral, Text: c.text, DurationS: 50}, nil)
			if r.Metrics.Star.Result != c.result {
				t.Errorf("result = %v, want %v (%+v)", r.Metrics.Star.Result, c.result, r.Metrics.Star)
			}
		})
	}
}

// TestClaimsAndCareerMovesAreNotSteps: a vague step whose object is a
// competency is a restatement, a career verb with "as a <role>" is career
// history, and a career verb whose object is a thing is a concrete step.
func TestClaimsAndCareerMovesAreNotSteps(t *testing.T) {
	for _, c := range []struct {
		name, q, text string
		want          starWant
	}{
		{"showed initiative with an anchor", "Tell me about a time you took the initiative.",
			"I showed a lot of initiative on the depot rebuild at my old firm. It went really well and the depot opened on time.", starWant{r: true}},
		{"a one-line claim by the competency's verb", "Tell me about a time you showed leadership.",
			"I led the move of our support desk to a new ticketing tool last spring. It went really well and nobody lost a ticket.", starWant{r: true}},
		{"a step named by the question's verb", "Tell me about a time you automated something.",
			"I automated the weekly stock report for our buyers last spring. It went really well and nobody missed a delivery.", starWant{a: true, r: true}},
		{"moved it to a new host", "Tell me about a time you improved performance.",
			"Our booking page was slow. I moved it to a static host, and bookings doubled that month.", starWant{s: true, a: true, r: true}},
		{"moved in-house as a controller", "Tell me about yourself.",
			"I trained at an audit firm in Hull, where I spent three years on retail clients. Then I moved in-house to a shipping group as a financial controller, and I've been there since 2021.", starWant{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Analyze(Input{Question: c.q, Type: rehearse.Behavioral, Text: c.text, DurationS: 50}, nil)
			if got := starOf(r); got != c.want {
				t.Errorf("star = %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestResponsibilityToldWithIt: "it was my responsibility to…", "it was
// mine to sort out" state the speaker's duty: the Task.
func TestResponsibilityToldWithIt(t *testing.T) {
	for _, text := range []string{
		"Two drivers kept arguing over routes. I was the shift lead, so it was my responsibility to sort it out. I met them both and split the routes by postcode, and the arguments stopped.",
		"The payroll run failed on a Friday. I was on call, so it was mine to sort out. I reran the batch by hand, and everyone was paid on time.",
	} {
		r := Analyze(Input{Type: rehearse.Behavioral, Text: text, DurationS: 50}, nil)
		if !r.Metrics.Star.Task {
			t.Errorf("%q: no task", text)
		}
	}
}

// TestMishapIsAnEvent: a mishap of the speaker ("I once missed a
// deadline") is a bounded past event, so a failure told with a lesson is
// an episode with a Situation.
func TestMishapIsAnEvent(t *testing.T) {
	text := "I once missed a deadline by two days because I didn't ask for help. My manager was understanding. I learned to flag risks early."
	r := Analyze(Input{Question: "Tell me about a time you failed.", Type: rehearse.Behavioral, Text: text, DurationS: 30}, nil)
	if !r.Metrics.Star.Episode || !r.Metrics.Star.Situation || r.Metrics.Star.Result {
		t.Errorf("star = %+v, want an episode with a Situation and no Result", r.Metrics.Star)
	}
	text = "I missed a handover detail on a night shift once. I told the charge nurse straight away and we corrected the chart. The patient was fine."
	r = Analyze(Input{Question: "Tell me about a time you made a mistake.", Type: rehearse.Behavioral, Text: text, DurationS: 30}, nil)
	if got, want := starOf(r), (starWant{s: true, a: true, r: true}); got != want {
		t.Errorf("star = %+v, want %+v: the mishap is the Situation", got, want)
	}
}

// TestLateDeliveryIsAResult: after the speaker's last step, a delivery
// told with its delay ("we handed over four days late") is the outcome.
func TestLateDeliveryIsAResult(t *testing.T) {
	text := "One of our sites fell three weeks behind after a supplier went bust. I found a new supplier and ran daily check-ins, and we handed over only four days late."
	r := Analyze(Input{Type: rehearse.Behavioral, Text: text, DurationS: 30}, nil)
	if !r.Metrics.Star.Result {
		t.Errorf("star = %+v, want a Result", r.Metrics.Star)
	}
}

// TestTeamWorkAndTheClientsChoice: "we all presented" is a step told with
// we, "I'd been there two months" is a past perfect, not a plan, and the
// client's choice after the team's work is the Result.
func TestTeamWorkAndTheClientsChoice(t *testing.T) {
	text := "I was the junior planner on a bid for a new library. I'd been there maybe two months. The lead architect did most of the design work, and we all presented two schemes to the council. The council picked the first scheme, and it opens next spring."
	r := Analyze(Input{Question: "Tell me about a time you learned from others.", Type: rehearse.Behavioral, Text: text, DurationS: 40}, nil)
	if got, want := starOf(r), (starWant{s: true, r: true}); got != want {
		t.Errorf("star = %+v, want %+v", got, want)
	}
	for _, c := range []struct {
		text string
		hyp  bool
	}{
		{"I'd been there two months when the audit started.", false},
		{"I'd run the numbers again before deciding.", true},
	} {
		lx := lexerFor(c.text)
		cs := splitClauses(lx.ts, lx.rb)
		if got := lx.hypothetical(cs[0], lx.subjIndex(cs[0])); got != c.hyp {
			t.Errorf("%q: hypothetical = %v, want %v", c.text, got, c.hyp)
		}
	}
}

// lexerFor tokenises text with the default rulebook, as Analyze does.
func lexerFor(text string) *lexer {
	rb := DefaultRulebook()
	tk := tokenize(Input{Text: text}, rb)
	markClauseStarts(tk.toks, rb)
	lx := &lexer{rb: rb, ts: tk.toks}
	lx.run()
	return lx
}

// TestPrepositionalAfterIsAMainClause: "After the fix the counts matched"
// is a main clause with a time phrase, so it can be the Result; "After
// the team left, I…" still opens a subordinate clause.
func TestPrepositionalAfterIsAMainClause(t *testing.T) {
	text := "The stock counts never matched the system. I recounted the high-value aisles myself and found a scanner fault. After the fix the counts matched."
	r := Analyze(Input{Type: rehearse.Behavioral, Text: text, DurationS: 30}, nil)
	if !r.Metrics.Star.Result {
		t.Errorf("star = %+v, want a Result", r.Metrics.Star)
	}
	lx := lexerFor("After the team left, I rebuilt the rota.")
	if cs := splitClauses(lx.ts, lx.rb); !cs[0].subordinate {
		t.Errorf("%q: not subordinate", "After the team left,")
	}
}

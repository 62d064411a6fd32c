package feedback

import (
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

type starWant struct{ s, t, a, r bool }

func starOf(r *Result) starWant {
	st := r.Metrics.Star
	return starWant{st.Situation, st.Task, st.Action, st.Result}
}

// TestEpisodeGate: answers that tell no specific past event score no STAR
// component and say so in the evidence; an episode inside another answer
// type is found.
func TestEpisodeGate(t *testing.T) {
	for _, c := range []struct {
		name, text string
		typ        rehearse.QuestionType
		episode    bool
		want       starWant
	}{
		{"hypothetical", "I would call the client first to hear what went wrong. Then I'd write down the options, and we would agree on a plan together. I'd follow up a week later.",
			rehearse.Situational, false, starWant{}},
		{"habitual", "I always write the release notes myself. When a release slips, I tell the account managers the same day and I usually send customers a short update.",
			rehearse.Behavioral, false, starWant{}},
		{"career chronology", "I studied physics at Durham and joined Arm as a verification engineer. After two years there I moved to Graphcore, where I worked on the compiler team. Since then I've been a tech lead.",
			rehearse.Intro, false, starWant{}},
		{"responsibilities", "In my role as a team lead I was responsible for hiring. I handled interviews, onboarding and reviews, and I met each new starter every week. Conflicts were part of the job.",
			rehearse.Behavioral, false, starWant{}},
		{"experience list", "I've shipped three mobile apps, I've mentored junior developers and I've spoken at two conferences. I enjoy the mix of building and teaching.",
			rehearse.Intro, false, starWant{}},
		{"present-tense explanation with let and cost", "Replicas may disagree for a short time. Systems like DynamoDB let you choose strongly consistent reads, at roughly double the cost.",
			rehearse.Technical, false, starWant{}},
		{"used to", "At my old job I used to run the weekly stand-up and keep it short. People would bring blockers and I'd assign an owner to each one.",
			rehearse.Behavioral, false, starWant{}},
		{"facts about the world in the past", "REST became popular in the 2000s because it used plain HTTP verbs. GraphQL was released by Facebook in 2015 to let clients ask for exactly the fields they need.",
			rehearse.Technical, false, starWant{}},
		{"list of accomplishments", "I've led several successful projects. I delivered a new CRM integration, I ran the migration to the cloud, and I built the reporting dashboards that our sales team uses.",
			rehearse.Behavioral, false, starWant{}},
		{"conditional example", "I'd look at the data first. For example, if sign-ups dropped, I'd check whether the drop came from one channel. Once I knew the cause, I'd propose one change.",
			rehearse.Situational, false, starWant{}},
		{"starting a new job is career history", "I started a new job in logistics in 2019 and moved to a planning role a year later. I joined the Leeds office after that.",
			rehearse.Intro, false, starWant{}},
		{"responsibilities in the present after a time phrase", "Day to day I advise managers on performance issues and I run our promotion calibration. Before this I was a recruiter for five years.",
			rehearse.Intro, false, starWant{}},
		{"the listener's company history", "I've followed your company since you launched the open-source version in 2018. You grew the community to thousands of contributors. I also liked how openly your team wrote about the outage last year.",
			rehearse.Motivation, false, starWant{}},
		{"embedded in technical", "Generally you add an index on the filtered columns. Last month our search page timed out for big accounts. I added a composite index, and the timeouts stopped.",
			rehearse.Technical, true, starWant{s: true, a: true, r: true}},
		{"embedded in motivation", "I love building tools for support teams. Last year our agents were copying order data by hand into every ticket. I wrote a browser extension that filled it in, and the agents adopted it within a week.",
			rehearse.Motivation, true, starWant{s: true, a: true, r: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Analyze(Input{Type: c.typ, Text: c.text, DurationS: 60}, nil)
			if r.Metrics.Star.Episode != c.episode || starOf(r) != c.want {
				t.Errorf("episode %v star %+v, want %v %+v", r.Metrics.Star.Episode, starOf(r), c.episode, c.want)
			}
			found := false
			for _, e := range r.Evidence {
				if e.Metric == "star.episode" {
					found = e.Text == noEpisodeText && e.Rule == episodeRule && e.Reason != ""
				}
			}
			if found == c.episode {
				t.Errorf("no-episode evidence shown = %v with episode = %v: %+v", found, c.episode, r.Evidence)
			}
		})
	}
}

// TestStarComponents covers the component rules on answers that tell an
// episode: mid-story steps, pending outcomes, we-only actions, stative
// clauses with I, restated competencies and anchors on one's own action.
func TestStarComponents(t *testing.T) {
	for _, c := range []struct {
		name, q, text string
		want          starWant
	}{
		{"mid-story step is not a result", "Tell me about a time you fixed a build.",
			"Our build broke on Monday morning. I asked the platform team for help, and they found a stale cache. I cleared the cache and rebuilt the image.",
			starWant{s: true, a: true}},
		{"pending outcome is not a result", "Tell me about a time you reduced churn.",
			"Churn was rising among small accounts. I launched a win-back email to lapsed users. It's too early to say whether it worked, and we'll know more next quarter.",
			starWant{s: true, a: true}},
		{"a pending clause about another outcome keeps the result", "Tell me about a time you fixed a billing problem.",
			"Last spring our invoicing sent some customers two bills. I traced it to a retry in the mailer and made each send idempotent. Double bills stopped that week. We're still waiting to hear whether the bank will refund the extra fees.",
			starWant{s: true, a: true, r: true}},
		{"time spent on a step is an action", "Tell me about a time you helped a colleague.",
			"A new nurse on our ward was struggling with the drug charts before her first night shift. I spent an afternoon going through the charts with her. She passed her assessment the next week.",
			starWant{s: true, a: true, r: true}},
		{"a step set before each release is not a habit", "Tell me about a time you fixed a process.",
			"Our releases kept slipping because testing started too late. I introduced a code freeze two days before each release and wrote a checklist for the testers. The next releases went out on schedule.",
			starWant{s: true, a: true, r: true}},
		{"a repetition closed by a span is one stretch of the story", "Tell me about a time you saved a client relationship.",
			"A client threatened to leave after we missed two deadlines. I met their marketing lead every Monday for six weeks and rebuilt the schedule with them. The client renewed.",
			starWant{s: true, a: true, r: true}},
		{"our design team had to: the team's task", "Tell me about a time you worked in a team.",
			"Last year our design team had to redo the app icons for a rebrand. We split the icons by category and reviewed each other's work. We delivered them a week early.",
			starWant{s: true, t: true, r: true}},
		{"a place named with I after its noun is not a step", "Tell me about a time you dealt with a safety problem.",
			"On a site I ran, the foreman kept skipping the safety briefing. The safety officer reported him, and he was replaced within a week.",
			starWant{s: true}},
		{"a partitive subject after a comma starts a clause", "Tell me about a time you gave feedback.",
			"On a construction site I supervised, one of the foremen kept skipping the safety briefing. I took him aside after lunch and told him his crew could not start without it. He came to every briefing after that.",
			starWant{s: true, a: true, r: true}},
		{"a problem that did not come back is a result", "Tell me about a time you fixed a supply problem.",
			"The shop floor kept running out of labels. My manager asked me to sort it. I set up a reorder point in the stock system. We never ran out again.",
			starWant{s: true, t: true, a: true, r: true}},
		{"our team of N had to: the team's task", "Tell me about a time you met a tight deadline.",
			"Last year our team of accountants had to close the books two days sooner. I split the reconciliations into pairs and took the bank ones myself. We closed a day early.",
			starWant{t: true, a: true, r: true}},
		{"a habit of what the speaker noticed is the situation", "Tell me about a time you improved a service.",
			"As the duty pharmacist, I noticed our prescription queue was always the longest in the area. I set up text reminders for repeat orders. Queue times at the counter halved.",
			starWant{s: true, a: true, r: true}},
		{"others have stopped: a lasting outcome", "Tell me about a time you changed how a team works.",
			"Our warehouse team kept asking for printed pick lists. I built a tablet view and trained the pickers on it. They've stopped asking for paper. We're still waiting to hear whether the site will buy more tablets.",
			starWant{s: true, a: true, r: true}},
		{"a career verb with an object is a step", "Tell me about a time you improved a process.",
			"Our invoices went out late every month because approvals sat in email. I moved approvals into the finance system and started a reminder for each approver. Invoices have gone out on the first working day ever since.",
			starWant{s: true, a: true, r: true}},
		{"a hedged prediction is not a result", "Tell me about a time you resolved a disagreement.",
			"Designers and engineers kept arguing in every review. I proposed a shared component library and ran two workshops. I think it will cut review time a lot once it's finished.",
			starWant{s: true, a: true}},
		{"a negative outcome after the last step is a result, not the situation", "Tell me about a project that failed.",
			"In my first year I was asked to launch a referral programme. I wrote the spec and launched it in April. Hardly anyone sent an invite, and the programme was shut down three months later.",
			starWant{t: true, a: true, r: true}},
		{"a release followed by 'not yet' is pending", "Tell me about a time you tried to grow a product.",
			"Our active users had been flat for two quarters. I interviewed churned users and redesigned the first-run experience, and we released it to all new users on Monday. It's only been a week, so we don't have the retention numbers yet.",
			starWant{s: true, a: true}},
		{"vague perseverance is not an action", "Tell me about a time you showed resilience.",
			"Our team was cut in half during a restructure. I stayed positive, I kept going and I made sure the work got done. In the end we hit all our deadlines.",
			starWant{s: true, r: true}},
		{"a step told as what I did was", "Tell me about an incident.",
			"Two engineers were fixing the same outage without talking to each other. What I did was take the incident lead role and give each of them a separate part to check. We found the cause quickly.",
			starWant{s: true, a: true, r: true}},
		{"a lasting outcome in the present", "Tell me about a time you digitised a process.",
			"Our warehouse team was logging damaged stock on paper. I built a mobile form that wrote straight into our stock system. Damage reports now reach purchasing the same day.",
			starWant{s: true, a: true, r: true}},
		{"an assignment after the last step is a result", "Tell me about a time you showed leadership.",
			"Last March our lead left suddenly in the middle of a release. I took over the release checklist and negotiated with the client to drop one feature. We shipped on the original date, and I was asked to stay on as acting lead afterwards.",
			starWant{s: true, a: true, r: true}},
		{"our restaurant had to: the team's task", "Tell me about a time you adapted to change.",
			"During the pandemic our restaurant had to switch to delivery in a week. We set up an online menu and we trained the kitchen on packaging. Delivery ended up covering most of our lost revenue.",
			starWant{s: true, t: true, r: true}},
		{"a past team habit is the situation", "Tell me about a time you improved code review.",
			"On my current team we used to have pull requests waiting for days. I suggested a rota where two people each day own the review queue, and our median time to first review went from two days to three hours.",
			starWant{s: true, a: true, r: true}},
		{"a concrete first step that shares the question's verb", "Tell me about a time you automated something.",
			"Our invoice processing took five days on average. I automated the matching of invoices to purchase orders. Processing time dropped to one day.",
			starWant{s: true, a: true, r: true}},
		{"I owned inside a noun phrase is not a task", "Tell me about a mistake you made.",
			"In my first job I didn't document anything, and when I went on holiday nobody could fix a broken import I owned. When I got back I wrote a runbook for every job and walked two teammates through them.",
			starWant{s: true, a: true}},
		{"hoped-for outcome is not a result", "Tell me about a time you improved onboarding.",
			"New hires kept asking the same setup questions. I wrote a setup guide and recorded a short video. Hopefully the next starters will find it easier.",
			starWant{s: true, a: true}},
		{"we-only story has no action", "Tell me about a time you met a deadline.",
			"The launch date moved up by two weeks. We cut the scope, we split the work and we tested every evening. We launched on the new date.",
			starWant{s: true, r: true}},
		{"stative clauses with I are not actions", "Tell me about a time you disagreed with someone.",
			"My lead wanted to skip the load test. I felt it was risky and I was worried about the holiday traffic. In the end the release was delayed until January.",
			starWant{s: true, r: true}},
		{"claim followed by an outcome", "Tell me about a time you showed leadership.",
			"I showed leadership when I led the data centre move at my old company. I led the team through it. It was a big success.",
			starWant{r: true}},
		{"anchor on one's own action is not a situation", "Tell me about a time you took ownership.",
			"At my previous company I ran the supplier onboarding. I called every supplier, collected their tax forms and entered them in the ledger. Every supplier was paid on time.",
			starWant{a: true, r: true}},
		{"a duty told with words in between is the task", "Tell me about a time you calmed a customer down.",
			"A guest at the front desk was shouting about a lost booking. I was on the late shift, and my job that night was to find him a room. I rang two partner hotels and booked him a suite across the road. He thanked us the next morning.",
			starWant{s: true, t: true, a: true, r: true}},
		{"putting one's hand up is the task", "Tell me about a time you volunteered.",
			"Our charity's newsletter had not gone out for months. I put my hand up to restart it. I collected stories from four volunteers and sent the first issue in May. Donations from readers picked up that summer.",
			starWant{s: true, t: true, a: true, r: true}},
		{"scene-setting clause with I is a situation", "Tell me about a time you took initiative.",
			"When I joined the finance team, month-end close took a full week. I scripted the bank reconciliation. The close finished in three days the next month.",
			starWant{s: true, a: true, r: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Analyze(Input{Question: c.q, Type: rehearse.Behavioral, Text: c.text, DurationS: 70}, nil)
			if got := starOf(r); got != c.want {
				t.Errorf("star %+v, want %+v", got, c.want)
				for _, e := range r.Evidence {
					t.Logf("%s %s | %s | %s", e.Metric, e.Rule, e.Text, e.Reason)
				}
			}
			for _, e := range r.Evidence {
				if len(e.Metric) > 5 && e.Metric[:5] == "star." && (e.Rule == "" || DefaultRulebook().byID[e.Rule] == nil) {
					t.Errorf("evidence %s names no rule of the rulebook: %q", e.Metric, e.Rule)
				}
			}
		})
	}
}

// TestQuantifiedOutcomeClauses counts outcome clauses, not numbers.
func TestQuantifiedOutcomeClauses(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       int
	}{
		{"durations of context and work, team size", "Two years ago our team of six engineers took over billing. I rewrote the invoice job over three months, and invoice errors fell by 40%.", 1},
		{"baseline in the situation", "Our NPS was stuck at 31 for a year. I rebuilt the help centre, and NPS rose to 45.", 1},
		{"coordinated outcome clauses", "Queries were slow. I added caching, which cut costs by 20% and saved the team 5 hours a week.", 2},
		{"subject and verb after and", "Replies were slow. I set up a rota, and by March the backlog was down to 40 tickets and first replies came in two hours instead of a day.", 2},
		{"multipliers", "Our landing page was slow. I rebuilt it with static rendering. Sign-ups doubled and page load time halved.", 2},
		{"spelled-out numbers", "Leads were drying up. I ran a webinar series, and it brought in forty-two new leads.", 1},
		{"restated outcome", "The bill was too high. I moved our logs to cold storage. The bill fell to $30,000 a month, so that's a saving of $10,000 a month.", 1},
		{"time of day is not a quantity", "Reports arrived at noon. I moved the job to hourly runs, and now the reports arrive by 8 a.m.", 0},
		{"action parameters and frequencies of work", "The status page went stale. I made the checker poll every five seconds, and I rehearsed the switch twice.", 0},
		{"a count of things made is not a change", "The tests were thin. I wrote three more tests for the parser.", 0},
		{"particle, not comparison", "Staging was full. I shut down eleven idle environments.", 0},
		{"duration against the plan", "The vendor was closing the old system. I wrote the migration scripts, and we moved everything a week before the deadline.", 1},
		{"spread of an outcome", "Forklifts and pickers shared aisles. I piloted painted walkways, and the site manager rolled them out to four more sites.", 1},
		{"team of N is scope", "I run a team of five testers. Last year our suite was slow. I rewrote it, and it now runs in four hours instead of two days.", 1},
		{"time of day with a colon", "Desks were not ready. I labelled every box, and everyone had a working desk by 9:30.", 0},
		{"spread to other teams", "Staging ran all weekend. I scheduled it to shut down on Fridays, which saved $3,000 a month, and finance used the same schedule for two other teams.", 2},
		{"a list of steps is split", "Hiring was slow. I cut the take-home test, combined two interview rounds into one, and time to offer fell to three weeks.", 1},
		{"a change noun restates the outcome", "Agents rewrote answers by hand. I rewrote the most-used macros, which cut handling time by 90 seconds. That's about a 15% improvement.", 1},
		{"which is worth: another outcome", "The upgrade page converted poorly. I rewrote it, and conversion ended up two points higher, which is worth about $40,000 a quarter.", 2},
		{"a percentage measured after the work", "We launched a referral programme. I wrote the spec and launched it in April. Only about 2% of users sent an invite.", 1},
		{"a threshold is a setting", "The disk filled up. I cleared the logs and wrote a runbook. Since then we've had alerts at 80% disk and no repeat.", 0},
		{"N times is a multiplier", "The site had fallen over the year before. I load-tested the checkout at five times the expected traffic and tuned the pool. On the day, we handled three times the previous year's peak.", 1},
		{"half a percent", "Our unsubscribe rate was two percent per send. I segmented the list, and the rate dropped to half a percent.", 1},
		{"in under an hour is the time the work took", "Two engineers were fixing the same outage. I took the lead and split the work. We found the cause in under an hour.", 0},
		{"all N of: spread", "Stock was logged on paper. I built a mobile form, and it has since been adopted by all six of our warehouses.", 1},
		{"a cut before the speaker's step is the situation", "Our team was cut in half during a restructure. I stayed positive and kept going. In the end we hit all our deadlines.", 0},
		{"no episode: experience up to now is not an outcome clause", "I'm a civil engineer with nine years in bridge inspection. I lead a team of six, and I've cut our report turnaround from three weeks to one.", 0},
		{"no episode: a habit is not an outcome clause", "I review every supplier contract myself, and I usually get the price down by 10% at renewal.", 0},
		{"the number of people reporting is not the outcome", "Our wiki was out of date. I rewrote the setup pages, and five new hires told me it saved them days.", 0},
		{"a count of things achieved", "The snow kept half the crew at home. I re-planned the rounds, and all twelve patients got their visits on time.", 1},
		{"the next N went out on schedule", "Our releases kept slipping. I moved testing into the first week of the sprint, and our next four releases shipped on schedule.", 1},
		{"a rating", "The workshop got poor reviews. I rewrote the exercises, and the next group rated it nine out of ten.", 1},
		{"a frequency after the work", "The nightly import failed about twice a week. I added retries, and after that it failed about once a month.", 1},
		{"a measured state with a unit", "Our service kept running out of memory. I fixed a leaking cache, and memory stayed at about 500 MB.", 1},
		{"a count the speaker's own step touched", "The pitch was too long. I cut the deck from forty slides to fifteen, and the client signed that week.", 0},
		{"a count the team's own step touched", "The launch was at risk. We cut two features and we paired on the rest.", 0},
		{"a vague count is not a quantity", "The backlog was huge. I triaged it, and we closed a couple of hundred tickets.", 0},
		{"spread told with we", "The trial worked at one clinic. I wrote the guide, and we rolled it out to four more sites.", 1},
		{"N of them opening the clause counts what was achieved", "The shop lost customers. I called 30 customers and offered each a discount. Twelve of them came back.", 1},
		{"in other words restates, whatever the unit", "The help desk was swamped. I launched a chatbot, and tickets fell 25%. In other words, a quarter fewer tickets.", 1},
		{"coordinated outcomes of different kinds", "Donations were down. I redesigned the appeal letter, and donations rose by a third and the average gift went up by £12.", 2},
		{"a counterfactual cost", "If we hadn't caught it, the penalty would have cost 4,000 euros. I caught it the night before.", 0},
		{"within N days never counts", "The audit was coming. I organised the files, and we were ready within ten days.", 0},
		{"scope of the store is not an outcome", "Our store had 5,000 orders a day. I changed the packing line, and mis-packs dropped by 60%.", 1},
		{"a label after its noun is an ordinal", "The month-end close was slow. I split the reconciliations, and we closed on day three.", 0},
		{"a duration inside what the speaker's step lets others do", "Queues were long. I set up a text reminder that let patients order three days ahead, and queue times halved.", 1},
		{"an outcome told as a gerund of the speaker's step", "Returns were high. I rewrote the size guide, cutting returns by a fifth.", 1},
		{"a count of things sold", "Our charity needed funds. I organised a quiz night, and we sold all 200 tickets.", 1},
		{"from N to M clients", "The firm had few clients. I started a referral scheme, and we went from 3 to 12 clients in a year.", 1},
		{"the length of the work is not an outcome", "The vet practice lost bookings. I built an online booking page. It took me three weekends.", 0},
		{"counts of the speaker's steps are parameters", "Engagement was low. I interviewed twelve patients and sent 500 surveys. The ward scored higher afterwards.", 0},
		{"which also lifted: a second outcome", "The app crashed often. I fixed the memory leak, and crashes dropped by 90%, which also lifted our rating from 3.1 to 4.4.", 2},
		{"a multiplier restated with its values", "Attendance was low. I changed the class times, and attendance doubled, from about ten people to twenty.", 1},
		{"reason clause is not an outcome", "I redesigned the checkout because a third of users dropped off at payment. The test is still running.", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Analyze(Input{Type: rehearse.Behavioral, Text: c.text, DurationS: 70}, nil)
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

// TestOverridesChangeStarAndQuantified: the STAR and quantity rules run on
// the rulebook's thresholds, lists and maps, so overriding them changes the
// analysis.
func TestOverridesChangeStarAndQuantified(t *testing.T) {
	with := func(js string) *Rulebook {
		t.Helper()
		o, err := ParseOverrides([]byte(js))
		if err != nil {
			t.Fatal(err)
		}
		rb, err := DefaultRulebook().With(o)
		if err != nil {
			t.Fatal(err)
		}
		return rb
	}
	episode := Input{Type: rehearse.Behavioral, Text: "Last month our search page timed out. I added an index, and the timeouts stopped.", DurationS: 60}
	if !Analyze(episode, nil).Metrics.Star.Episode {
		t.Fatal("no episode with the default rulebook")
	}
	if r := Analyze(episode, with(`{"rules":{"star.episode":{"thresholds":{"min_events":5}}}}`)); r.Metrics.Star.Episode || r.Metrics.Star.Action {
		t.Errorf("min_events 5: episode %v action %v", r.Metrics.Star.Episode, r.Metrics.Star.Action)
	}
	if r := Analyze(episode, with(`{"rules":{"star.episode":{"enabled":false},"star.action":{"enabled":false}}}`)); !r.Metrics.Star.Episode || r.Metrics.Star.Action {
		t.Errorf("episode and action rules off: episode %v action %v", r.Metrics.Star.Episode, r.Metrics.Star.Action)
	}
	spelled := Input{Type: rehearse.Behavioral, Text: "Leads were drying up. I ran a webinar series, and it brought in forty-two new leads.", DurationS: 60}
	if n := Analyze(spelled, nil).Metrics.QuantifiedResults; n != 1 {
		t.Fatalf("quantified %d with the default rulebook, want 1", n)
	}
	if n := Analyze(spelled, with(`{"rules":{"quantified":{"remove":{"number_words":["forty"]}}}}`)).Metrics.QuantifiedResults; n != 0 {
		t.Errorf("quantified %d with forty removed from the number words, want 0", n)
	}
	claim := Input{Question: "Tell me about a time you showed leadership.", Type: rehearse.Behavioral, Text: "Our migration was slipping. I led the rollout. It was a big success.", DurationS: 60}
	if Analyze(claim, nil).Metrics.Star.Action {
		t.Fatal("a restated competency counted as an action")
	}
	if !Analyze(claim, with(`{"rules":{"star.action":{"maps":{"stems":{"led":""}}}}}`)).Metrics.Star.Action {
		t.Error("removing the stem led→lead did not change the restatement rule")
	}
	o, _ := ParseOverrides([]byte(`{"rules":{"star.action":{"maps":{"nope":{"a":"b"}}}}}`))
	if _, err := DefaultRulebook().With(o); err == nil || !strings.Contains(err.Error(), "rules.star.action.maps.nope") {
		t.Errorf("unknown map: %v", err)
	}
}

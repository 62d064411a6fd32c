package questions

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// GeneralRole is the role of questions that suit any interview.
const GeneralRole = "general"

// Selection says which questions to choose for a practice session. Zero
// values mean "no restriction".
type Selection struct {
	// Types keeps questions of any of these types.
	Types []rehearse.QuestionType
	// Roles keeps questions tagged with any of these roles ("software",
	// "healthcare", ...). Questions tagged "general" and the user's own
	// questions without a role tag suit every interview, so they always
	// pass this filter.
	Roles []string
	// Topics keeps questions tagged with any of these topics.
	Topics []string
	// Count is how many questions to pick; 0, or more than match, picks
	// every match.
	Count int
	// JobTerms are words and phrases from a job description (see
	// ExtractTerms); when given, questions that match more of them come
	// first.
	JobTerms []string
	// Seed makes the choice repeatable: the same bank, selection and seed
	// always give the same questions in the same order.
	Seed int64
	// Exclude lists question ids to leave out entirely.
	Exclude []string
	// Recent lists question ids the user answered recently. They are ranked
	// after every other question, so they come back only when nothing else
	// is left to pick.
	Recent []string
	// Level ("entry", "mid" or "senior", see ResolveRole) ranks questions of
	// that level before others of the same field.
	Level string
}

// Picked is one chosen question with the reasons it was chosen, in words a
// person reads ("asked in software engineering interviews", "mentions
// Kubernetes from the job description").
type Picked struct {
	rehearse.Question
	Reasons []string `json:"reasons"`
}

// Filter returns the questions that pass s's Types, Roles, Topics and
// Exclude filters, in bank order. Count, JobTerms and Seed are ignored.
func (b *Bank) Filter(s Selection) []rehearse.Question {
	var out []rehearse.Question
	for _, i := range b.filter(s) {
		out = append(out, clone(b.qs[i]))
	}
	return out
}

func (b *Bank) filter(s Selection) []int {
	var out []int
	for i, q := range b.qs {
		if len(s.Types) > 0 && !slices.Contains(s.Types, q.Type) {
			continue
		}
		if len(s.Roles) > 0 && !matchesRole(q, s.Roles) {
			continue
		}
		if len(s.Topics) > 0 && !anyIn(Tag(q, TopicPrefix), s.Topics) {
			continue
		}
		if slices.Contains(s.Exclude, q.ID) {
			continue
		}
		out = append(out, i)
	}
	return out
}

func matchesRole(q rehearse.Question, roles []string) bool {
	rs := Tag(q, RolePrefix)
	if len(rs) == 0 {
		return q.Custom
	}
	return slices.Contains(rs, GeneralRole) || anyIn(rs, roles)
}

func anyIn(have, want []string) bool {
	for _, h := range have {
		if slices.Contains(want, h) {
			return true
		}
	}
	return false
}

// Select picks questions for a practice session; see Pick for how.
func (b *Bank) Select(s Selection) []rehearse.Question {
	picked := b.Pick(s)
	if picked == nil {
		return nil
	}
	out := make([]rehearse.Question, len(picked))
	for i, p := range picked {
		out[i] = p.Question
	}
	return out
}

// Weights of the ranking score (see Pick). A job-description match weighs
// more than the field, so a job description refines a role's questions; the
// field weighs more than the level.
const (
	scoreJobTerm = 3
	scoreField   = 4
	scoreGeneral = 2
	scoreLevel   = 1
	scoreRecent  = -1000
)

// Pick picks questions for a practice session and says why each was chosen.
// It never returns the same question twice, and for a given bank and
// Selection (Seed included) it always returns the same list.
//
// How questions are chosen:
//
//  1. The filters of Filter are applied.
//  2. Each remaining question gets a score: 3 for every distinct job term it
//     matches (see MatchTerms); with Roles, 4 when it is tagged with one of
//     them and 2 when it is a general question; 1 more when its level is
//     Level (1 less for a senior question asked of an entry-level role);
//     and far below every other question when it is in Recent.
//  3. Questions are ranked by score, highest first; ties are put in a random
//     order drawn from Seed.
//  4. The first Count questions are taken. When Count is at least 4 and no
//     Types filter is set, the pick is shaped like a real interview: exactly
//     one intro question and at least one motivation question (taking the
//     best-ranked of each, in place of the lowest-ranked other picks), as
//     far as the filters leave such questions.
//
// The result is in rank order; in an interview-shaped pick (step 4) the
// intro question comes first, since interviews open with one.
func (b *Bank) Pick(s Selection) []Picked {
	cands := b.filter(s)
	if len(cands) == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(uint64(s.Seed), 0x52656865617273)) // "Rehears"
	tie := rng.Perm(len(cands))
	terms := prepareTerms(s.JobTerms)
	score := make([]int, len(cands))
	for k, i := range cands {
		score[k] = s.score(b.qs[i], terms)
	}
	order := make([]int, len(cands)) // positions into cands, best first
	for k := range order {
		order[k] = k
	}
	sort.Slice(order, func(x, y int) bool {
		a, c := order[x], order[y]
		if score[a] != score[c] {
			return score[a] > score[c]
		}
		return tie[a] < tie[c]
	})
	ranked := make([]rehearse.Question, len(order))
	for r, k := range order {
		ranked[r] = b.qs[cands[k]]
	}

	n := s.Count
	if n <= 0 || n > len(ranked) {
		n = len(ranked)
	}
	interview := s.Count >= 4 && len(s.Types) == 0
	var pick []int // ranks
	if interview {
		pick = interviewPick(ranked, n)
	} else {
		for r := range n {
			pick = append(pick, r)
		}
	}
	sort.Ints(pick)
	out := make([]Picked, 0, len(pick))
	for _, r := range pick {
		q := clone(ranked[r])
		out = append(out, Picked{Question: q, Reasons: s.reasons(q, terms)})
	}
	if interview {
		// Interviews open with the intro question.
		if i := slices.IndexFunc(out, func(p Picked) bool { return p.Type == rehearse.Intro }); i > 0 {
			intro := out[i]
			copy(out[1:i+1], out[:i])
			out[0] = intro
		}
	}
	return out
}

// score is step 2 of Pick.
func (s Selection) score(q rehearse.Question, terms []preparedTerm) int {
	n := 0
	if len(terms) > 0 {
		n += scoreJobTerm * len(matchPrepared(q, terms))
	}
	roles := Tag(q, RolePrefix)
	if len(s.Roles) > 0 {
		switch {
		case anyIn(roles, s.Roles):
			n += scoreField
		case slices.Contains(roles, GeneralRole) || (len(roles) == 0 && q.Custom):
			n += scoreGeneral
		}
	}
	if s.Level != "" {
		levels := Tag(q, LevelPrefix)
		switch {
		case slices.Contains(levels, s.Level):
			n += scoreLevel
		case s.Level == "entry" && slices.Contains(levels, "senior"):
			n -= scoreLevel
		}
	}
	if slices.Contains(s.Recent, q.ID) {
		n += scoreRecent
	}
	return n
}

// reasons says in words why q scored as it did.
func (s Selection) reasons(q rehearse.Question, terms []preparedTerm) []string {
	var out []string
	roles := Tag(q, RolePrefix)
	for _, r := range s.Roles {
		if slices.Contains(roles, r) {
			out = append(out, "asked in "+strings.ToLower(FieldLabel(r))+" interviews")
			break
		}
	}
	if len(out) == 0 {
		switch {
		case q.Custom:
			out = append(out, "one of your own questions")
		case slices.Contains(roles, GeneralRole):
			out = append(out, "a general question that suits any interview")
		case len(roles) > 0:
			labels := make([]string, len(roles))
			for i, r := range roles {
				labels[i] = strings.ToLower(FieldLabel(r))
			}
			out = append(out, "asked in "+strings.Join(labels, " and ")+" interviews")
		}
	}
	if s.Level != "" && slices.Contains(Tag(q, LevelPrefix), s.Level) {
		out = append(out, "pitched at "+s.Level+" level")
	}
	if len(terms) > 0 {
		if m := matchPrepared(q, terms); len(m) > 0 {
			texts := make([]string, len(m))
			for i, k := range m {
				texts[i] = terms[k].text
			}
			out = append(out, "mentions "+strings.Join(texts, ", ")+" from the job description")
		}
	}
	if len(s.Types) == 0 && s.Count >= 4 {
		switch q.Type {
		case rehearse.Intro:
			out = append(out, "interviews usually open with an introduction")
		case rehearse.Motivation:
			out = append(out, "interviews usually ask why you want the role")
		}
	}
	if slices.Contains(s.Recent, q.ID) {
		out = append(out, "you answered it recently, but no other question was left")
	}
	return out
}

// interviewPick takes n ranks from ranked with one intro question and at
// least one motivation question when the ranking has them.
func interviewPick(ranked []rehearse.Question, n int) []int {
	var pick, spareIntros []int
	intro := -1
	for r, q := range ranked {
		if len(pick) == n {
			break
		}
		if q.Type == rehearse.Intro {
			if intro >= 0 {
				spareIntros = append(spareIntros, r)
				continue
			}
			intro = r
		}
		pick = append(pick, r)
	}
	// Only intros were left to fill the count: use them rather than fall short.
	for len(pick) < n && len(spareIntros) > 0 {
		pick = append(pick, spareIntros[0])
		spareIntros = spareIntros[1:]
	}
	if intro < 0 {
		if r := firstOfType(ranked, rehearse.Intro); r >= 0 {
			replaceLast(pick, ranked, r, rehearse.Motivation)
		}
	}
	has := false
	for _, r := range pick {
		has = has || ranked[r].Type == rehearse.Motivation
	}
	if !has {
		if r := firstOfType(ranked, rehearse.Motivation); r >= 0 {
			replaceLast(pick, ranked, r, rehearse.Intro)
		}
	}
	return pick
}

func firstOfType(ranked []rehearse.Question, t rehearse.QuestionType) int {
	for r, q := range ranked {
		if q.Type == t {
			return r
		}
	}
	return -1
}

// replaceLast puts rank r in place of the lowest-ranked pick whose type is
// neither keep nor r's own type (so a required question is never swapped
// out for another).
func replaceLast(pick []int, ranked []rehearse.Question, r int, keep rehearse.QuestionType) {
	for i := len(pick) - 1; i >= 0; i-- {
		if t := ranked[pick[i]].Type; t != keep && t != ranked[r].Type {
			pick[i] = r
			return
		}
	}
}

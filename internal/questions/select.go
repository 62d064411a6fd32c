package questions

import (
	"math/rand/v2"
	"slices"
	"sort"

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
	// Exclude lists question ids to leave out, e.g. ones just practised.
	Exclude []string
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

// Select picks questions for a practice session. It never returns the same
// question twice, and for a given bank and Selection (Seed included) it always
// returns the same list.
//
// How questions are chosen:
//
//  1. The filters of Filter are applied.
//  2. Each remaining question gets a score: the number of distinct job terms
//     it matches (see MatchTerms). Without JobTerms every score is 0.
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
func (b *Bank) Select(s Selection) []rehearse.Question {
	cands := b.filter(s)
	if len(cands) == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(uint64(s.Seed), 0x52656865617273)) // "Rehears"
	tie := rng.Perm(len(cands))
	terms := prepareTerms(s.JobTerms)
	score := make([]int, len(cands))
	if len(terms) > 0 {
		for k, i := range cands {
			score[k] = len(matchPrepared(b.qs[i], terms))
		}
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
	out := make([]rehearse.Question, 0, len(pick))
	for _, r := range pick {
		out = append(out, clone(ranked[r]))
	}
	if interview {
		// Interviews open with the intro question.
		if i := slices.IndexFunc(out, func(q rehearse.Question) bool { return q.Type == rehearse.Intro }); i > 0 {
			intro := out[i]
			copy(out[1:i+1], out[:i])
			out[0] = intro
		}
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

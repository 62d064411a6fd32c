package practice

import (
	"strings"
	"unicode"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// correct builds the user's corrected transcript. When the original has word
// timings, words the user kept keep their times (matched by a longest common
// subsequence on normalised spelling) and new words are placed between
// their neighbours, so pauses and pace survive a correction. The user's words
// are taken as certain (probability 1).
func correct(orig rehearse.Transcript, text string) *rehearse.Transcript {
	out := &rehearse.Transcript{Text: text, Source: "edited", DurationS: orig.DurationS}
	if !orig.Timed || len(orig.Words) == 0 {
		if out.DurationS == 0 && len(orig.Words) > 0 {
			out.DurationS = orig.Words[len(orig.Words)-1].End - orig.Words[0].Start
		}
		return out
	}
	toks := strings.Fields(text)
	if len(toks) == 0 {
		return out
	}
	a := make([]string, len(orig.Words))
	for i, w := range orig.Words {
		a[i] = norm(w.Text)
	}
	b := make([]string, len(toks))
	for i, t := range toks {
		b[i] = norm(t)
	}
	match := lcs(a, b) // match[j] = index in a, or -1
	words := make([]rehearse.Word, len(toks))
	for j, t := range toks {
		words[j] = rehearse.Word{Text: t, P: 1, Start: -1, End: -1}
		if i := match[j]; i >= 0 {
			words[j].Start, words[j].End = orig.Words[i].Start, orig.Words[i].End
		}
	}
	// Place unmatched runs evenly between the matched neighbours.
	first, last := orig.Words[0].Start, orig.Words[len(orig.Words)-1].End
	for j := 0; j < len(words); {
		if words[j].Start >= 0 {
			j++
			continue
		}
		k := j
		for k < len(words) && words[k].Start < 0 {
			k++
		}
		lo, hi := first, last
		if j > 0 {
			lo = words[j-1].End
		}
		if k < len(words) {
			hi = words[k].Start
		}
		if hi < lo {
			hi = lo
		}
		step := (hi - lo) / float64(k-j)
		for m := j; m < k; m++ {
			words[m].Start = lo + step*float64(m-j)
			words[m].End = words[m].Start + step
		}
		j = k
	}
	out.Words = words
	out.Timed = true
	return out
}

func norm(s string) string {
	return strings.ToLower(strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
}

// lcs returns, for every element of b, the index of the element of a it is
// paired with in a longest common subsequence, or -1.
func lcs(a, b []string) []int {
	n, m := len(a), len(b)
	// Bound the table for very long answers: pair greedily beyond it.
	if n*m > 4_000_000 {
		return greedy(a, b)
	}
	dp := make([][]int32, n+1)
	for i := range dp {
		dp[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else if dp[i+1][j] >= dp[i][j+1] {
				dp[i][j] = dp[i+1][j]
			} else {
				dp[i][j] = dp[i][j+1]
			}
		}
	}
	match := make([]int, m)
	for j := range match {
		match[j] = -1
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			match[j] = i
			i++
			j++
		case dp[i+1][j] >= dp[i][j+1]:
			i++
		default:
			j++
		}
	}
	return match
}

func greedy(a, b []string) []int {
	match := make([]int, len(b))
	i := 0
	for j := range b {
		match[j] = -1
		for k := i; k < len(a) && k < i+20; k++ {
			if a[k] == b[j] {
				match[j] = k
				i = k + 1
				break
			}
		}
	}
	return match
}

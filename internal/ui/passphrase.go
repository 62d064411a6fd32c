package ui

import (
	"math"
	"strings"
	"unicode"
)

// minPassphrase is the shortest new passphrase the key custody accepts.
const minPassphrase = 8

// strength is an honest, rough estimate of how hard a passphrase is to
// guess: bits of a brute-force search over the character classes used,
// less what repeats, runs and common words give away. It cannot know what
// an attacker knows about the user, so it never claims more than "strong".
type strength struct {
	Bits  float64
	Label string  // "Too short", "Weak", "Fair", "Good" or "Strong"
	Score float64 // 0..1, for the meter
	Hint  string  // what would make it stronger, or ""
}

// commonParts are pieces of the most guessed passwords; a passphrase made
// mostly of them is weak whatever its length.
var commonParts = []string{
	"password", "passwort", "qwerty", "azerty", "123456", "abc123", "letmein", "welcome",
	"iloveyou", "admin", "monkey", "dragon", "football", "baseball", "sunshine", "princess",
	"rehearse", "interview", "secret", "000000", "111111",
}

func passphraseStrength(p string) strength {
	n := len([]rune(strings.TrimSpace(p)))
	if n < minPassphrase {
		return strength{Label: "Too short", Hint: "Use at least 8 characters."}
	}
	var lower, upper, digit, space, other bool
	for _, r := range p {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsSpace(r):
			space = true
		default:
			other = true
		}
	}
	pool := 0
	for _, c := range []struct {
		on   bool
		size int
	}{{lower, 26}, {upper, 26}, {digit, 10}, {space, 1}, {other, 33}} {
		if c.on {
			pool += c.size
		}
	}
	// Characters that repeat the one before, or continue a run (abc,
	// 123, cba), add little: count them as a quarter.
	rs := []rune(strings.ToLower(p))
	eff := 1.0
	for i := 1; i < len(rs); i++ {
		d := rs[i] - rs[i-1]
		if d == 0 || d == 1 || d == -1 {
			eff += 0.25
		} else {
			eff++
		}
	}
	low := strings.ToLower(p)
	for _, c := range commonParts {
		if strings.Contains(low, c) {
			// A common word is one guess, not len(c) random characters.
			eff -= float64(len([]rune(c))) - 1
		}
	}
	eff = max(eff, 1)
	bits := eff * math.Log2(float64(max(pool, 2)))
	// Words of a sentence are guessed as words, not letters: a long
	// lowercase phrase is still good, but not by its letter count alone.
	if words := len(strings.Fields(p)); words >= 3 && !upper && !digit && !other {
		bits = min(bits, float64(words)*11+10)
	}
	st := strength{Bits: bits, Score: min(bits/80, 1)}
	switch {
	case bits < 35:
		st.Label, st.Hint = "Weak", "Make it longer: a few unrelated words work well."
	case bits < 50:
		st.Label, st.Hint = "Fair", "Longer is stronger: add another word or two."
	case bits < 65:
		st.Label = "Good"
	default:
		st.Label = "Strong"
	}
	return st
}

// checkNewPassphrases says, in plain words, what is wrong with a new
// passphrase and its repetition, or "" when they can be used.
func checkNewPassphrases(pass, again string) string {
	switch {
	case len([]rune(strings.TrimSpace(pass))) < minPassphrase:
		return "Use at least 8 characters."
	case pass != again:
		return "The two passphrases differ. Type the same passphrase in both boxes."
	}
	return ""
}

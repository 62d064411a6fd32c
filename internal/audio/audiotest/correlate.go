package audiotest

import "math"

// Correlate returns the normalised cross-correlation of a and b at the lag
// (b shifted by lag samples, |lag| ≤ maxLag) where it is highest: 1 when b
// is a scaled copy of a, shifted by lag. It compares a recording with the
// sound that was played into it; silence on either side gives NaN.
func Correlate(a, b []float32, maxLag int) (best float64, lag int) {
	best = math.Inf(-1)
	for l := -maxLag; l <= maxLag; l++ {
		var ab, aa, bb float64
		for i := range a {
			j := i + l
			if j < 0 || j >= len(b) {
				continue
			}
			x, y := float64(a[i]), float64(b[j])
			ab += x * y
			aa += x * x
			bb += y * y
		}
		if c := ab / math.Sqrt(aa*bb); c > best {
			best, lag = c, l
		}
	}
	if math.IsInf(best, -1) {
		best = math.NaN()
	}
	return best, lag
}

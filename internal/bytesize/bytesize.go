// Package bytesize writes sizes the way Rehearse shows them everywhere (the
// window, the command line, the data report): binary units, KiB, MiB and
// GiB (1 KiB = 1,024 bytes), with one decimal.
package bytesize

import (
	"fmt"
	"math"
)

var units = []struct {
	size float64
	name string
}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}}

// Format returns n bytes as "1023 bytes", "1.5 KiB", "74.1 MiB" or
// "1.2 GiB": the largest unit of which n is at least one, or would be shown
// as one (a size that would read "1024.0 KiB" reads "1.0 MiB").
func Format(n int64) string {
	for _, u := range units {
		least := u.size
		if u.size > 1<<10 {
			least = u.size * 1023.95 / 1024
		}
		if float64(n) >= least {
			return fmt.Sprintf("%.1f %s", math.Round(float64(n)/u.size*10)/10, u.name)
		}
	}
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

package rehearse

import "strings"

// JoinWords is the text of recognised words: their Text joined by single
// spaces, the Text of a Transcript made from them.
func JoinWords(ws []Word) string {
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.Text)
	}
	return b.String()
}

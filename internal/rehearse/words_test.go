package rehearse

import "testing"

func TestJoinWords(t *testing.T) {
	tests := []struct {
		words []Word
		want  string
	}{
		{nil, ""},
		{[]Word{{Text: "So"}}, "So"},
		{[]Word{{Text: "So,"}, {Text: "um,"}, {Text: "I"}, {Text: "led"}, {Text: "it."}}, "So, um, I led it."},
	}
	for _, tt := range tests {
		if got := JoinWords(tt.words); got != tt.want {
			t.Errorf("JoinWords(%v) = %q, want %q", tt.words, got, tt.want)
		}
	}
}

package whisper

import "testing"

func TestModelName(t *testing.T) {
	for in, want := range map[string]string{
		"/m/ggml-base.en.bin":      "base.en",
		"ggml-small-q5_1.bin":      "small-q5_1",
		"/x/custom-model.bin":      "custom-model",
		"/x/ggml-tiny.en.bin.part": "tiny.en.bin.part",
	} {
		if got := ModelName(in); got != want {
			t.Errorf("ModelName(%q) = %q, want %q", in, got, want)
		}
	}
}

package bytesize

import "testing"

func TestFormat(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"},
		{1, "1 byte"},
		{1024, "1.0 KiB"},
		{1536, "1.5 KiB"},
		{1<<20 - 60, "1023.9 KiB"},
		{1<<20 - 1, "1.0 MiB"},
		{1000, "1000 bytes"},
		{1023, "1023 bytes"},
		{1 << 20, "1.0 MiB"},
		{77_704_715, "74.1 MiB"}, // the tiny.en model file
		{147_964_211, "141.1 MiB"},
		{1 << 30, "1.0 GiB"},
		{3 << 30, "3.0 GiB"},
	}
	for _, tt := range tests {
		if got := Format(tt.n); got != tt.want {
			t.Errorf("Format(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

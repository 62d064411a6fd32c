package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden file")

func TestReport(t *testing.T) {
	in, err := os.Open(filepath.Join("testdata", "bench.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	rs, env, err := parse(in)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	write(&out, rs, env, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	golden := filepath.Join("testdata", "bench.md")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Fatalf("report differs from %s:\n%s", golden, out.String())
	}
}

func TestTrimProcs(t *testing.T) {
	tests := map[string]string{
		"BenchmarkX-2":          "BenchmarkX",
		"BenchmarkStore/a-b-16": "BenchmarkStore/a-b",
		"BenchmarkY":            "BenchmarkY",
	}
	for in, want := range tests {
		if got := trimProcs(in); got != want {
			t.Errorf("trimProcs(%q) = %q, want %q", in, got, want)
		}
	}
}

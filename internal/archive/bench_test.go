package archive

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// benchRecords is a year of practice: 100 sessions of 10 answers.
func benchRecords() []rehearse.SessionRecord {
	base := sampleRecords()[0]
	recs := make([]rehearse.SessionRecord, 100)
	for i := range recs {
		recs[i].Session = base.Session
		for j := 0; j < 5; j++ {
			recs[i].Attempts = append(recs[i].Attempts, base.Attempts...)
		}
	}
	return recs
}

func BenchmarkExport(b *testing.B) {
	recs := benchRecords()
	var js bytes.Buffer
	WriteJSON(context.Background(), &js, recs, t0, nil)
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := WriteJSON(context.Background(), io.Discard, recs, t0, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("markdown", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := WriteMarkdown(io.Discard, recs, t0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("read-validate", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(js.Len()))
		for b.Loop() {
			if _, err := ReadJSON(bytes.NewReader(js.Bytes())); err != nil {
				b.Fatal(err)
			}
		}
	})
}

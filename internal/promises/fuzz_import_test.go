package promises

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/archive"
)

const validExport = `{
  "format": "rehearse-export",
  "version": 1,
  "exported_at": "2026-11-20T10:00:00Z",
  "sessions": [
    {
      "session": {"id": 1, "title": "Backend engineer", "job_description": "Go, SQL",
        "settings": {"question_ids": ["beh-01"], "prep_seconds": 30, "answer_seconds": 120, "keep_recordings": false, "fluency_metrics": true},
        "created_at": "2026-11-20T09:00:00Z", "updated_at": "2026-11-20T09:10:00Z", "finished_at": "2026-11-20T09:10:00Z"},
      "attempts": [
        {"id": 7, "session_id": 1, "question_id": "beh-01", "question_text": "Tell me about a time you led a project.",
         "question_type": "behavioral", "number": 1, "status": "analyzed",
         "started_at": "2026-11-20T09:01:00Z", "duration_s": 62.5, "latency_known": true,
         "transcript": {"text": "So I led the migration and we cut costs by 20%.",
           "words": [{"text": "So", "start": 0.4, "end": 0.6, "p": 0.93}, {"text": "I", "start": 0.7, "end": 0.8, "p": 0.9}],
           "timed": true, "duration_s": 62.5, "source": "whisper:base.en"},
         "analysis": {"version": 1},
         "rulebook_version": "1",
         "created_at": "2026-11-20T09:02:00Z"}
      ]
    }
  ]
}
`

// FuzzImport feeds the export reader (what `rehearse import` and the
// window's import read from a file the user picks) arbitrary bytes. It must
// never panic, and whatever it accepts must write out and read back as the
// same sessions and answers.
func FuzzImport(f *testing.F) {
	f.Add([]byte(validExport))
	f.Add([]byte(`{"format":"rehearse-export","version":1,"exported_at":"2026-11-20T10:00:00Z","sessions":[]}`))
	f.Add([]byte(strings.Replace(validExport, `"version": 1`, `"version": 3`, 1)))
	f.Add([]byte(strings.Replace(validExport, `"behavioral"`, `"trick"`, 1)))
	f.Add([]byte(strings.Replace(validExport, `62.5`, `-1`, 1)))
	f.Add([]byte(strings.Replace(validExport, `"analysis": {"version": 1}`, `"analysis": [1]`, 1)))
	f.Add([]byte(validExport[:len(validExport)/2]))
	f.Add([]byte(strings.Replace(strings.Replace(validExport, `"version": 1,`, `"version": 2,`, 1),
		`"rulebook_version": "1",`, `"rulebook_version": "1",
         "recording": {"sample_rate": 16000, "encoding": "pcm_s16le", "samples": 3, "data": "AAABAP9/"},`, 1)))
	f.Add([]byte(`null`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := archive.ReadJSON(bytes.NewReader(data))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("refused with an empty message")
			}
			return
		}
		var out bytes.Buffer
		if err := archive.WriteJSON(context.Background(), &out, recs, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), nil); err != nil {
			t.Fatalf("accepted records do not write out: %v", err)
		}
		again, err := archive.ReadJSON(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("written export is refused on reading: %v\n%s", err, out.Bytes())
		}
		if len(again) != len(recs) {
			t.Fatalf("round trip changed the number of sessions: %d vs %d", len(again), len(recs))
		}
		for i := range recs {
			a, b := recs[i], again[i]
			if a.Session.Title != b.Session.Title || len(a.Attempts) != len(b.Attempts) || len(a.Recordings) != len(b.Recordings) {
				t.Fatalf("session %d changed over a round trip", i)
			}
			for j := range a.Attempts {
				if a.Attempts[j].QuestionText != b.Attempts[j].QuestionText || a.Attempts[j].Transcript.Text != b.Attempts[j].Transcript.Text {
					t.Fatalf("session %d answer %d changed over a round trip", i, j)
				}
				if ra, rb := a.Recordings[j], b.Recordings[j]; (ra == nil) != (rb == nil) || ra != nil && !slices.Equal(ra.Samples, rb.Samples) {
					t.Fatalf("session %d answer %d: the recording changed over a round trip", i, j)
				}
			}
		}
	})
}

// TestImportSeedAccepted keeps the fuzz target honest: its main seed must be
// accepted, so the round-trip checks run.
func TestImportSeedAccepted(t *testing.T) {
	recs, err := archive.ReadJSON(strings.NewReader(validExport))
	if err != nil {
		t.Fatalf("the valid seed is refused: %v", err)
	}
	if len(recs) != 1 || len(recs[0].Attempts) != 1 {
		t.Fatalf("read %d sessions", len(recs))
	}
}

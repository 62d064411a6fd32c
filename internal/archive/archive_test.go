package archive

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/sqlcipher"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var t0 = time.Date(2026, 3, 4, 9, 30, 0, 0, time.UTC)

func sampleRecords() []rehearse.SessionRecord {
	fin := t0.Add(20 * time.Minute)
	return []rehearse.SessionRecord{
		{
			Session: rehearse.Session{ID: 3, Title: "Backend engineer, Acme", JobDescription: "Go services.\nOn call.",
				Settings:  rehearse.SessionSettings{QuestionIDs: []string{"beh-01"}, PrepSeconds: 30, AnswerSeconds: 120, FluencyMetrics: true},
				CreatedAt: t0, UpdatedAt: fin, FinishedAt: &fin},
			Attempts: []rehearse.Attempt{
				{ID: 10, SessionID: 3, QuestionID: "beh-01", QuestionText: "Tell me about a time you led a migration.",
					QuestionType: rehearse.Behavioral, Number: 1, Status: rehearse.StatusAnalyzed, StartedAt: t0.Add(time.Minute),
					DurationS: 62.5, LatencyKnown: true, RulebookVersion: "1", CreatedAt: t0.Add(2 * time.Minute),
					Transcript: rehearse.Transcript{Text: "So, um, I led the migration and we cut costs by 20%.", Timed: true, DurationS: 62.5, Source: "whisper:base.en",
						Words: []rehearse.Word{{Text: "So", Start: 0.4, End: 0.6, P: 0.93}, {Text: "um", Start: 0.7, End: 0.9, P: 0.5}}},
					Analysis: []byte(`{"metrics":{"word_count":12,"filler_total":1,"fillers":{"um":1},"speaking_rate_wpm":null,"star":{"result":true,"action":true},"overused_words":[]},"suggestions":[{"id":"star.situation.missing","text":"Set the scene first."}],"strengths":["You quantified the result."]}`)},
				{ID: 11, SessionID: 3, QuestionText: "Why this company?", QuestionType: rehearse.Motivation, Number: 2,
					Status: rehearse.StatusPendingTranscription, CreatedAt: t0.Add(5 * time.Minute), HasAudio: true,
					Transcript: rehearse.Transcript{Text: "Typed answer.", Source: "typed"},
					Corrected:  &rehearse.Transcript{Text: "Typed answer, corrected.", Source: "edited"}},
			},
		},
		{Session: rehearse.Session{ID: 4, Title: "", CreatedAt: t0.Add(24 * time.Hour), UpdatedAt: t0.Add(24 * time.Hour)}},
	}
}

// sampleRecordings is sampleRecords with the recording of the answer that
// waits to be transcribed.
func sampleRecordings() []rehearse.SessionRecord {
	recs := sampleRecords()
	recs[0].Recordings = map[int]*rehearse.Audio{1: sampleAudio()}
	return recs
}

// sampleAudio is a tenth of a second of a tone, in values 16-bit PCM holds
// exactly.
func sampleAudio() *rehearse.Audio {
	a := &rehearse.Audio{Samples: make([]float32, rehearse.SampleRate/10)}
	for i := range a.Samples {
		a.Samples[i] = float32(int16(12000*math.Sin(float64(i)/5))) / 32768
	}
	return a
}

func sameAudio(a, b *rehearse.Audio) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.Equal(a.Samples, b.Samples)
}

func TestMarkdownGolden(t *testing.T) {
	old := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = old })
	var b bytes.Buffer
	if err := WriteMarkdown(&b, sampleRecords(), t0.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "export.md")
	if *update {
		os.WriteFile(golden, b.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("markdown differs from %s (run with -update to accept):\n%s", golden, b.String())
	}
}

func TestJSONRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(context.Background(), &b, sampleRecordings(), t0, nil); err != nil {
		t.Fatal(err)
	}
	// Written piece by piece, the file is what encoding the whole document
	// at once gives.
	type sessionRecord struct {
		Session  rehearse.Session `json:"session"`
		Attempts []attempt        `json:"attempts"`
	}
	doc := struct {
		Format     string          `json:"format"`
		Version    int             `json:"version"`
		ExportedAt time.Time       `json:"exported_at"`
		Sessions   []sessionRecord `json:"sessions"`
	}{Format, Version, t0, nil}
	for _, r := range sampleRecordings() {
		sr := sessionRecord{Session: r.Session, Attempts: []attempt{}}
		for j := range r.Attempts {
			a, err := exportAttempt(context.Background(), r, j, nil)
			if err != nil {
				t.Fatal(err)
			}
			sr.Attempts = append(sr.Attempts, a)
		}
		doc.Sessions = append(doc.Sessions, sr)
	}
	var whole bytes.Buffer
	enc := json.NewEncoder(&whole)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	if whole.String() != b.String() {
		t.Errorf("the export differs from the document encoded at once:\n%s\nwant:\n%s", b.String(), whole.String())
	}
	// The analysis is a JSON object in the file, not base64.
	if !strings.Contains(b.String(), `"analysis": {`) || !strings.Contains(b.String(), `"format": "rehearse-export"`) {
		t.Fatalf("export:\n%s", b.String())
	}
	got, err := ReadJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	want := sampleRecordings()
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d", len(got), len(want))
	}
	for i := range want {
		if len(got[i].Recordings) != len(want[i].Recordings) {
			t.Errorf("session %d: %d recordings, want %d", i, len(got[i].Recordings), len(want[i].Recordings))
		}
		for j, w := range want[i].Recordings {
			if !sameAudio(got[i].Recordings[j], w) {
				t.Errorf("session %d answer %d: the recording differs", i, j)
			}
		}
		for j := range want[i].Attempts {
			w := want[i].Attempts[j]
			w.ID, w.SessionID = 0, 0
			var compact bytes.Buffer
			if len(w.Analysis) > 0 {
				json.Compact(&compact, w.Analysis)
				w.Analysis = compact.Bytes()
			}
			gj, _ := json.Marshal(got[i].Attempts[j])
			wj, _ := json.Marshal(w)
			if !bytes.Equal(gj, wj) {
				t.Errorf("attempt %d/%d:\n got %s\nwant %s", i, j, gj, wj)
			}
		}
		gs, _ := json.Marshal(got[i].Session)
		ws, _ := json.Marshal(want[i].Session)
		if !bytes.Equal(gs, ws) {
			t.Errorf("session %d:\n got %s\nwant %s", i, gs, ws)
		}
	}
}

func TestReadJSONRejects(t *testing.T) {
	var good bytes.Buffer
	WriteJSON(context.Background(), &good, sampleRecordings(), t0, nil)
	g := good.String()
	samples := fmt.Sprintf(`"samples": %d`, len(sampleAudio().Samples))
	tests := []struct {
		name  string
		input string
		line  int
		field string
	}{
		{"empty", "", 1, "export"},
		{"not an object", "[1]", 1, "export"},
		{"wrong format", strings.Replace(g, `"rehearse-export"`, `"other-app"`, 1), 2, "format"},
		{"newer version", strings.Replace(g, `"version": 2`, `"version": 3`, 1), 3, "version"},
		{"version 0", strings.Replace(g, `"version": 2`, `"version": 0`, 1), 3, "version"},
		{"missing version", strings.Replace(g, `"version": 2,`, ``, 1), 1, "version"},
		{"recording in version 1", strings.Replace(g, `"version": 2`, `"version": 1`, 1), 0, "sessions[0].attempts[1].recording"},
		{"recording sample rate", strings.Replace(g, `"sample_rate": 16000`, `"sample_rate": 44100`, 1), 0, "sessions[0].attempts[1].recording.sample_rate"},
		{"recording encoding", strings.Replace(g, `"encoding": "pcm_s16le"`, `"encoding": "flac"`, 1), 0, "sessions[0].attempts[1].recording.encoding"},
		{"recording length", strings.Replace(g, samples, samples+"1", 1), 0, "sessions[0].attempts[1].recording.data"},
		{"recording not base64", strings.Replace(g, `"data": "`, `"data": "*`, 1), 0, "sessions[0].attempts[1]"},
		{"malformed", strings.Replace(g, `"title": "Backend engineer, Acme",`, `"title": "Backend engineer, Acme",,`, 1), 9, "sessions[0]"},
		{"unknown field", strings.Replace(g, `"prep_seconds": 30`, `"prep_secs": 30`, 1), 15, "sessions[0].session.prep_secs"},
		{"bad question type", strings.Replace(g, `"question_type": "motivation"`, `"question_type": "trivia"`, 1), 0, "sessions[0].attempts[1].question_type"},
		{"wrong type", strings.Replace(g, `"duration_s": 62.5,
          "latency_known"`, `"duration_s": "long",
          "latency_known"`, 1), 34, "sessions[0].attempts[0].duration_s"},
		{"bad word timing", strings.Replace(g, `"start": 0.7`, `"start": 9.7`, 1), 0, "sessions[0].attempts[0].transcript.words[1]"},
		{"analysis not object", analysisList(), 0, "sessions[0].attempts[0].analysis"},
		{"trailing data", g + "{}", 0, "export"},
		{"missing sessions", `{"format":"rehearse-export","version":2}`, 1, "sessions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.input == g {
				t.Fatal("the replacement did not apply")
			}
			_, err := ReadJSON(strings.NewReader(tt.input))
			var ie *rehearse.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an InputError", err)
			}
			t.Logf("%v", err)
			if !strings.HasPrefix(ie.Field, "line ") {
				t.Errorf("field %q does not name a line", ie.Field)
			}
			if tt.line > 0 && !strings.HasPrefix(ie.Field, "line "+itoa(tt.line)+":") {
				t.Errorf("field %q, want line %d", ie.Field, tt.line)
			}
			if !strings.Contains(ie.Field, tt.field) {
				t.Errorf("field %q, want it to name %q", ie.Field, tt.field)
			}
		})
	}
}

func analysisList() string {
	recs := sampleRecords()
	recs[0].Attempts[0].Analysis = []byte(`[1, 2]`)
	var b bytes.Buffer
	WriteJSON(context.Background(), &b, recs, t0, nil)
	return b.String()
}

// TestReadJSONLineOfAttempt checks that a bad answer deep in the file is
// reported at the line where that answer starts.
func TestReadJSONLineOfAttempt(t *testing.T) {
	var good bytes.Buffer
	WriteJSON(context.Background(), &good, sampleRecords(), t0, nil)
	bad := strings.Replace(good.String(), `"question_type": "motivation"`, `"question_type": "trivia"`, 1)
	lines := strings.Split(bad, "\n")
	want := 0
	for i, l := range lines {
		if strings.Contains(l, `"id": 11`) {
			want = i // the line before holds the opening brace
		}
	}
	_, err := ReadJSON(strings.NewReader(bad))
	var ie *rehearse.InputError
	if !errors.As(err, &ie) || !strings.HasPrefix(ie.Field, "line "+itoa(want)+":") {
		t.Fatalf("err = %v, want line %d", err, want)
	}
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + jsonNum(n)) }

func jsonNum(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "export.json")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A failing writer leaves the old file and no temporary file.
	err := WriteFile(p, nil, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return errors.New("disk full")
	})
	if err == nil {
		t.Fatal("no error")
	}
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Fatalf("target = %q after a failed write", b)
	}
	if err := WriteFile(p, nil, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(p)
	if b, _ := os.ReadFile(p); string(b) != "new" || fi.Mode().Perm() != 0o600 {
		t.Fatalf("target = %q mode %v", b, fi.Mode())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("folder holds %d entries, want only the export", len(entries))
	}
	var out bytes.Buffer
	WriteFile("-", &out, func(w io.Writer) error { _, err := w.Write([]byte("stdout")); return err })
	if out.String() != "stdout" {
		t.Fatalf("stdout got %q", out.String())
	}
}

func openStore(t *testing.T) *sqlcipher.Store {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	s, err := sqlcipher.Open(context.Background(), filepath.Join(t.TempDir(), "rehearse.db"), key, sqlcipher.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestReadVersion1 reads an export written before recordings were part of
// the format (testdata/export-v1.json, written by that version).
func TestReadVersion1(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "export-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	want := sampleRecords()
	if len(got) != len(want) {
		t.Fatalf("%d sessions, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Session.Title != want[i].Session.Title || len(got[i].Attempts) != len(want[i].Attempts) || len(got[i].Recordings) != 0 {
			t.Errorf("session %d: %+v", i, got[i])
		}
		for j := range want[i].Attempts {
			if g, w := got[i].Attempts[j].Transcript.Text, want[i].Attempts[j].Transcript.Text; g != w {
				t.Errorf("session %d answer %d: transcript %q, want %q", i, j, g, w)
			}
		}
	}
}

// TestStoreRoundTrip exports a real encrypted store, with a recording, and
// imports the file into another one.
func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := openStore(t)
	if err := src.ImportSessions(ctx, sampleRecordings()); err != nil {
		t.Fatal(err)
	}
	recs, err := Collect(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || len(recs[0].Attempts) != 2 || recs[0].Session.Title != "Backend engineer, Acme" {
		t.Fatalf("collected %+v", recs)
	}
	if len(recs[0].Recordings) != 0 || !recs[0].Attempts[1].HasAudio {
		t.Fatalf("collected recordings %v, has audio %v", recs[0].Recordings, recs[0].Attempts[1].HasAudio)
	}
	var b bytes.Buffer
	if err := WriteJSON(ctx, &b, recs, t0, src.AttemptAudio); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !sameAudio(back[0].Recordings[1], sampleAudio()) {
		t.Fatal("the recording read back differs")
	}
	dst := openStore(t)
	if err := dst.ImportSessions(ctx, back); err != nil {
		t.Fatal(err)
	}
	again, err := Collect(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := dst.AttemptAudio(ctx, again[0].Attempts[1].ID); err != nil || !sameAudio(got, sampleAudio()) {
		t.Fatalf("imported recording: %v", err)
	}
	var b2 bytes.Buffer
	WriteJSON(ctx, &b2, again, t0, dst.AttemptAudio)
	strip := func(s string) string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.Contains(l, `"id":`) && !strings.Contains(l, `"session_id":`) && !strings.Contains(l, `"updated_at":`) {
				out = append(out, l)
			}
		}
		return strings.Join(out, "\n")
	}
	if strip(b.String()) != strip(b2.String()) {
		t.Errorf("re-import differs:\nfirst:\n%s\nsecond:\n%s", b.String(), b2.String())
	}
}

// TestSalvageDamagedStore damages a real encrypted store in two ways and
// checks that everything still readable is exported, that what is lost is
// named, and that the damaged file is not changed.
func TestSalvageDamagedStore(t *testing.T) {
	ctx := context.Background()
	key := make([]byte, 32)
	rand.Read(key)
	dir := t.TempDir()
	path := filepath.Join(dir, "rehearse.db")
	s, err := sqlcipher.Open(ctx, path, key, sqlcipher.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const sessions = 30
	want := map[string][]string{} // session title → answers
	wantAll := want
	for i := 0; i < sessions; i++ {
		sess := &rehearse.Session{Title: fmt.Sprintf("Session %02d", i)}
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		for j := 0; j < 2; j++ {
			text := fmt.Sprintf("Answer %d of session %d: %s", j, i, strings.Repeat("we shipped it on time ", 40))
			a := &rehearse.Attempt{SessionID: sess.ID, QuestionText: "Tell me about a deadline.", QuestionType: rehearse.Behavioral,
				Status: rehearse.StatusAnalyzed, Transcript: rehearse.Transcript{Text: text, Source: "typed"}}
			var rec *rehearse.Audio
			if j == 1 {
				rec = sampleAudio()
			}
			if err := s.AddAttempt(ctx, a, rec); err != nil {
				t.Fatal(err)
			}
			want[sess.Title] = append(want[sess.Title], text)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	flipped := bytes.Clone(good)
	for off := len(flipped) / 2; off+page <= len(flipped); off += 3 * page { // every third page of the second half
		flipped[off+200] ^= 0x5A
	}
	tests := []struct {
		name    string
		content []byte
	}{
		{"pages that no longer authenticate", flipped},
		{"truncated", good[:len(good)*3/5+100]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "rehearse.db")
			if err := os.WriteFile(path, tc.content, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := sqlcipher.OpenDamaged(ctx, path, make([]byte, 32)); !errors.Is(err, rehearse.ErrCannotUnlock) {
				t.Errorf("wrong key: %v, want ErrCannotUnlock", err)
			}
			d, err := sqlcipher.OpenDamaged(ctx, path, key)
			if err != nil {
				t.Fatal(err)
			}
			v, err := Salvage(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := WriteJSON(ctx, &b, v.Records, t0, v.Recording); err != nil {
				t.Fatal(err)
			}
			if err := d.AddAttempt(ctx, &rehearse.Attempt{SessionID: 1, QuestionText: "q", QuestionType: rehearse.Behavioral}, nil); err == nil {
				t.Error("a damaged store took a new answer")
			}
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, tc.content) {
				t.Fatal("salvaging changed the damaged file")
			}
			if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("salvaging left files next to the store: %v", names)
			}
			back, err := ReadJSON(&b)
			if err != nil {
				t.Fatal(err)
			}
			saved, recordings := 0, 0
			for _, r := range back {
				var got []string
				for _, a := range r.Attempts {
					got = append(got, a.Transcript.Text)
				}
				want := want[r.Session.Title]
				if strings.HasPrefix(r.Session.Title, "Recovered answers of session ") {
					want = nil
					for _, w := range wantAll {
						want = append(want, w...)
					}
				}
				// What came back of a session is its answers in order, less
				// those on damaged pages.
				k := 0
				for _, g := range got {
					for k < len(want) && want[k] != g {
						k++
					}
					if k == len(want) {
						t.Errorf("%s: answers %q are not what was saved", r.Session.Title, got)
						break
					}
				}
				saved += len(got)
				for _, rec := range r.Recordings {
					if !sameAudio(rec, sampleAudio()) {
						t.Errorf("%s: a recording differs", r.Session.Title)
					}
					recordings++
				}
			}
			t.Logf("saved %d answers in %d sessions (%d recordings); %d lines:\n%s",
				saved, len(back), recordings, len(v.Lost), strings.Join(v.Lost, "\n"))
			if saved == 0 || saved == 2*sessions || len(v.Lost) == 0 {
				t.Fatalf("saved %d of %d answers, %d lines lost", saved, 2*sessions, len(v.Lost))
			}
		})
	}
}

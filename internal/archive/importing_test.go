package archive

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// TestImportTwiceAddsNothing imports the same export twice into a real
// store: the second import recognises every session and adds none.
func TestImportTwiceAddsNothing(t *testing.T) {
	ctx := context.Background()
	src := openStore(t)
	if err := src.ImportSessions(ctx, sampleRecordings()); err != nil {
		t.Fatal(err)
	}
	recs, err := Collect(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteJSON(ctx, &b, recs, t0, src.AttemptAudio); err != nil {
		t.Fatal(err)
	}
	export := b.Bytes()

	dst := openStore(t)
	// One session of the export is there already, made by the user since.
	mine := rehearse.SessionRecord{Session: rehearse.Session{Title: "Mine", CreatedAt: t0}}
	if err := dst.ImportSessions(ctx, []rehearse.SessionRecord{mine}); err != nil {
		t.Fatal(err)
	}
	counts := func() (sessions, answers int) {
		all, err := Collect(ctx, dst)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range all {
			answers += len(r.Attempts)
		}
		return len(all), answers
	}
	for i, want := range []Imported{
		{Sessions: 2, Answers: 2, Recordings: 1, Present: 0},
		{Sessions: 0, Answers: 0, Recordings: 0, Present: 2},
	} {
		back, err := ReadJSON(bytes.NewReader(export))
		if err != nil {
			t.Fatal(err)
		}
		got, err := Import(ctx, dst, back)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("import %d: %+v, want %+v", i+1, got, want)
		}
		if s, a := counts(); s != 3 || a != 2 {
			t.Errorf("after import %d: %d sessions, %d answers; want 3 and 2", i+1, s, a)
		}
	}
	// A session that differs (an answer corrected since) is not the same.
	back, _ := ReadJSON(bytes.NewReader(export))
	back[0].Attempts[0].Transcript.Text += " (edited)"
	if got, err := Import(ctx, dst, back); err != nil || got.Sessions != 1 || got.Present != 1 {
		t.Errorf("import of a changed session: %+v %v", got, err)
	}
}

// TestReadJSONQuotesFieldNames checks that a key name from the file is shown
// quoted and escaped, never as raw terminal control characters.
func TestReadJSONQuotesFieldNames(t *testing.T) {
	in := `{"format":"rehearse-export","version":2,"\u001b]0;owned\u0007\u001b[2J":1,"sessions":[]}`
	_, err := ReadJSON(strings.NewReader(in))
	var ie *rehearse.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an InputError", err)
	}
	msg := err.Error()
	t.Log(msg)
	if strings.ContainsAny(msg, "\x1b\x07") {
		t.Errorf("the error holds raw control characters: %q", msg)
	}
	if !strings.Contains(msg, `field "\x1b]0;owned\a\x1b[2J"`) {
		t.Errorf("the error does not quote the field name: %q", msg)
	}
}

// TestReadJSONLargeField imports an export whose transcript is one 50 MB
// value: it is refused with the field named, and reading it costs little
// more memory than the file itself.
func TestReadJSONLargeField(t *testing.T) {
	var good bytes.Buffer
	if err := WriteJSON(context.Background(), &good, sampleRecords(), t0, nil); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("so we shipped it ", 50<<20/17)
	in := []byte(strings.Replace(good.String(), `"text": "`, `"text": "`+big, 1))
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadJSON(bytes.NewReader(in))
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d MB file: %v; allocated %d MB", len(in)>>20, err, alloc>>20)
	var ie *rehearse.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), `field "text"`) || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("err = %v, want the large field refused by name", err)
	}
	// Reading the file takes up to twice its size (the buffer grows);
	// nothing is decoded. TotalAlloc counts the whole process, so the
	// bound leaves room for other tests running at the same time; decoding
	// the field, as imports used to, took 15 times the file's size.
	if alloc > 6*uint64(len(in)) {
		t.Errorf("allocated %d MB for a %d MB file", alloc>>20, len(in)>>20)
	}
}

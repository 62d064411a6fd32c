package local

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/models"
)

func synthetic(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := ggml.WriteSynthetic(&b, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// What the window is told about each model: a download that matched its
// published checksum is verified, an import with nothing to compare is
// checked, and every model is described in words.
func TestListTrustAndWords(t *testing.T) {
	b := synthetic(t)
	h := sha256.Sum256(b)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "m", time.Time{}, bytes.NewReader(b))
	}))
	defer srv.Close()
	mgr := &models.Manager{Dir: filepath.Join(t.TempDir(), "models"), BaseURL: srv.URL,
		Entries: []models.Entry{{Name: "tiny.en", Size: int64(len(b)), SHA256: hex.EncodeToString(h[:]), English: true}}}
	changed := 0
	m := &WindowModels{Manager: mgr, Voice: true, Changed: func() { changed++ }}
	if err := m.Download(context.Background(), "tiny.en", nil); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "ggml-my-model.bin")
	if err := os.WriteFile(src, b, 0o600); err != nil {
		t.Fatal(err)
	}
	imp, err := m.Import(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Trust != models.TrustChecked {
		t.Errorf("imported model: trust %q, want checked", imp.Trust)
	}
	list, err := m.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range list {
		got[l.Name] = l.Trust + " / " + l.Title
		if l.Name == "tiny.en" && (!l.Published || l.Source == "") {
			t.Errorf("catalogue model %+v", l)
		}
	}
	if got["tiny.en"] != "verified / Tiny, English" || got["my-model"] != "checked / my-model" {
		t.Errorf("list %v", got)
	}
	if changed != 2 {
		t.Errorf("Changed called %d times, want 2", changed)
	}
}

// A server that cannot be reached is reported as ErrOffline.
func TestDownloadOffline(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	l.Close()
	m := &WindowModels{Manager: &models.Manager{Dir: t.TempDir(), BaseURL: base, Entries: []models.Entry{{Name: "tiny.en", Size: 1000, English: true}}}}
	if err := m.Download(context.Background(), "tiny.en", nil); !errors.Is(err, models.ErrOffline) {
		t.Fatalf("err = %v, want ErrOffline", err)
	}
}

// Recommend measures with the given speed test, in a temporary folder
// that is gone afterwards, and returns the chosen model in words.
func TestRecommend(t *testing.T) {
	var dirs []string
	speed := func(ctx context.Context, dir string, s ggml.Spec, sec float64, threads int) (time.Duration, error) {
		dirs = append(dirs, dir)
		if threads != 3 || sec != models.SelfTestSeconds {
			t.Errorf("threads %d, seconds %v", threads, sec)
		}
		return time.Duration(s.NAudioState) * time.Duration(s.NAudioLayer+1) * time.Millisecond, nil
	}
	mgr := &models.Manager{Dir: filepath.Join(t.TempDir(), "models")}
	if err := mgr.SetThreads(3); err != nil {
		t.Fatal(err)
	}
	m := &WindowModels{Manager: mgr, SpeedTest: speed}
	adv, err := m.Recommend(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// tiny.en: 384 × 5 ms = 1.9 s of 8 s; base.en 512 × 7 = 3.6 s (0.45 ×);
	// small.en 768 × 13 = 10 s: too slow.
	if adv.Model.Name != "base.en" || adv.Model.Title != "Base, English" || !adv.Streams || len(adv.Measured) != 3 || adv.Threads != 3 {
		t.Fatalf("advice %+v", adv)
	}
	if adv.Model.SizeBytes != 147964211 || !adv.Model.Published || adv.Free <= 0 {
		t.Errorf("recommended model %+v", adv.Model)
	}
	if len(dirs) == 0 {
		t.Fatal("the speed test was not run")
	}
	if _, err := os.Stat(dirs[0]); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the self-test folder %s is left behind", dirs[0])
	}
	if _, err := (&WindowModels{Manager: mgr}).Recommend(context.Background(), nil); !errors.Is(err, models.ErrSelfTest) {
		t.Errorf("without a speed test: %v", err)
	}
}

package questions

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// specBands are the answer-length bands, written out independently of
// Band so that a change to either is caught.
var specBands = map[rehearse.QuestionType][4]float64{
	rehearse.Behavioral:  {60, 150, 45, 180},
	rehearse.Situational: {60, 150, 45, 180},
	rehearse.Intro:       {60, 120, 30, 150},
	rehearse.Motivation:  {30, 90, 20, 120},
	rehearse.Technical:   {45, 180, 20, 240},
}

var wantRoles = []string{"general", "software", "data", "product", "design", "sales", "support",
	"operations", "healthcare", "teaching", "management", "finance", "marketing", "hr"}

func mustLoad(t testing.TB) *Bank {
	t.Helper()
	b, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return b
}

func TestBandMatchesSpec(t *testing.T) {
	for _, qt := range rehearse.QuestionTypes {
		w := specBands[qt]
		want := LengthBand{Target: [2]float64{w[0], w[1]}, Short: w[2], Long: w[3]}
		if got := Band(qt); got != want {
			t.Errorf("Band(%s) = %+v, want %+v", qt, got, want)
		}
	}
	if got := Band("oral-exam"); got != (LengthBand{}) {
		t.Errorf("Band(unknown) = %+v, want zero", got)
	}
}

func TestClassify(t *testing.T) {
	b := Band(rehearse.Intro) // 60–120, short < 30, long > 150
	for _, c := range []struct {
		span float64
		want string
	}{
		{0, LengthShort}, {29.9, LengthShort}, {30, LengthBelowTarget}, {59.9, LengthBelowTarget},
		{60, LengthTarget}, {120, LengthTarget}, {120.1, LengthAboveTarget}, {150, LengthAboveTarget},
		{150.1, LengthLong}, {900, LengthLong},
	} {
		if got := b.Classify(c.span); got != c.want {
			t.Errorf("Classify(%g) = %s, want %s", c.span, got, c.want)
		}
	}
}

// TestEmbeddedBank checks the size, coverage and wording of the shipped bank.
func TestEmbeddedBank(t *testing.T) {
	b := mustLoad(t)
	qs := b.All()
	if len(qs) < 220 {
		t.Errorf("bank has %d questions, want at least 220", len(qs))
	}
	perType := map[rehearse.QuestionType]int{}
	perRole := map[string]int{}
	roleTypes := map[string]map[rehearse.QuestionType]int{}
	perLevel := map[string]int{}
	texts := map[string]string{}
	suggestion := regexp.MustCompile(`^(Consider|You might|Try|If it fits)\b`)
	verdict := regexp.MustCompile(`(?i)\b(bad|weak|wrong answer|unprofessional|you sound|poor|must|never say)\b`)
	whiteboard := regexp.MustCompile(`(?i)\b(write|code up|implement) (a|an|the) (function|program|class|algorithm)\b|whiteboard`)
	for _, q := range qs {
		perType[q.Type]++
		for _, r := range Tag(q, RolePrefix) {
			perRole[r]++
			if roleTypes[r] == nil {
				roleTypes[r] = map[rehearse.QuestionType]int{}
			}
			roleTypes[r][q.Type]++
		}
		lv := Tag(q, LevelPrefix)
		if len(lv) != 1 {
			t.Errorf("%s: has %d level tags, want 1", q.ID, len(lv))
		} else {
			perLevel[lv[0]]++
		}
		if len(Tag(q, TopicPrefix)) == 0 {
			t.Errorf("%s: no topic tag", q.ID)
		}
		if prev, dup := texts[strings.ToLower(q.Text)]; dup {
			t.Errorf("%s: same text as %s", q.ID, prev)
		}
		texts[strings.ToLower(q.Text)] = q.ID
		if !strings.HasSuffix(q.Text, "?") && !strings.HasSuffix(q.Text, ".") {
			t.Errorf("%s: text should end with ? or .: %q", q.ID, q.Text)
		}
		if !suggestion.MatchString(q.Tip) {
			t.Errorf("%s: tip should open as a suggestion (Consider/You might/Try/If it fits): %q", q.ID, q.Tip)
		}
		if verdict.MatchString(q.Tip) {
			t.Errorf("%s: tip reads as a verdict: %q", q.ID, q.Tip)
		}
		if q.Type == rehearse.Technical && whiteboard.MatchString(q.Text) {
			t.Errorf("%s: technical question asks for written code: %q", q.ID, q.Text)
		}
		wantPrefix := map[rehearse.QuestionType]string{rehearse.Behavioral: "beh-", rehearse.Situational: "sit-",
			rehearse.Intro: "intro-", rehearse.Motivation: "mot-", rehearse.Technical: "tech-"}[q.Type]
		if !strings.HasPrefix(q.ID, wantPrefix) {
			t.Errorf("%s: id should start with %q for a %s question", q.ID, wantPrefix, q.Type)
		}
	}
	for _, qt := range rehearse.QuestionTypes {
		if perType[qt] < 25 {
			t.Errorf("type %s has %d questions, want at least 25", qt, perType[qt])
		}
	}
	for _, r := range wantRoles {
		if perRole[r] < 8 {
			t.Errorf("role %s has %d questions, want at least 8", r, perRole[r])
		}
		// Every role can make a whole interview on its own.
		for _, qt := range rehearse.QuestionTypes {
			if roleTypes[r][qt] == 0 {
				t.Errorf("role %s has no %s question", r, qt)
			}
		}
	}
	if got := b.Roles(); !slices.Equal(got, sortedCopy(wantRoles)) {
		t.Errorf("Roles() = %v, want %v", got, sortedCopy(wantRoles))
	}
	for _, lv := range Levels {
		if perLevel[lv] < len(qs)/10 {
			t.Errorf("level %s has %d questions; want a mix (at least a tenth of the bank)", lv, perLevel[lv])
		}
	}
	t.Logf("%d questions; per type %v; per role %v; per level %v", len(qs), perType, perRole, perLevel)
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

const validEntry = `{"id":"beh-x","text":"Tell me about X.","type":"behavioral","tags":["role:general","topic:x","level:mid"],"tip":"Consider Y.","length":{"target_s":[60,150],"short_s":45,"long_s":180}}`

// withField returns validEntry with one field's JSON value replaced (or the
// field removed when value is "").
func withField(field, value string) string {
	re := regexp.MustCompile(`"` + field + `":(\[[^\]]*\]|\{[^}]*\}|"[^"]*"|[^,}]+)`)
	if value == "" {
		s := re.ReplaceAllString(validEntry, "")
		s = strings.ReplaceAll(s, ",,", ",")
		s = strings.ReplaceAll(s, ",}", "}")
		return strings.Replace(s, "{,", "{", 1)
	}
	return re.ReplaceAllLiteralString(validEntry, `"`+field+`":`+value)
}

func TestParseErrors(t *testing.T) {
	long := strings.Repeat("a", MaxTextLen+1)
	cases := []struct {
		name  string
		data  string
		want  []string // substrings of the error
		field string   // when set, the error wraps an InputError for this field
	}{
		{"not json", `hello`, []string{"line 1"}, ""},
		{"syntax error line", "[\n" + validEntry + ",\n{\"id\": }\n]", []string{"line 3"}, ""},
		{"object not array", `{"id":"x"}`, []string{"JSON array"}, ""},
		{"empty", `[]`, []string{"empty"}, ""},
		{"unknown field", `[` + strings.Replace(validEntry, `"tip"`, `"hint":"x","tip"`, 1) + `]`, []string{"entry 0", "hint"}, ""},
		{"wrong field type", `[` + withField("tags", `"role:general"`) + `]`, []string{"entry 0", "tags"}, ""},
		{"missing id", `[` + withField("id", "") + `]`, []string{"entry 0", "id", "missing"}, "id"},
		{"bad id", `[` + withField("id", `"Beh X"`) + `]`, []string{"entry 0", `"Beh X"`, "hyphens"}, "id"},
		{"duplicate id", `[` + validEntry + `,` + validEntry + `]`, []string{"entry 1", `"beh-x"`, "duplicate of entry 0"}, "id"},
		{"empty text", `[` + withField("text", `"  "`) + `]`, []string{"entry 0", `"beh-x"`, "text"}, "text"},
		{"long text", `[` + withField("text", `"`+long+`"`) + `]`, []string{"entry 0", "text", "501 characters"}, "text"},
		{"bad type", `[` + withField("type", `"behavioural"`) + `]`, []string{"entry 0", `"beh-x"`, `type "behavioural"`}, "type"},
		{"missing tip", `[` + withField("tip", "") + `]`, []string{"entry 0", "tip", "missing"}, "tip"},
		{"two-line tip", `[` + withField("tip", `"Consider A.\nTry B."`) + `]`, []string{"entry 0", "tip", "one line"}, "tip"},
		{"bad tag", `[` + withField("tags", `["role:general","colour:blue"]`) + `]`, []string{"entry 0", "tags", "colour:blue"}, "tags"},
		{"no role tag", `[` + withField("tags", `["topic:x"]`) + `]`, []string{"entry 0", "tags", "role:"}, "tags"},
		{"bad level", `[` + withField("tags", `["role:general","level:expert"]`) + `]`, []string{"entry 0", "level:expert"}, "tags"},
		{"missing length", `[` + withField("length", "") + `]`, []string{"entry 0", "length", "missing"}, "length"},
		{"wrong band", `[` + withField("length", `{"target_s":[60,120],"short_s":30,"long_s":150}`) + `]`,
			[]string{"entry 0", `"beh-x"`, "length", "target 60–150 s", "behavioral"}, "length"},
		{"three-value target", `[` + withField("length", `{"target_s":[60,150,200],"short_s":45,"long_s":180}`) + `]`,
			[]string{"entry 0", "length.target_s", "[60 150 200]"}, "length.target_s"},
		{"missing short", `[` + withField("length", `{"target_s":[60,150],"long_s":180}`) + `]`,
			[]string{"entry 0", "short < 0 s"}, "length"},
		{"band for other type", `[` + withField("type", `"motivation"`) + `]`, []string{"entry 0", "length", "target 30–90 s"}, "length"},
		{"second entry named", `[` + validEntry + `,` + strings.ReplaceAll(withField("type", `"quiz"`), `beh-x`, `beh-y`) + `]`,
			[]string{"entry 1", `"beh-y"`, "type"}, "type"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Parse([]byte(c.data))
			if err == nil {
				t.Fatalf("Parse succeeded (%d questions), want error", b.Len())
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if c.field != "" {
				var ie *rehearse.InputError
				if !errors.As(err, &ie) || ie.Field != c.field {
					t.Errorf("error %q: want an InputError for field %q, got %#v", err, c.field, ie)
				}
			}
		})
	}
}

func TestParseValid(t *testing.T) {
	second := strings.NewReplacer(`beh-x`, `tech-y`, `"behavioral"`, `"technical"`, `[60,150],"short_s":45,"long_s":180`,
		`[45,180],"short_s":20,"long_s":240`, `role:general`, `role:software`, `topic:x`, `topic:kubernetes`).Replace(validEntry)
	b, err := Parse([]byte(`[` + validEntry + `,` + second + `]`))
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 2 {
		t.Fatalf("Len = %d, want 2", b.Len())
	}
	q, ok := b.Get("tech-y")
	if !ok || q.Type != rehearse.Technical || q.Tip != "Consider Y." || q.Custom {
		t.Fatalf("Get(tech-y) = %+v, %v", q, ok)
	}
	if _, ok := b.Get("nope"); ok {
		t.Error("Get(nope) found something")
	}
	if got := b.Roles(); !slices.Equal(got, []string{"general", "software"}) {
		t.Errorf("Roles = %v", got)
	}
	if got := b.Topics(); !slices.Equal(got, []string{"kubernetes", "x"}) {
		t.Errorf("Topics = %v", got)
	}
	// Callers get copies.
	all := b.All()
	all[0].Text = "changed"
	all[0].Tags[0] = "role:changed"
	q.Tags[0] = "role:changed"
	if again, _ := b.Get("beh-x"); again.Text != "Tell me about X." || again.Tags[0] != "role:general" {
		t.Errorf("bank changed through a returned value: %+v", again)
	}
	if again, _ := b.Get("tech-y"); again.Tags[0] != "role:software" {
		t.Errorf("bank changed through Get's value: %+v", again)
	}
}

func TestValidateCustom(t *testing.T) {
	cases := []struct {
		q     rehearse.Question
		field string // "" = valid
	}{
		{rehearse.Question{Text: "Why this team?", Type: rehearse.Motivation}, ""},
		{rehearse.Question{Text: strings.Repeat("é", MaxTextLen), Type: rehearse.Technical}, ""},
		{rehearse.Question{Text: "", Type: rehearse.Intro}, "text"},
		{rehearse.Question{Text: " \n\t", Type: rehearse.Intro}, "text"},
		{rehearse.Question{Text: strings.Repeat("é", MaxTextLen+1), Type: rehearse.Intro}, "text"},
		{rehearse.Question{Text: "Why?", Type: ""}, "type"},
		{rehearse.Question{Text: "Why?", Type: "Behavioural"}, "type"},
	}
	for i, c := range cases {
		err := ValidateCustom(c.q)
		var ie *rehearse.InputError
		switch {
		case c.field == "" && err != nil:
			t.Errorf("case %d: unexpected error %v", i, err)
		case c.field != "" && (!errors.As(err, &ie) || ie.Field != c.field):
			t.Errorf("case %d: error %v, want InputError on %q", i, err, c.field)
		}
	}
}

func TestWith(t *testing.T) {
	b := mustLoad(t)
	n := b.Len()
	first := b.All()[0]
	custom := []rehearse.Question{
		{ID: "custom-1", Text: "Why do you want to move to Lisbon?", Type: rehearse.Motivation},
		{Text: "Tell me about your thesis.", Type: rehearse.Intro, Tags: []string{"role:data"}},
		{ID: first.ID, Text: "My own version.", Type: first.Type},
	}
	nb := b.With(custom)
	if b.Len() != n {
		t.Fatalf("With changed the receiver: %d → %d", n, b.Len())
	}
	if nb.Len() != n+2 {
		t.Fatalf("merged bank has %d questions, want %d", nb.Len(), n+2)
	}
	q, ok := nb.Get("custom-1")
	if !ok || !q.Custom || q.Text != custom[0].Text {
		t.Errorf("Get(custom-1) = %+v, %v", q, ok)
	}
	if r, _ := nb.Get(first.ID); !r.Custom || r.Text != "My own version." {
		t.Errorf("custom with a built-in id did not replace it: %+v", r)
	}
	if orig, _ := b.Get(first.ID); orig.Custom || orig.Text != first.Text {
		t.Errorf("original bank changed: %+v", orig)
	}
	var generated string
	for _, q := range nb.All() {
		if q.Text == custom[1].Text {
			generated = q.ID
		}
	}
	if !regexp.MustCompile(`^custom-[0-9a-f]{16}$`).MatchString(generated) {
		t.Errorf("id for a custom question without one = %q", generated)
	}
	if again := b.With(custom[1:2]).All(); again[len(again)-1].ID != generated {
		t.Errorf("generated id not stable: %q vs %q", again[len(again)-1].ID, generated)
	}
	// The user's own question without a role suits every role filter;
	// one tagged for data does not show up for nursing.
	sel := nb.Filter(Selection{Roles: []string{"healthcare"}})
	var ids []string
	for _, q := range sel {
		ids = append(ids, q.ID)
	}
	if !slices.Contains(ids, "custom-1") || slices.Contains(ids, generated) {
		t.Errorf("role filter over custom questions: custom-1 in=%v, data custom in=%v",
			slices.Contains(ids, "custom-1"), slices.Contains(ids, generated))
	}
}

func ExampleBand() {
	b := Band(rehearse.Motivation)
	fmt.Println(b.Target, b.Short, b.Long, b.Classify(95))
	// Output: [30 90] 20 120 above_target
}

package models

import "strings"

// Trust says in one word how far an installed model file was checked, for
// people: a file that matched a published checksum is "verified"; one with
// no published checksum to compare (an import under its own name) had its
// header and every tensor checked and is "checked"; a file put into the
// folder by hand was never looked at.
const (
	TrustVerified  = "verified"
	TrustChecked   = "checked"
	TrustUnchecked = "unchecked"
)

// trust is the Trust word for what the manager remembers about a file.
func trust(rec *record) string {
	switch {
	case rec == nil:
		return TrustUnchecked
	case rec.OK && (rec.State == StateVerified || rec.State == StateVerified256):
		return TrustVerified
	case rec.OK:
		return TrustChecked
	}
	return TrustUnchecked
}

// Description is a model in words, without the file-format jargon of its
// name (the name stays available for the details).
type Description struct {
	Title    string // "Base, English"
	Accuracy string // what to expect, in a sentence
}

// families are the model sizes of the catalogue, smallest first.
var families = map[string]string{
	"tiny":  "Tiny",
	"base":  "Base",
	"small": "Small",
}

// Describe says in words what the model called name is. A name the
// catalogue does not know is a model the user imported.
func Describe(name string) Description {
	fam, quant, _ := strings.Cut(name, "-")
	core, english := strings.CutSuffix(fam, ".en")
	title, ok := families[core]
	if !ok || (quant != "" && quant != "q5_1" && quant != "q8_0") {
		return Description{Title: name, Accuracy: "a model you imported: its accuracy is whatever it was trained for"}
	}
	var acc string
	for _, c := range Candidates {
		if c.Name == core+".en" {
			acc = c.Accuracy
		}
	}
	// Other models are named as the window names them.
	for c, t := range families {
		acc = strings.ReplaceAll(acc, c+".en", "the "+t+" model")
	}
	acc = strings.ReplaceAll(acc, "of the three", "of the three English models")
	if english {
		title += ", English"
	} else {
		title += ", many languages"
		acc = "understands other languages too; for English, a little less accurate than the English-only " + families[core] + " model"
	}
	switch quant {
	case "q8_0":
		title += ", compressed"
		acc += "; compressed to about half the download with almost no loss of accuracy"
	case "q5_1":
		title += ", compressed further"
		acc += "; compressed to about 40% of the download, slightly less accurate"
	}
	return Description{Title: title, Accuracy: upperFirst(acc)}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

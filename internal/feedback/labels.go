package feedback

// Labels are the fields the evaluation set is labelled with by hand, as the
// engine computes them. Keys with count 0 are left out.
type Labels struct {
	Fillers           map[string]int  `json:"fillers"`
	FillerTotal       int             `json:"filler_total"`
	Hedges            map[string]int  `json:"hedges"`
	HedgeTotal        int             `json:"hedge_total"`
	Star              map[string]bool `json:"star"`
	QuantifiedResults int             `json:"quantified_results"`
	ICount            int             `json:"i_count"`
	WeCount           int             `json:"we_count"`
	WordCount         int             `json:"word_count"`
	LengthBand        string          `json:"length_band"`
}

// LabelsOf extracts the labels from a result. When fluency metrics were
// switched off, the filler fields are empty.
func LabelsOf(r *Result) Labels {
	m := &r.Metrics
	l := Labels{
		Fillers:           map[string]int{},
		Hedges:            map[string]int{},
		HedgeTotal:        m.HedgeTotal,
		QuantifiedResults: m.QuantifiedResults,
		ICount:            m.ICount,
		WeCount:           m.WeCount,
		WordCount:         m.WordCount,
		LengthBand:        m.LengthBand,
		Star: map[string]bool{
			"situation": m.Star.Situation,
			"task":      m.Star.Task,
			"action":    m.Star.Action,
			"result":    m.Star.Result,
		},
	}
	for k, v := range m.Fillers {
		if v > 0 {
			l.Fillers[k] = v
		}
	}
	if m.FillerTotal != nil {
		l.FillerTotal = *m.FillerTotal
	}
	for k, v := range m.Hedges {
		if v > 0 {
			l.Hedges[k] = v
		}
	}
	return l
}

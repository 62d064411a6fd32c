package ui

import (
	"context"
	"fmt"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// progressTableRows is how many recent sessions the table lists.
const progressTableRows = 12

// showProgress draws the trends with their numbers in a table.
func (u *UI) showProgress() {
	charts := []*chart{
		newChart("Fillers per 100 words", nil, "(lower is not always better)"),
		newChart("Hedges per 100 words", nil, ""),
		newChart("Pace (words per minute)", nil, "answers with a speaking time"),
		newChart("STAR completeness (%)", nil, "answers scored for STAR"),
		newChart("Length vs target (%)", nil, "100 = middle of the band"),
	}
	grid := container.NewGridWithColumns(3)
	for _, c := range charts {
		grid.Add(container.NewGridWrap(fyne.NewSize(330, 180), c))
	}
	table := container.NewVBox(widget.NewLabel("Loading…"))
	u.show("progress", page("Progress",
		para("One point per session. These trends are for you alone: Rehearse never compares you with anyone else and gives no overall score."),
		grid, subheading("The numbers"), table), true)
	u.background(func(ctx context.Context) {
		pts, err := u.deps.History.Progress(ctx)
		u.do(func() {
			if err != nil {
				u.fail(err)
				return
			}
			charts[0].set(seriesOf(pts, func(p ProgressPoint) float64 { return p.FillerRate }))
			charts[1].set(seriesOf(pts, func(p ProgressPoint) float64 { return p.HedgeRate }))
			charts[2].set(seriesOf(pts, func(p ProgressPoint) float64 { return p.PaceWPM }))
			charts[3].set(seriesOf(pts, func(p ProgressPoint) float64 { return p.STARShare * 100 }))
			charts[4].set(seriesOf(pts, func(p ProgressPoint) float64 { return p.LengthPct }))
			table.Objects = []fyne.CanvasObject{progressTable(pts)}
			table.Refresh()
		})
	})
}

func progressTable(pts []ProgressPoint) fyne.CanvasObject {
	if len(pts) == 0 {
		return para("No analysed answers yet.")
	}
	cells := []fyne.CanvasObject{}
	for _, h := range []string{"Session", "Fillers /100", "Hedges /100", "Pace (wpm)", "STAR", "Length vs target"} {
		cells = append(cells, bold(h))
	}
	num := func(v float64, f string) string {
		if math.IsNaN(v) {
			return "—"
		}
		return fmt.Sprintf(f, v)
	}
	start := max(0, len(pts)-progressTableRows)
	for i := len(pts) - 1; i >= start; i-- {
		p := pts[i]
		for _, s := range []string{fmtDate(p.At), num(p.FillerRate, "%.1f"), num(p.HedgeRate, "%.1f"),
			num(p.PaceWPM, "%.0f"), num(p.STARShare*100, "%.0f%%"), num(p.LengthPct, "%.0f%%")} {
			cells = append(cells, widget.NewLabel(s))
		}
	}
	return container.NewGridWithColumns(6, cells...)
}

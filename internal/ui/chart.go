package ui

import (
	"fmt"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// chart is a small line chart drawn with Fyne canvas primitives: a frame,
// min/max labels, the line with a dot per value. NaN values are gaps.
type chart struct {
	widget.BaseWidget
	title  string
	unit   string
	values []float64
}

func newChart(title string, values []float64, unit string) *chart {
	c := &chart{title: title, values: values, unit: unit}
	c.ExtendBaseWidget(c)
	return c
}

func (c *chart) set(values []float64) {
	c.values = values
	c.Refresh()
}

func (c *chart) MinSize() fyne.Size { return fyne.NewSize(240, 150) }

func (c *chart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c}
	r.rebuild(fyne.NewSize(240, 150))
	return r
}

type chartRenderer struct {
	c       *chart
	objects []fyne.CanvasObject
	size    fyne.Size
}

func (r *chartRenderer) Destroy()                     {}
func (r *chartRenderer) MinSize() fyne.Size           { return r.c.MinSize() }
func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *chartRenderer) Layout(s fyne.Size)           { r.rebuild(s) }
func (r *chartRenderer) Refresh() {
	r.rebuild(r.size)
	canvas.Refresh(r.c)
}

func (r *chartRenderer) rebuild(s fyne.Size) {
	r.size = s
	fg := theme.Color(theme.ColorNameForeground)
	muted := theme.Color(theme.ColorNamePlaceHolder)
	line := theme.Color(theme.ColorNamePrimary)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = 6
	bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	bg.StrokeWidth = 1
	bg.Resize(s)
	title := canvas.NewText(r.c.title, fg)
	title.TextSize = 13
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.Move(fyne.NewPos(10, 6))
	objs := []fyne.CanvasObject{bg, title}

	left, right, top, bottom := float32(46), float32(12), float32(30), float32(22)
	pw, ph := s.Width-left-right, s.Height-top-bottom
	if pw < 10 || ph < 10 {
		r.objects = objs
		return
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	n := 0
	for _, v := range r.c.values {
		if math.IsNaN(v) {
			continue
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
		n++
	}
	if n == 0 {
		empty := canvas.NewText("No data yet", muted)
		empty.TextSize = 13
		empty.Move(fyne.NewPos(left+pw/2-36, top+ph/2-8))
		r.objects = append(objs, empty)
		return
	}
	if lo > 0 && lo < hi/3 || lo >= 0 && hi > 0 && lo == hi {
		lo = 0
	}
	if hi == lo {
		hi = lo + 1
	}
	axis := canvas.NewLine(muted)
	axis.StrokeWidth = 1
	axis.Position1 = fyne.NewPos(left, top+ph)
	axis.Position2 = fyne.NewPos(left+pw, top+ph)
	yaxis := canvas.NewLine(muted)
	yaxis.StrokeWidth = 1
	yaxis.Position1 = fyne.NewPos(left, top)
	yaxis.Position2 = fyne.NewPos(left, top+ph)
	hiT := canvas.NewText(trimNum(hi), muted)
	hiT.TextSize = 11
	hiT.Move(fyne.NewPos(4, top-6))
	loT := canvas.NewText(trimNum(lo), muted)
	loT.TextSize = 11
	loT.Move(fyne.NewPos(4, top+ph-8))
	unit := canvas.NewText(fmt.Sprintf("%d sessions  %s", n, r.c.unit), muted)
	unit.TextSize = 11
	unit.Move(fyne.NewPos(left, top+ph+4))
	objs = append(objs, axis, yaxis, hiT, loT, unit)

	count := len(r.c.values)
	x := func(i int) float32 {
		if count == 1 {
			return left + pw/2
		}
		return left + pw*float32(i)/float32(count-1)
	}
	y := func(v float64) float32 { return top + ph - ph*float32((v-lo)/(hi-lo)) }
	prev := -1
	for i, v := range r.c.values {
		if math.IsNaN(v) {
			prev = -1
			continue
		}
		if prev >= 0 {
			l := canvas.NewLine(line)
			l.StrokeWidth = 2
			l.Position1 = fyne.NewPos(x(prev), y(r.c.values[prev]))
			l.Position2 = fyne.NewPos(x(i), y(v))
			objs = append(objs, l)
		}
		dot := canvas.NewCircle(line)
		dot.Resize(fyne.NewSize(6, 6))
		dot.Move(fyne.NewPos(x(i)-3, y(v)-3))
		objs = append(objs, dot)
		prev = i
	}
	r.objects = objs
}

func trimNum(v float64) string {
	if math.Abs(v) >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// meter is a horizontal level meter (0..1) drawn with rectangles.
type meter struct {
	widget.BaseWidget
	value float32
}

func newMeter() *meter {
	m := &meter{}
	m.ExtendBaseWidget(m)
	return m
}

func (m *meter) SetValue(v float32) {
	if v < 0 {
		v = 0
	}
	if v > 1 {
		v = 1
	}
	m.value = v
	m.Refresh()
}

func (m *meter) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = 4
	bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	bg.StrokeWidth = 1
	bar := canvas.NewRectangle(theme.Color(theme.ColorNameSuccess))
	bar.CornerRadius = 4
	return &meterRenderer{m: m, bg: bg, bar: bar}
}

type meterRenderer struct {
	m       *meter
	bg, bar *canvas.Rectangle
}

func (r *meterRenderer) Destroy()                     {}
func (r *meterRenderer) MinSize() fyne.Size           { return fyne.NewSize(120, 14) }
func (r *meterRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.bar} }
func (r *meterRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	// A perceptual scale: speech sits in the middle, not at the left edge.
	v := float32(math.Sqrt(float64(r.m.value)))
	r.bar.Resize(fyne.NewSize(s.Width*v, s.Height))
}
func (r *meterRenderer) Refresh() {
	if r.m.value > 0.9 {
		r.bar.FillColor = theme.Color(theme.ColorNameWarning)
	} else {
		r.bar.FillColor = theme.Color(theme.ColorNameSuccess)
	}
	r.Layout(r.m.Size())
	canvas.Refresh(r.m)
}

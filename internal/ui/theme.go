package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Colour names for transcript highlights and the practice badge.
const (
	colorFiller   fyne.ThemeColorName = "rehearse.filler"
	colorHedge    fyne.ThemeColorName = "rehearse.hedge"
	colorPause    fyne.ThemeColorName = "rehearse.pause"
	colorSelected fyne.ThemeColorName = "rehearse.selected"
	colorBadge    fyne.ThemeColorName = "rehearse.badge"
	colorChart2   fyne.ThemeColorName = "rehearse.chart2"
)

// calmTheme is a quiet sage-and-teal palette with slightly larger text.
// variant forces light or dark; -1 follows the system.
type calmTheme struct {
	variant fyne.ThemeVariant
	follow  bool
}

func newTheme(name string) *calmTheme {
	switch name {
	case ThemeDark:
		return &calmTheme{variant: theme.VariantDark}
	case ThemeSystem:
		return &calmTheme{follow: true}
	}
	return &calmTheme{variant: theme.VariantLight}
}

func rgb(r, g, b uint8) color.NRGBA { return color.NRGBA{R: r, G: g, B: b, A: 0xff} }

func (t *calmTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if !t.follow {
		v = t.variant
	}
	dark := v == theme.VariantDark
	pick := func(light, darkc color.Color) color.Color {
		if dark {
			return darkc
		}
		return light
	}
	switch n {
	case theme.ColorNameBackground:
		return pick(rgb(0xf4, 0xf6, 0xf2), rgb(0x1d, 0x24, 0x23))
	case theme.ColorNameOverlayBackground, theme.ColorNameMenuBackground:
		return pick(rgb(0xfb, 0xfc, 0xfa), rgb(0x26, 0x2f, 0x2e))
	case theme.ColorNameHeaderBackground:
		return pick(rgb(0xe6, 0xec, 0xe7), rgb(0x25, 0x2e, 0x2d))
	case theme.ColorNameInputBackground:
		return pick(rgb(0xff, 0xff, 0xff), rgb(0x2a, 0x33, 0x32))
	case theme.ColorNameForeground:
		return pick(rgb(0x23, 0x2f, 0x2e), rgb(0xe3, 0xea, 0xe6))
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameHyperlink:
		return pick(rgb(0x2f, 0x7d, 0x78), rgb(0x6f, 0xc1, 0xb8))
	case theme.ColorNameForegroundOnPrimary:
		return pick(rgb(0xff, 0xff, 0xff), rgb(0x10, 0x1a, 0x19))
	case theme.ColorNameButton:
		return pick(rgb(0xe2, 0xe8, 0xe3), rgb(0x33, 0x3e, 0x3c))
	case theme.ColorNameSeparator:
		return pick(rgb(0xd5, 0xdd, 0xd7), rgb(0x3a, 0x45, 0x43))
	case theme.ColorNameSelection:
		return pick(color.NRGBA{R: 0x2f, G: 0x7d, B: 0x78, A: 0x40}, color.NRGBA{R: 0x6f, G: 0xc1, B: 0xb8, A: 0x50})
	case theme.ColorNameError:
		return pick(rgb(0xb2, 0x3a, 0x3a), rgb(0xf0, 0x85, 0x80))
	case theme.ColorNameSuccess:
		return pick(rgb(0x3b, 0x82, 0x4f), rgb(0x86, 0xc9, 0x95))
	case theme.ColorNameWarning:
		return pick(rgb(0xb0, 0x6f, 0x1a), rgb(0xe7, 0xb0, 0x5c))
	case colorFiller:
		return pick(rgb(0xb0, 0x5a, 0x12), rgb(0xf0, 0xa8, 0x62))
	case colorHedge:
		return pick(rgb(0x6a, 0x4c, 0xa8), rgb(0xb9, 0xa2, 0xf0))
	case colorPause:
		return pick(rgb(0x2a, 0x6f, 0xa8), rgb(0x82, 0xb8, 0xec))
	case colorSelected:
		return pick(rgb(0xc0, 0x2b, 0x5c), rgb(0xff, 0x8a, 0xb0))
	case colorBadge:
		return pick(rgb(0x2f, 0x7d, 0x78), rgb(0x3f, 0x95, 0x8c))
	case colorChart2:
		return pick(rgb(0xb0, 0x6f, 0x1a), rgb(0xe7, 0xb0, 0x5c))
	}
	return theme.DefaultTheme().Color(n, v)
}

func (t *calmTheme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

func (t *calmTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t *calmTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 15
	case theme.SizeNameHeadingText:
		return 24
	case theme.SizeNameSubHeadingText:
		return 18
	case theme.SizeNameInputRadius, theme.SizeNameSelectionRadius:
		return 6
	}
	return theme.DefaultTheme().Size(n)
}

"""Plot style presets: colours, line styles and fonts for charts and the PDF around them.

``light`` and ``dark`` are screen themes with a categorical palette; ``print`` is black on
white that stays readable in greyscale (line style and weight tell drivers apart); ``team``
draws each driver in their team's colour, and team-mates apart by line style.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

StyleName = Literal["light", "dark", "print", "team"]
STYLE_NAMES: tuple[StyleName, ...] = ("light", "dark", "print", "team")

# Pirelli's compound colours, as broadcast graphics use them.
COMPOUND_COLOURS = {
    "SOFT": "#DA291C",
    "MEDIUM": "#FFD12E",
    "HARD": "#EBEBE6",
    "INTERMEDIATE": "#43B02A",
    "WET": "#0067AD",
    "UNKNOWN": "#9A9A9A",
    "TEST_UNKNOWN": "#9A9A9A",
}
# Until 2018 Pirelli named compounds by softness and coloured them differently.
COMPOUND_COLOURS_2018 = {
    "HYPERSOFT": "#FEB4C3",
    "ULTRASOFT": "#B24BA7",
    "SUPERSOFT": "#DA291C",
    "SOFT": "#FFD12E",
    "MEDIUM": "#EBEBE6",
    "HARD": "#4FA3DB",
    "SUPERHARD": "#F28C28",
}
LAST_LEGACY_YEAR = 2018
# Greyscale stand-ins plus hatching so compounds survive a black-and-white printer.
PRINT_COMPOUNDS = {
    "SOFT": ("#3A3A3A", ""),
    "MEDIUM": ("#9C9C9C", ""),
    "HARD": ("#FFFFFF", ""),
    "INTERMEDIATE": ("#FFFFFF", "///"),
    "WET": ("#FFFFFF", "xxx"),
    "HYPERSOFT": ("#000000", ""),
    "ULTRASOFT": ("#3A3A3A", "..."),
    "SUPERSOFT": ("#6A6A6A", ""),
    "SUPERHARD": ("#FFFFFF", "\\\\"),
}
COMPOUND_ORDER = ("HYPERSOFT", "ULTRASOFT", "SUPERSOFT", "SOFT", "MEDIUM", "HARD", "SUPERHARD",
                  "INTERMEDIATE", "WET")
# Track neutralisations as shaded lap ranges: safety car, virtual safety car, red flag.
NEUTRALISATION_COLOURS = {"SC": "#FFC400", "VSC": "#FFE28A", "RED": "#E10600"}
PRINT_NEUTRALISATIONS = {"SC": "#B0B0B0", "VSC": "#D8D8D8", "RED": "#707070"}
# Enough distinct colours for a full grid when the preset's own palette runs out.
WIDE_PALETTE = (
    "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F",
    "#BCBD22", "#17BECF", "#AEC7E8", "#FFBB78", "#98DF8A", "#FF9896", "#C5B0D5", "#C49C94",
    "#F7B6D2", "#393B79", "#DBDB8D", "#9EDAE5",
)


@dataclass(frozen=True)
class LineStyle:
    colour: str
    dash: Any = "-"
    width: float = 1.6


@dataclass(frozen=True)
class PlotStyle:
    name: StyleName
    background: str
    panel: str
    text: str
    muted: str
    grid: str
    palette: tuple[str, ...]
    # Matplotlib line styles: a name like "--" or an (offset, on-off pattern) tuple.
    dashes: tuple[Any, ...]
    line_width: float
    font_family: str = "DejaVu Sans"
    use_team_colours: bool = False
    greyscale_compounds: bool = False

    def driver_lines(self, drivers: list[str], team_colours: dict[str, str]) -> list[LineStyle]:
        """One distinguishable line style per driver, in the order given."""
        lines: list[LineStyle] = []
        seen_colours: dict[str, int] = {}
        palette = self.palette
        if len(drivers) > len(palette) and self.name in ("light", "dark"):
            palette = WIDE_PALETTE
        for index, driver in enumerate(drivers):
            colour = palette[index % len(palette)]
            dash = self.dashes[index % len(self.dashes)] if self.name == "print" else "-"
            team = team_colours.get(driver, "").strip().lstrip("#")
            if self.use_team_colours and len(team) == 6:
                colour = "#" + team.upper()
                # Team-mates share a colour: the second one gets a dashed line.
                repeat = seen_colours.get(colour, 0)
                seen_colours[colour] = repeat + 1
                dash = ("-", "--", ":", "-.")[repeat % 4]
            lines.append(LineStyle(colour=colour, dash=dash, width=self.line_width))
        return lines

    def race_lines(self, drivers: list[str], team_colours: dict[str, str]) -> list[LineStyle]:
        """Lines for whole-race charts: team colours in every preset but print, so a driver
        keeps one colour across race trace, positions, pace and strategy charts."""
        styled = self if self.name == "print" else replace(self, use_team_colours=True)
        return styled.driver_lines(drivers, team_colours)

    def team_fill(self, team_colour: str, index: int) -> str:
        """Fill for a team's box, violin or bar: its colour, or a grey on print."""
        if self.greyscale_compounds:
            return ("#4A4A4A", "#8A8A8A", "#C4C4C4")[index % 3]
        colour = team_colour.strip().lstrip("#")
        return "#" + colour.upper() if len(colour) == 6 else self.palette[index % len(self.palette)]

    def neutralisation(self, kind: str) -> str:
        table = PRINT_NEUTRALISATIONS if self.greyscale_compounds else NEUTRALISATION_COLOURS
        return table.get(kind, table["SC"])

    def contrasting_pair(self, drivers: list[str], team_colours: dict[str, str]) -> tuple[str, str]:
        """Two colours that differ even for team-mates (areas cannot use line styles)."""
        first, second = (line.colour for line in self.driver_lines(drivers[:2], team_colours))
        if first.upper() == second.upper():
            second = _darken(second, 0.45)
        return first, second

    def compound(self, compound: str | None, year: int = 0) -> tuple[str, str]:
        """Face colour and hatch for a tyre compound (colours changed after 2018)."""
        key = (compound or "UNKNOWN").upper()
        if self.greyscale_compounds:
            return PRINT_COMPOUNDS.get(key, ("#D0D0D0", "..."))
        if 0 < year <= LAST_LEGACY_YEAR and key in COMPOUND_COLOURS_2018:
            return COMPOUND_COLOURS_2018[key], ""
        return COMPOUND_COLOURS.get(key, COMPOUND_COLOURS["UNKNOWN"]), ""


def _darken(colour: str, amount: float) -> str:
    red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return "#{:02X}{:02X}{:02X}".format(*(round(c * (1 - amount)) for c in (red, green, blue)))


PRESETS: dict[StyleName, PlotStyle] = {
    "light": PlotStyle(
        name="light",
        background="#FFFFFF",
        panel="#FFFFFF",
        text="#1D1D24",
        muted="#6B6B76",
        grid="#E3E3E8",
        palette=("#1F5FD1", "#E8590C", "#2B9348", "#9D4EDD", "#C9184A", "#0096C7"),
        dashes=("-",),
        line_width=1.6,
    ),
    "dark": PlotStyle(
        name="dark",
        background="#15151E",
        panel="#1E1E2A",
        text="#ECECF1",
        muted="#A0A0B2",
        grid="#33334A",
        palette=("#4CC9F0", "#FF9F1C", "#80ED99", "#F72585", "#FFD60A", "#B388EB"),
        dashes=("-",),
        line_width=1.6,
    ),
    "print": PlotStyle(
        name="print",
        background="#FFFFFF",
        panel="#FFFFFF",
        text="#000000",
        muted="#404040",
        grid="#D0D0D0",
        palette=("#000000", "#555555", "#8A8A8A", "#000000", "#555555", "#8A8A8A"),
        dashes=("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 3))),
        line_width=1.4,
        font_family="DejaVu Serif",
        greyscale_compounds=True,
    ),
    "team": PlotStyle(
        name="team",
        background="#FFFFFF",
        panel="#F7F7F9",
        text="#1D1D24",
        muted="#6B6B76",
        grid="#E3E3E8",
        palette=("#1F5FD1", "#E8590C", "#2B9348", "#9D4EDD", "#C9184A", "#0096C7"),
        dashes=("-",),
        line_width=1.8,
        use_team_colours=True,
    ),
}


def get_style(name: str) -> PlotStyle:
    return PRESETS[name]  # type: ignore[index]

"""House style for figures, with CJK fonts that really draw glyphs.

Setting ``font.family`` to a CJK name is not enough: on a machine without
that font matplotlib silently falls back to DejaVu Sans and draws empty boxes
(豆腐). :func:`use_house_style` registers font *files* with matplotlib's font
manager: system Noto CJK when present (fonts-noto-cjk), and always the Noto
Sans/Serif CJK SC files shipped inside the ``mplfonts`` wheel, so Chinese
labels render on a bare machine too.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

__all__ = [
    "PALETTE",
    "SANS_FAMILIES",
    "SERIF_FAMILIES",
    "register_cjk_fonts",
    "save",
    "shipped_font_files",
    "system_font_files",
    "use_house_style",
]

#: Family names matplotlib reports for the CJK faces we use, best first.
SANS_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC")
SERIF_FAMILIES = ("Noto Serif CJK SC", "Noto Serif CJK JP", "Source Han Serif SC")

_SYSTEM_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/local/share/fonts",
)

#: The house palette: muted, distinguishable in grey print.
PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#808080")


def shipped_font_files() -> list[Path]:
    """Return the CJK font files shipped in the ``mplfonts`` wheel (Noto Sans/Serif CJK SC).

    Returns
    -------
    list of Path
        Existing ``.otf`` files; empty when mplfonts is not installed.
    """
    try:
        import mplfonts
    except ImportError:
        return []
    folder = Path(mplfonts.__file__).parent / "fonts"
    names = ("NotoSansCJKsc-Regular.otf", "NotoSerifCJKsc-Regular.otf")
    return [folder / n for n in names if (folder / n).exists()]


def system_font_files() -> list[Path]:
    """Return system Noto CJK font files (Debian's fonts-noto-cjk), if any.

    Returns
    -------
    list of Path
        The files found, sorted per folder; empty when none.
    """
    found: list[Path] = []
    for d in _SYSTEM_DIRS:
        p = Path(d)
        if p.is_dir():
            found += sorted(
                f for f in p.rglob("*CJK*") if f.suffix.lower() in (".ttc", ".otf", ".ttf")
            )
    return found


def register_cjk_fonts(include_system: bool = True) -> list[str]:
    """Register CJK font files with matplotlib and return the family names available.

    Parameters
    ----------
    include_system : bool
        Also register system Noto CJK fonts. Tests set it False to prove the
        shipped fonts alone suffice.

    Returns
    -------
    list of str
        CJK family names now known to matplotlib, in preference order.

    Raises
    ------
    RuntimeError
        When no CJK font can be found at all (mplfonts missing and no system font).
    """
    files = shipped_font_files() + (system_font_files() if include_system else [])
    for f in files:
        font_manager.fontManager.addfont(str(f))
    known = {f.name for f in font_manager.fontManager.ttflist}
    families = [n for n in (*SANS_FAMILIES, *SERIF_FAMILIES) if n in known]
    if not families:
        raise RuntimeError(
            "no CJK font found: install the project (pip install -e .) for mplfonts, "
            "or Debian's fonts-noto-cjk"
        )
    return families


def use_house_style(include_system_fonts: bool = True) -> None:
    """Apply the house style: CJK sans text, light grid, palette, stable output.

    Figures are saved at 150 dpi with no creation date in their metadata, so
    the same data gives byte-identical PNGs (``SOURCE_DATE_EPOCH`` is honoured
    by matplotlib for PDF/SVG).

    Parameters
    ----------
    include_system_fonts : bool
        See :func:`register_cjk_fonts`.
    """
    families = register_cjk_fonts(include_system_fonts)
    sans = [f for f in families if f in SANS_FAMILIES] or families
    serif = [f for f in families if f in SERIF_FAMILIES] or families
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    mpl.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [*sans, "DejaVu Sans"],
            "font.serif": [*serif, "DejaVu Serif"],
            "axes.unicode_minus": False,  # CJK fonts lack U+2212
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.axisbelow": True,
            "grid.color": "#d9d9d9",
            "grid.linewidth": 0.6,
            "axes.titlesize": 12,
            "axes.labelsize": 10,
            "legend.frameon": False,
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "svg.hashsalt": "minzheng",
        }
    )


def save(fig, path: str | Path) -> Path:
    """Save ``fig`` without time-stamped metadata, so reruns give identical bytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    path : str or Path
        Target file; its suffix picks the format.

    Returns
    -------
    Path
        The written path.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    meta = {"Software": None} if p.suffix.lower() == ".png" else {"CreationDate": None}
    fig.savefig(p, metadata=meta)
    return p

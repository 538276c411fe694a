"""CJK glyphs really render with only the fonts the project ships (mplfonts)."""

import json
import subprocess
import sys

# Runs in a fresh interpreter: every system font is removed from matplotlib's
# font list first, so only DejaVu (bundled with matplotlib) and what
# analysis.style registers from the mplfonts wheel remain.
SCRIPT = r"""
import json, sys, warnings
import matplotlib
matplotlib.use("Agg")
import numpy as np
from matplotlib import font_manager
import matplotlib.pyplot as plt

mpl_data = matplotlib.get_data_path()
font_manager.fontManager.ttflist = [
    f for f in font_manager.fontManager.ttflist if f.fname.startswith(mpl_data)]
mode = sys.argv[1]
if mode == "house":
    from analysis import style
    style.use_house_style(include_system_fonts=False)
else:  # the failure the test must be able to see: a family setting alone
    matplotlib.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "DejaVu Sans"]
font_manager.fontManager._findfont_cached.cache_clear()

title = "乡镇民政工作人员配备"
used = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))

def ink(text):
    fig = plt.figure(figsize=(1, 1), dpi=60)
    fig.text(0.1, 0.2, text, fontsize=30)
    fig.canvas.draw()
    img = np.asarray(fig.canvas.buffer_rgba())[..., 0] < 128
    plt.close(fig)
    return img

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    fig, ax = plt.subplots()
    ax.set_title(title); ax.set_xlabel("年度"); ax.set_ylabel("人数（人）")
    ax.plot([2019, 2024], [1, 2])
    fig.canvas.draw()
    bitmaps = [ink(ch).tobytes() for ch in title]
missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
print(json.dumps({"font": used, "missing": missing,
                  "distinct": len(set(bitmaps)), "chars": len(set(title)),
                  "inked": sum(any(b) for b in bitmaps)}))
"""


def run(mode):
    res = subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_shipped_fonts_draw_real_glyphs():
    got = run("house")
    assert "mplfonts" in got["font"] and "NotoSansCJK" in got["font"]
    assert got["missing"] == []
    # Tofu boxes are all the same bitmap; real glyphs of distinct characters differ.
    assert got["distinct"] == got["chars"] == 10
    assert got["inked"] == 10


def test_a_family_name_alone_gives_tofu():
    # The check above can fail: without registering font files, glyphs are missing.
    got = run("family-only")
    assert got["missing"], "expected missing-glyph warnings"
    assert got["distinct"] < got["chars"]

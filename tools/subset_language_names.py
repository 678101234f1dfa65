"""Cut the site's Tibetan font down to the glyphs of the language switcher's "རྫོང་ཁ".

Every page names Dzongkha in its own script in the language switcher; drawing those six letters
with the whole Noto Serif Tibetan face would cost each English or Bengali page 160 KB. This subset
(about 2 KB, the same design, the stacks kept through its layout tables) is declared in site.css as
"Noto Serif Tibetan Names" for the switcher only. Run it again if the language names change:
``.venv/bin/python tools/subset_language_names.py``.
"""

from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "courses" / "static" / "courses" / "fonts"
SOURCE = FONTS / "noto-serif-tibetan-tibetan-400-normal.woff2"
TARGET = FONTS / "noto-serif-tibetan-language-names.woff2"
TEXT = "རྫོང་ཁ"


def main() -> None:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    font = subset.load_font(str(SOURCE), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=TEXT)
    subsetter.subset(font)
    subset.save_font(font, str(TARGET), options)
    print(f"{TARGET.relative_to(ROOT)}: {TARGET.stat().st_size} bytes")


if __name__ == "__main__":
    main()

"""A clause that names a water-quality class of its own ('Ⅴ类为0.6%', '四类占2.2%', 'Ⅳ类占4.1%')
speaks of that class, not of the indicator named before it in the sentence: after '劣Ⅴ类比例为
0.0%' the bare 'Ⅴ类为0.6%' is the share of class Ⅴ, which no catalog indicator holds, and after
'劣四类海水比例为1.9%' the '四类为2.3%' is class four's. The classes are compared with the
numerals and the 劣 of class_shares.py."""
from __future__ import annotations

from etl.extract.class_shares import classes_named


def names_another_class(prefix_words: str, alias: str) -> bool:
    """True when the words before a value name a class that the alias it would inherit does not."""
    own = classes_named(prefix_words)
    return bool(own) and own != classes_named(alias)

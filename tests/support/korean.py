"""Finding Korean in text: the one definition of Hangul every language check uses."""

from __future__ import annotations

import re

#: Hangul: syllables, compatibility jamo and jamo.
HANGUL = re.compile("[\uac00-\ud7a3\u3131-\u318e\u1100-\u11ff]")
#: A run of Hangul and digits: a word of a name as pages show it ("원신동", "2024").
HANGUL_RUN = re.compile("[\uac00-\ud7a3\u3131-\u318e\u1100-\u11ff0-9]+")

"""Skip inputs that are clearly not English (the reading pipeline is English-only).

Rejecting an English report is worse than reading a foreign one, so a text is only
flagged when it is long enough, py3langid is confident, and it has hardly any English
function words. The last check keeps English texts dense with transliterated Arabic,
Ukrainian or Kurdish place and group names, which fool character n-gram models.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Optional

SAMPLE_CHARS = 4000  # py3langid's answer settles long before this
MIN_LETTERS = 100  # shorter texts are not judged
MIN_CONFIDENCE = 0.90
MAX_ENGLISH_SHARE = 0.05  # English prose has 10-20 % of these words

# Frequent English words that are rare as words in other languages written in Latin
# script ("in", "to", "is", "of", "on", "was", "die" are left out: German, Dutch,
# Polish and French have them too).
_ENGLISH = frozenset(
    "the and were said that with from by has have had which who after their they are "
    "been this would than there killed".split()
)
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]+")

NAMES = {
    "af": "Afrikaans", "am": "Amharic", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian",
    "bg": "Bulgarian", "bn": "Bengali", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian",
    "is": "Icelandic", "it": "Italian", "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh",
    "km": "Khmer", "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin",
    "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam",
    "mn": "Mongolian", "ms": "Malay", "mt": "Maltese", "my": "Burmese", "ne": "Nepali",
    "nl": "Dutch", "no": "Norwegian", "pa": "Punjabi", "pl": "Polish", "ps": "Pashto",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "rw": "Kinyarwanda", "sk": "Slovak",
    "sl": "Slovenian", "so": "Somali", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "th": "Thai", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "zh": "Chinese",
}


def language_name(code: str) -> str:
    """ "French (fr)"; the bare code for languages outside the table."""
    name = NAMES.get(code)
    return f"{name} ({code})" if name else code


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # Loaded once per process (about a second); norm_probs gives a 0-1 confidence.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def foreign_language(text: str) -> Optional[tuple[str, float]]:
    """(code, confidence) when ``text`` is clearly not English, else None."""
    sample = text[:SAMPLE_CHARS]
    words = _WORD.findall(sample.lower())
    letters = sum(map(len, words))
    if letters < MIN_LETTERS:
        return None
    latin = letters if sample.isascii() else sum(map(len, _LATIN.findall(sample)))
    mostly_latin = latin >= letters / 2
    if mostly_latin:
        english = sum(1 for w in words if w in _ENGLISH)
        if english > len(words) * MAX_ENGLISH_SHARE:
            return None
    code, confidence = _identifier().classify(sample)
    if code == "en":
        return None
    # Text mostly in another script cannot be English, whatever the confidence.
    if mostly_latin and confidence < MIN_CONFIDENCE:
        return None
    return code, confidence

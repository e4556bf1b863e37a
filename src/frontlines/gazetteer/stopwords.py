"""Common English words that must not resolve to a place.

GeoNames has a town for almost every word ("Union", New Jersey; "Of", Turkey; "Time",
Norway) and old alternate names that are words ("Area", "Bank", "Point"). In news text
such a word is nearly always the word. Two sets:

- ``common_words()``: never a place name for towns and provinces (countries, continents
  and demonyms keep theirs): spaCy's English stop words, calendar words, and nouns that
  conflict reporting uses all the time. Stored in the index, so lookups refuse them too.
- ``english_words()``: English adjectives, verbs and adverbs from the installed spaCy
  model's lemmatizer tables (nouns are left out: they include proper names such as
  "aleppo"). The build drops them as *alternate* names and as names of towns under
  10,000 people, but keeps "Nice", "Split" or "Mobile" as the names of real cities.
"""
from __future__ import annotations

_CALENDAR = """
monday tuesday wednesday thursday friday saturday sunday weekend today tonight yesterday
tomorrow january february march april may june july august september october november
december jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs
fri sat sun spring summer autumn fall winter morning evening night noon midnight dawn dusk
christmas easter ramadan eid
"""

# News vocabulary that GeoNames also lists as settlement names or alternate names.
_NEWS_WORDS = """
union unity independence liberty freedom victory peace hope justice progress reform
republic democracy revolution federation alliance coalition league council congress
parliament senate assembly government ministry minister president king queen prince
army navy police forces troops soldiers rebels militia regime opposition front camp
base airport station port harbour harbor border crossing checkpoint bridge road highway
street square market hospital clinic school university college mosque church temple
city town village district province state region county capital centre center central
north south east west northern southern eastern western middle upper lower new old
great little grand greater mount hill valley river lake sea gulf bay island islands
desert coast beach park garden farm field fields mill mills springs spring falls
news press times post herald tribune journal daily weekly report agency media radio
union station national international united federal royal imperial islamic christian
muslim jewish arab kurdish civil military security defence defense strike strikes attack
attacks fire war battle siege ceasefire truce aid relief water power energy oil gas food
people man men woman women child children family home house office court prison jail
area zone sector week junction cape point bank castle tower wall corner mall line source
person boy girl countryside convoy toll crescent star eagle bear lion gap pass forest
stone rock sand iron plain snow rain moon gold silver diamond rose faith grace joy glory
time day air ground human cross deal force agreement said says told reported according
killed wounded injured dead
taliban hamas hezbollah hizbollah daesh isis isil houthi houthis qaeda peshmerga
"""


def calendar_and_news_words() -> frozenset[str]:
    """The words this module lists, without spaCy's stop words."""
    return frozenset((_CALENDAR + _NEWS_WORDS).split())


def common_words() -> frozenset[str]:
    """All words blocked from the index, lower-case and diacritic-free."""
    # spaCy is a core dependency; its stop-word list is plain data and cheap to import.
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w.casefold() for w in STOP_WORDS) | calendar_and_news_words()


def english_words() -> frozenset[str]:
    """Adjectives, verbs and adverbs of the installed English spaCy model (empty if none)."""
    import spacy

    for name in sorted(spacy.util.get_installed_models()):
        if not name.startswith("en"):
            continue
        keep = {"lemmatizer"}
        try:
            nlp = spacy.load(name, exclude=[p for p in _PIPES if p not in keep])
            table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        except (OSError, KeyError, ValueError):
            continue
        words: set[str] = set()
        for pos in ("adj", "verb", "adv"):
            words.update(w for w in table.get(pos, ()) if w.isalpha())
        return frozenset(words)
    return frozenset()


_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter", "morphologizer")

__all__ = ["common_words", "calendar_and_news_words", "english_words"]

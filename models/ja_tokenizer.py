"""A lean Japanese tokenizer for GiNZA's NER: words, spaces and Sudachi tags only.

spaCy's `JapaneseTokenizer` also sets each token's lemma, norm and a morphological analysis
with Sudachi's reading (`Reading=ヤマダ`). GiNZA's NER does not use them (its tok2vec embeds
ORTH and SHAPE), and every distinct reading is added to the vocabulary's morphology table for
good — outside spaCy's `memory_zone()` —, so a long scan of new names grows without bound
(+68 MB per 30,000 lines of new kanji words, measured), and building them costs about 1 ms a
line. This tokenizer makes the same words, spaces and tags (`token.tag_`, e.g.
`名詞-固有名詞-人名-姓`), hence the same entities (tests/models/test_ja_tokenizer.py).
"""

from __future__ import annotations

from typing import Any


def lean_tokenizer(nlp: Any) -> Any | None:
    """A lean replacement for `nlp.tokenizer` when it is spaCy's JapaneseTokenizer, else None."""
    try:
        from spacy.lang.ja import DetailedToken, JapaneseTokenizer, get_dtokens_and_spaces
        from spacy.tokens import Doc
    except ImportError:  # pragma: no cover - spaCy without its Japanese module
        return None
    tok = getattr(nlp, "tokenizer", None)
    if type(tok) is not JapaneseTokenizer:
        return None

    class LeanJapaneseTokenizer(JapaneseTokenizer):
        def __call__(self, text: str) -> Any:
            dtokens = []
            for m in self.tokenizer.tokenize(text):
                surface = m.surface()
                if surface:  # Sudachi's empty tokens are dropped, as spaCy does
                    tag = "-".join(x for x in m.part_of_speech()[:4] if x != "*")
                    dtokens.append(DetailedToken(surface, tag, "", surface, surface, "", None))
            dtokens = _merge_spaces(dtokens)
            dtokens, spaces = get_dtokens_and_spaces(dtokens, text)  # type: ignore[no-untyped-call]
            doc = Doc(self.vocab, words=[t.surface for t in dtokens], spaces=spaces)
            for token, dtoken in zip(doc, dtokens, strict=True):
                token.tag_ = dtoken.tag
            return doc

    lean = LeanJapaneseTokenizer(tok.vocab, tok.split_mode)
    lean.tokenizer = tok.tokenizer  # the Sudachi tokenizer already loaded (its dictionary)
    return lean


def _merge_spaces(dtokens: list[Any]) -> list[Any]:
    """Drop a space token that follows another (spaCy's `_get_dtokens` does the same)."""
    return [
        t
        for i, t in enumerate(dtokens)
        if i == 0
        or not t.surface.isspace()
        or t.tag != "空白"
        or not dtokens[i - 1].surface.isspace()
        or dtokens[i - 1].tag != "空白"
    ]

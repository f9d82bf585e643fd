"""A lean Japanese tokenizer for GiNZA's NER: words, spaces and Sudachi tags only.

spaCy's `JapaneseTokenizer` also sets each token's lemma, norm and a morphological analysis
with Sudachi's reading (`Reading=ヤマダ`). GiNZA's NER does not use them (its tok2vec embeds
ORTH and SHAPE), and every distinct reading is added to the vocabulary's morphology table for
good — outside spaCy's `memory_zone()` —, so a long scan of new names grows without bound
(74,000 strings per 30,000 lines of new kanji words, measured), and setting them costs about
0.4 ms a line. This tokenizer makes the same words, spaces and tags (`token.tag_`, e.g.
`名詞-固有名詞-人名-姓`), hence the same entities (tests/models/test_ja_tokenizer.py).
"""

from __future__ import annotations

from typing import Any


def lean_tokenizer(nlp: Any) -> Any | None:
    """A lean replacement for `nlp.tokenizer` when it is spaCy's JapaneseTokenizer, else None."""
    try:
        from spacy.lang.ja import JapaneseTokenizer, get_dtokens_and_spaces
        from spacy.tokens import Doc
    except ImportError:  # pragma: no cover - spaCy without its Japanese module
        return None
    tok = getattr(nlp, "tokenizer", None)
    if type(tok) is not JapaneseTokenizer:
        return None

    class LeanJapaneseTokenizer(JapaneseTokenizer):
        def __call__(self, text: str) -> Any:
            # spaCy's own steps (Sudachi tokens, merged spaces, the text's spaces) without
            # sub-tokens, then only the tags on the Doc
            dtokens = self._get_dtokens(self.tokenizer.tokenize(text), need_sub_tokens=False)
            dtokens, spaces = get_dtokens_and_spaces(dtokens, text)  # type: ignore[no-untyped-call]
            doc = Doc(self.vocab, words=[t.surface for t in dtokens], spaces=spaces)
            for token, dtoken in zip(doc, dtokens, strict=True):
                token.tag_ = dtoken.tag
            return doc

    # the loaded tokenizer's state (vocab, split mode, Sudachi tokenizer with its dictionary),
    # without constructing a second Sudachi dictionary
    lean = LeanJapaneseTokenizer.__new__(LeanJapaneseTokenizer)
    lean.__dict__.update(vars(tok))
    return lean


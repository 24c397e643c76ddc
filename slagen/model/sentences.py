"""Free text that the agreement prints as a term must be a sentence: someone does something.

A contract may add a few words of its own to a clause (``data_protection.disposal``,
``termination.after_termination``). Printed as they are, a noun phrase such as "Certified secure
deletion of every copy within 30 days." binds nobody: it names no party and promises nothing. The
model refuses such text where it is written, so the account manager rewrites it as a sentence
("The Provider deletes every copy within 30 days ...") before a lawyer ever sees it.

Telling a subject and a verb apart without a grammar is guesswork, so the test is deliberately
simple and errs towards accepting: each sentence must start with a capital letter, end with a
full stop (or ! or ?), and its main part (the text before the first subordinate word such as
"after" or "which", once a leading "Once ..., " is set aside) must hold a finite verb: an auxiliary
or modal ("shall", "is", "has") or a present-tense verb ending in -s right after its subject
("The Provider deletes", "Backups expire" is caught by the auxiliary-free second form only when the
subject is a determiner phrase). Every refusal says what to write instead.
"""

from __future__ import annotations

import re

# Finite auxiliaries and modals: any of these in the main part makes it a clause.
_AUXILIARIES = frozenset(
    "shall will must may might can could should would is are was were has have had does do did "
    "keeps holds remains becomes".split()
)
# Words that begin a subordinate clause or a phrase that is not the main clause.
_SUBORDINATORS = frozenset(
    "after before when whenever once until unless if where which that who whom whose because while "
    "whereas although though so".split()
)
_DETERMINERS = frozenset(
    "the a an each either neither all no every any its their this these those such both".split()
)
_PREPOSITIONS = frozenset(
    "of for in on at with by from to within into onto under over about between without during per "
    "than as".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d[\d.,]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def _main_part(sentence: str) -> list[str]:
    words = _WORD.findall(sentence)
    if words and words[0].lower() in _SUBORDINATORS and "," in sentence:
        words = _WORD.findall(sentence.split(",", 1)[1])  # "Once the data are returned, the Provider ..."
    for i, word in enumerate(words):
        if i and word.lower() in _SUBORDINATORS:
            return words[:i]
    return words


def _has_finite_verb(words: list[str]) -> bool:
    if any(w.lower() in _AUXILIARIES for w in words):
        return True
    # A present-tense verb in -s directly after a subject: a capitalised name ("the Provider deletes"),
    # or a plain noun that ends a determiner phrase outside any prepositional phrase ("each party keeps").
    in_phrase = False
    for previous, word in zip(words, words[1:]):
        lower, prev = word.lower(), previous.lower()
        if prev in _PREPOSITIONS:
            in_phrase = True
        if prev in _DETERMINERS:
            in_phrase = False
        if not word.islower() or not re.fullmatch(r"[a-z]+(?<!ss)(?<!us)(?<!is)s", lower):
            continue
        if previous[0].isupper() and prev not in _DETERMINERS and not in_phrase:
            return True
        if previous.islower() and prev not in _DETERMINERS | _PREPOSITIONS and not in_phrase \
                and not previous.isdigit() and not prev.endswith("s"):
            return True
    return False


def sentence_problem(text: str) -> str | None:
    """None when every sentence of ``text`` has a subject and a verb; else what is wrong, in words."""
    for sentence in split_sentences(text):
        example = "such as 'The Provider deletes every remaining copy within 30 days after ...'"
        if not (sentence[0].isupper() or sentence[0].isdigit() or sentence[0] in "\"'("):
            return f"'{sentence}' does not start as a sentence: start it with a capital letter, {example}"
        if sentence[-1] not in ".!?":
            return f"'{sentence}' does not end with a full stop: write whole sentences, {example}"
        if not _has_finite_verb(_main_part(sentence)):
            return (f"'{sentence}' is not a sentence that binds anyone: it needs a subject and a verb (who "
                    f"does what), {example}")
    return None


def check_sentence(value: str) -> str:
    """A pydantic after-validator: ``value`` unchanged, or a ValueError saying what to write."""
    problem = sentence_problem(value)
    if problem:
        raise ValueError(problem)
    return value

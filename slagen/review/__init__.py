"""Legal review: redlines between two versions of a contract, and what departs from the standard.

* :mod:`slagen.review.diff`: Document vs Document, clause by clause, word by word, cell by cell;
* :mod:`slagen.review.values`: the contract values that changed, in words;
* :mod:`slagen.review.redline`: the redline as DOCX (tracked changes), PDF, text and JSON;
* :mod:`slagen.review.policy`: the house policy (``clauses/policy.yaml``);
* :mod:`slagen.review.review`: everything legal must look at in one draft.

Heavy libraries are imported inside the functions that need them.
"""

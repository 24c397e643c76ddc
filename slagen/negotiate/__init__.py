"""Negotiation: a customer's marked-up DOCX read back, classified, costed and answered.

``reader`` reads the revisions and comments of any DOCX; ``changes`` maps them onto the contract
(values by path, wording by clause, untracked edits); ``proposal`` applies them to the contract's
YAML and costs them with the checker and the review; ``reply`` writes the provider's answer as
tracked changes and comments on the customer's own file.
"""

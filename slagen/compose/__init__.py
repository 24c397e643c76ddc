"""Composition: a contract and the clause library become one document tree.

The modules depend on each other one way only, in the order a document is made:

    clause_file    one clause file parsed (front matter, conditions, variants)
      clause_check   every clause checked against the contract model before any render
        clause_text  sandboxed Jinja: contract values printed as data, never as template
    library        a library's clause files loaded and checked (the outlines are slagen.library.outlines)
    facts          figures slagen computes for the clauses (worked examples, downtime ...)
    markdown_tree  clause Markdown -> blocks of the document tree
    assemble       contract + outline + clauses + facts -> slagen.document.Document
"""

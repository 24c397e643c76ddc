"""Writers: each walks the Document tree (slagen.document) into one output format."""

"""Reading and writing files at the edge: bounded reading (``bounded``), YAML with the line and
column of every value (``yaml_positions``), atomic output files (``output``) and escaping what is
printed to a terminal (``terminal``). Knows nothing about contracts."""

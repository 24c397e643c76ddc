"""The engine's whole jobs, end to end, as the command line and the workspace call them: a
contract's documents rendered, verified and written (``render``), and a provider's library
checked, down to a probe render (``library_check``)."""

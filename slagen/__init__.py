"""slagen: service level agreements for managed IT service providers, checked and rendered."""

__version__ = "0.1.0"

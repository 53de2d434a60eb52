"""Homestretch: keeps IT recruiters from losing candidates on the home stretch of hiring."""

__version__ = "0.1.0"

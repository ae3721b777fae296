from .provenance import register

__all__ = ["register"]

from .safe_metadata import register

__all__ = ["register"]

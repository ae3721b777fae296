from .essay_outline import register

__all__ = ["register"]

from .essay_series import register

__all__ = ["register"]

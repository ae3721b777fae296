from .cjk_typography import register

__all__ = ["register"]

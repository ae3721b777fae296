from .corrections_log import register

__all__ = ["register"]

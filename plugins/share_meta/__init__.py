from .share_meta import register

__all__ = ["register"]

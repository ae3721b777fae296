from .compressed_copies import register

__all__ = ["register"]

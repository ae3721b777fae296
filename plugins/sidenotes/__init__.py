from .sidenotes import register

__all__ = ["register"]

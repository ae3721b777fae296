from .related_essays import register

__all__ = ["register"]

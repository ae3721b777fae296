from .markup import makeExtension, register

__all__ = ["makeExtension", "register"]

from .host_headers import register

__all__ = ["register"]

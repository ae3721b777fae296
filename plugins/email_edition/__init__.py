from .email_edition import register

__all__ = ["register"]

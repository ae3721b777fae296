from .language_urls import register

__all__ = ["register"]

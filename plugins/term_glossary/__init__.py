from .term_glossary import register

__all__ = ["register"]

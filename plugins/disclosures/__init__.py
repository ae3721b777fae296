from .disclosures import register

__all__ = ["register"]

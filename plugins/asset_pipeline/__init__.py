from .asset_pipeline import register

__all__ = ["register"]

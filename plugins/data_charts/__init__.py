from .data_charts import register

__all__ = ["register"]

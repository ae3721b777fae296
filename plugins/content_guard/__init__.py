from .content_guard import ContentErrors, check_site, register

__all__ = ["ContentErrors", "check_site", "register"]

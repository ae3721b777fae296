"""The site's own Pelican plugins, one a folder, and the core services they share."""

"""5. Site: the Datasette configuration directory (metadata, settings, templates, plugins, downloads)."""

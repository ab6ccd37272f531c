"""Content: the YAML format of question banks and fact packs, its loader, and the database sync."""

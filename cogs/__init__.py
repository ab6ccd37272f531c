"""Discord cogs, one per feature: thin layers over the Discord-free services in `bot/`."""

"""Daily-post scheduling rules. Discord-free."""

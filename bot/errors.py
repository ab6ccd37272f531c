"""Errors a user caused and can fix; cogs show their message as is (ephemeral)."""


class UserError(Exception):
    """A friendly, complete sentence for the user: bad input, a refused action, a missing thing."""

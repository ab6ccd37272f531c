"""The public, read-only web pages of servers that opted in (`/server web on`). Discord-free."""

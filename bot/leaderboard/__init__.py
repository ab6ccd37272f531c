"""Leaderboard periods and stats rules. Discord-free."""

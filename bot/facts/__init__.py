"""Fact selection: filters, "on this day", the daily pick. Discord-free."""

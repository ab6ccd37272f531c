"""The scored question of the day: answer order, points and the daily streak rule (Discord-free)."""

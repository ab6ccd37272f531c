"""The quiz: answer matching, scoring, the game state and the runner. Discord-free."""

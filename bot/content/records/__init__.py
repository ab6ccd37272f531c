"""Open match records (openfootball, Football.TXT) parsed into matches, and what is derived from them."""

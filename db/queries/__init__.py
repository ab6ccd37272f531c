"""Query functions, one module per aggregate. Cogs call these (or services that do); none build SQL."""

"""How good a brief is: answer keys, scoring, and the model judge."""

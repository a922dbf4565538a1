"""Language data: word lists kept as files an analyst can read and extend, one folder per language."""

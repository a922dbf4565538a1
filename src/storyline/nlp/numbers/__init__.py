"""Numbers in text: time expressions normalised to TIMEX3 values, quantities, number words."""

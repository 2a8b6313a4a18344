"""The monthly employment ledger 就业台账: a row per labourer and month, submitted by the village, confirmed by town."""

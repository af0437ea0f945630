"""The campaign run: the one place (with the pages) that joins trends, predictions and imaging."""

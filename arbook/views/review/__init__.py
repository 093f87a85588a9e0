"""The monthly review's sections, as the notebook and its HTML report show them."""

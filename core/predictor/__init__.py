"""Purchase Predictor: leak-free next-category model over REES46-format events."""

"""The risk of losing a candidate: features, weights, scoring and explanations (pure functions)."""

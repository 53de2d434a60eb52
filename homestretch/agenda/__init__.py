"""Contact cadence and the Today agenda (pure), and the digests and feeds that deliver it."""

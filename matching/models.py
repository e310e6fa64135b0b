"""Match suggestions, match requests and matches."""

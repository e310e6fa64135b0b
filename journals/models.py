"""The pair workspace: messages, meetings, weekly prompts, journal entries and reviews."""

"""The timed work: dispatch, matching, digests, reminders, expiry, retention."""

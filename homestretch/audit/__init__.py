"""The audit trail (issue 21): who did what to which record, when and from where; append-only, read by admins."""

"""Staff of the console: accounts and roles, passwords, lockouts, access records."""

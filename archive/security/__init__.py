"""Who is asking and what they may do: roles and permissions (access), accounts, sessions and
tokens, login throttling, sealed identities, safe redirects and JSON bodies."""

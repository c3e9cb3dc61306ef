"""Reading option files exactly as the server does: bytes, includes, groups, values, model."""

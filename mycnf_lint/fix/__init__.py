"""Fixes: findings with edits -> edited bytes -> one atomic write; the diff of the same bytes."""

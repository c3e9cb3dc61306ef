"""Reports: findings, rules and profiles as text, JSON, SARIF and GitHub annotations."""

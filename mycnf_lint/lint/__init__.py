"""The rules: metadata, the condition language, the evaluator, code checks, suppression."""

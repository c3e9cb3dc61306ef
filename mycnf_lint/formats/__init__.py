"""Output formats: each turns findings into text and nothing else."""

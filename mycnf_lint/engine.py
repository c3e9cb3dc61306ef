"""Rules from rules/*.toml evaluated over the model and a workload profile -> findings."""

from __future__ import annotations

from .catalogue import Catalogue
from .findings import Finding
from .includes import ReadResult
from .model import Model
from .ruleset import RuleSet


def evaluate(read: ReadResult, server: Model, cat: Catalogue, rules: RuleSet,
             profile: object) -> list[Finding]:
    return []

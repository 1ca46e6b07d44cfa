"""From entities to the contract's financial facts (triggers, roles, status, periods)."""

from __future__ import annotations

from .assemble import assemble

__all__ = ["assemble"]

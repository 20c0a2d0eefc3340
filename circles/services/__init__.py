"""Circles' workflows: rounds, sign-ups, imports and corrections (composition and review apart)."""

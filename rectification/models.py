"""Layer 3 — appraisal opinions, the rectification ledger, progress and evidence."""

"""Units are administered in appraisal/admin.py, with the audit every admin change needs
(units, layer 0, imports nothing above it)."""

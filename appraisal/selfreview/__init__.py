"""The unit's self-review report (自查自评报告): drafts, head approval, frozen versions."""

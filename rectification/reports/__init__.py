"""The rectification report (整改情况报告): generated from the ledger, edited, approved by the
unit head, submitted to the committee; what the second round scores."""

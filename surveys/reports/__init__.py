"""The work group's investigation report (调研报告), signed off by its deputies."""

"""The work group's investigation report (调研报告): drafted from what it gathered, signed off by its deputies."""

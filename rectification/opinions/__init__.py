"""Appraisal opinions (评议意见): the committee's numbered problems and requirements to a unit."""

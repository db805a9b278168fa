"""Helpers the tests share, named by what they build (contests, files, scores, documents...).

Fixtures live in the conftest.py files; these are the plain functions and constants behind them.
"""
